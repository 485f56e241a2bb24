/* A firm's client records, the partner requests between a firm and a company, and the company
 * space pli creates (and invites an administrator to) for a client that has none. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/clients.h"
#include "support/teams.h"
#include "support/testdb.h"

static long clients_of(const char *firm)
{
    const char *params[] = {firm};
    return testdb_long("SELECT count(*) FROM clients WHERE firm_team_id = $1", 1, params);
}

static long partner_requests_of(const char *firm)
{
    const char *params[] = {firm};
    return testdb_long("SELECT count(*) FROM partner_requests WHERE firm_team_id = $1", 1, params);
}

static struct reply *ask_partner(struct client *c, const char *firm, const char *company)
{
    return client_json(c, "POST", tpath("/api/v1/teams/%s/partner-requests", firm), "{s:s}",
                       "company_team_id", company);
}

Test(clients, create_for_an_existing_company_files_a_partner_request)
{
    struct teams_user f, co;
    char firm[TEAMS_ID_MAX], company[TEAMS_ID_MAX], upper[128];
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    cl_team(&co, "company", "Boulangerie Petit", company);
    snprintf(upper, sizeof(upper), "%s", co.email);
    for (char *p = upper; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    struct reply *r = cl_client_post(&f.c, firm, "Boulangerie Petit", upper, company);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "company_name"), "Boulangerie Petit");
    cr_assert_str_eq(teams_str(r->json, "email"), co.email, "the e-mail is lower-cased");
    json_t *space = json_object_get(r->json, "company");
    cr_assert_str_eq(teams_str(space, "id"), company);
    cr_assert_str_eq(teams_str(space, "name"), "Boulangerie Petit");
    cr_assert_str_eq(teams_str(space, "space"), "active", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "partnership"), "pending", "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "links")), 0, "%s", r->body);
    cr_assert(json_is_array(json_object_get(r->json, "link_suggestions")), "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "link_suggestions")), 0);
    cr_assert(teams_str(r->json, "created_at")[0] && teams_str(r->json, "updated_at")[0]);
    char id[TEAMS_ID_MAX];
    snprintf(id, sizeof(id), "%s", teams_str(r->json, "id"));
    reply_free(r);

    r = cl_get(&f.c, tpath("/api/v1/teams/%s/clients/%s", firm, id));
    cr_assert_str_eq(teams_str(r->json, "email"), co.email);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "company"), "id"), company);
    reply_free(r);
    const char *params[] = {firm, company, f.id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM partner_requests WHERE firm_team_id = $1 AND "
                             "company_team_id = $2 AND status = 'pending' AND requested_by = $3",
                             3, params),
                 1);
    cr_assert_eq(cl_audit_count(&f.c, firm, "client.created", id), 1);
    cr_assert_eq(cl_audit_count(&f.c, firm, "partner_request.created", NULL), 1);
}

Test(clients, create_without_a_company_creates_an_invited_space)
{
    struct teams_user f;
    char firm[TEAMS_ID_MAX], email[128], invitation[TEAMS_ID_MAX];
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    client_unique_email(email, sizeof(email), "gerant");
    struct reply *r = cl_client_post(&f.c, firm, "Garage Moderne", email, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    json_t *space = json_object_get(r->json, "company");
    cr_assert_str_eq(teams_str(space, "name"), "Garage Moderne", "%s", r->body);
    cr_assert_str_eq(teams_str(space, "space"), "invited", "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "partnership"), "pending", "%s", r->body);
    char team[TEAMS_ID_MAX];
    snprintf(team, sizeof(team), "%s", teams_str(space, "id"));
    reply_free(r);

    const char *params[] = {team};
    cr_assert_eq(testdb_long("SELECT count(*) FROM teams WHERE id = $1 AND kind = 'company' "
                             "AND administrator_id IS NULL",
                             1, params),
                 1, "a company team with no administrator");
    cr_assert_eq(testdb_long("SELECT count(*) FROM memberships WHERE team_id = $1", 1, params), 0);
    cl_space_invitation(team, invitation);
    const char *inv[] = {invitation};
    char text[128];
    cr_assert_str_eq(testdb_text("SELECT i.email || ' ' || r.builtin FROM invitations i "
                                 "JOIN roles r ON r.id = i.role_id WHERE i.id = $1",
                                 1, inv, text, sizeof(text)),
                     tpath("%s administrator", email));
    cr_assert_eq(partner_requests_of(firm), 1);
}

Test(clients, the_invitee_who_signs_up_administers_the_space)
{
    struct teams_user f, g;
    struct cl_client rec;
    char firm[TEAMS_ID_MAX], email[128];
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    client_unique_email(email, sizeof(email), "gerant");
    cl_client(&f.c, firm, "Garage Moderne", email, NULL, &rec);
    cl_join_space(rec.company, email, &g);

    struct reply *r = cl_get(&g.c, tpath("/api/v1/teams/%s", rec.company));
    cr_assert_str_eq(teams_str(r->json, "administrator_id"), g.id, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "kind"), "company", "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "role"), "name"), "administrator", "%s",
                     r->body);
    reply_free(r);
    r = cl_get(&g.c, tpath("/api/v1/teams/%s/members", rec.company));
    json_t *me = json_array_get(json_object_get(r->json, "items"), 0);
    cr_assert(json_is_true(json_object_get(me, "is_administrator")), "%s", r->body);
    reply_free(r);
    r = cl_get(&f.c, tpath("/api/v1/teams/%s/clients/%s", firm, rec.id));
    cr_assert_str_eq(teams_str(json_object_get(r->json, "company"), "space"), "active", "%s",
                     r->body);
    reply_free(r);
    /* The space's member role reads the documents shared with the company. */
    r = cl_get(&g.c, tpath("/api/v1/teams/%s/roles", rec.company));
    json_t *member = cl_find(json_object_get(r->json, "items"), "builtin", "member");
    cr_assert(teams_array_has(json_object_get(member, "permissions"), "documents.view"), "%s",
              r->body);
    reply_free(r);
    cr_assert_eq(cl_audit_count(&g.c, rec.company, "team.created", rec.company), 1);
    cr_assert_eq(cl_audit_count(&g.c, rec.company, "invitation.created", NULL), 1);
    /* The partner request waits for the new administrator. */
    r = cl_get(&g.c, tpath("/api/v1/teams/%s/partner-requests?status=pending", rec.company));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1, "%s", r->body);
    reply_free(r);
}

Test(clients, company_team_id_must_be_a_company)
{
    struct teams_user f, other;
    char firm[TEAMS_ID_MAX], other_firm[TEAMS_ID_MAX];
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    cl_team(&other, "firm", "Cabinet Voisin", other_firm);
    struct reply *r = cl_client_post(&f.c, firm, "Cabinet Voisin", other.email, other_firm);
    teams_assert_field_problem(r, "company_team_id", "not_a_company");
    reply_free(r);
    r = cl_client_post(&f.c, firm, "Fantôme", other.email, CL_UNKNOWN_ID);
    teams_assert_field_problem(r, "company_team_id", "not_a_company");
    reply_free(r);
    r = ask_partner(&f.c, firm, other_firm);
    teams_assert_field_problem(r, "company_team_id", "not_a_company");
    reply_free(r);
    cr_assert_eq(clients_of(firm), 0);
    cr_assert_eq(partner_requests_of(firm), 0);
}

Test(clients, a_second_record_for_the_same_company_is_409)
{
    struct cl_pair p;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    struct reply *r = cl_client_post(&p.firm_admin.c, p.firm, "Boulangerie Petit bis",
                                     p.company_admin.email, p.company);
    teams_assert_problem(r, 409, "client_exists");
    reply_free(r);
    cr_assert_eq(clients_of(p.firm), 1);
    cr_assert_eq(partner_requests_of(p.firm), 1);
}

Test(clients, a_company_keeps_no_client_records)
{
    struct teams_user co, other;
    char company[TEAMS_ID_MAX], other_company[TEAMS_ID_MAX];
    cl_team(&co, "company", "Boulangerie Petit", company);
    cl_team(&other, "company", "Fromagerie Blanc", other_company);
    struct reply *r =
        cl_client_post(&co.c, company, "Fromagerie Blanc", other.email, other_company);
    teams_assert_problem(r, 409, "not_a_firm");
    reply_free(r);
    r = client_send(&co.c, "GET", tpath("/api/v1/teams/%s/clients", company), NULL, NULL);
    teams_assert_problem(r, 409, "not_a_firm");
    reply_free(r);
    r = client_send(&co.c, "GET", tpath("/api/v1/teams/%s/clients/%s", company, CL_UNKNOWN_ID),
                    NULL, NULL);
    teams_assert_problem(r, 409, "not_a_firm");
    reply_free(r);
    r = client_json(&co.c, "PATCH", tpath("/api/v1/teams/%s/clients/%s", company, CL_UNKNOWN_ID),
                    "{s:s}", "company_name", "Autre");
    teams_assert_problem(r, 409, "not_a_firm");
    reply_free(r);
    r = ask_partner(&co.c, company, other_company);
    teams_assert_problem(r, 409, "not_a_firm");
    reply_free(r);
    r = client_json(&co.c, "POST", tpath("/api/v1/teams/%s/link-requests", company), "{s:s, s:s}",
                    "secondary_client_id", CL_UNKNOWN_ID, "principal_client_id",
                    "7f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");
    teams_assert_problem(r, 409, "not_a_firm");
    reply_free(r);
    r = cl_upload(&co.c, company, CL_UNKNOWN_ID, "x", 1, "note.txt", "text/plain");
    teams_assert_problem(r, 409, "not_a_firm");
    reply_free(r);
    cr_assert_eq(clients_of(company), 0);
    cr_assert_eq(partner_requests_of(company), 0);
}

Test(clients, fields_are_validated)
{
    struct teams_user f;
    char firm[TEAMS_ID_MAX], email[128], long_name[202], path[128];
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    client_unique_email(email, sizeof(email), "gerant");
    memset(long_name, 'a', 201);
    long_name[201] = '\0';
    snprintf(path, sizeof(path), "/api/v1/teams/%s/clients", firm);
    struct reply *r = cl_client_post(&f.c, firm, "", email, NULL);
    teams_assert_field_problem(r, "company_name", "required");
    reply_free(r);
    r = cl_client_post(&f.c, firm, long_name, email, NULL);
    teams_assert_field_problem(r, "company_name", "too_long");
    reply_free(r);
    r = cl_client_post(&f.c, firm, "Garage Moderne", "pas-une-adresse", NULL);
    teams_assert_field_problem(r, "email", "invalid_format");
    reply_free(r);
    r = cl_client_post(&f.c, firm, "Garage Moderne", email, "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz");
    teams_assert_field_problem(r, "company_team_id", "invalid_format");
    reply_free(r);
    r = client_json(&f.c, "POST", path, "{s:s}", "company_name", "Garage Moderne");
    teams_assert_field_problem(r, "email", "required");
    reply_free(r);
    r = client_json(&f.c, "POST", path, "{s:s, s:s, s:s}", "company_name", "Garage Moderne",
                    "email", email, "siren", "123456789");
    teams_assert_field_problem(r, "siren", "unknown_field");
    reply_free(r);
    cr_assert_eq(clients_of(firm), 0);
    const char *params[] = {email};
    cr_assert_eq(testdb_long("SELECT count(*) FROM invitations WHERE email = $1", 1, params), 0,
                 "no space was created for a refused record");
}

Test(clients, list_pages_by_name)
{
    struct teams_user f;
    char firm[TEAMS_ID_MAX], email[128];
    struct cl_client charlie, alpha, bravo;
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    client_unique_email(email, sizeof(email), "gerant");
    cl_client(&f.c, firm, "Charlie Transports", email, NULL, &charlie);
    cl_client(&f.c, firm, "alpha Conseil", email, NULL, &alpha);
    /* A record with an e-mail other records have: they are suggested for a link, by name. */
    struct reply *r = cl_client_post(&f.c, firm, "Bravo Bâtiment", email, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cl_assert_keys(json_object_get(r->json, "link_suggestions"), "client_id",
                   (const char *const[]){alpha.id, charlie.id, NULL});
    snprintf(bravo.id, sizeof(bravo.id), "%s", teams_str(r->json, "id"));
    reply_free(r);

    r = cl_get(&f.c, tpath("/api/v1/teams/%s/clients?limit=2", firm));
    cl_assert_keys(json_object_get(r->json, "items"), "id",
                   (const char *const[]){alpha.id, bravo.id, NULL});
    cr_assert_str_eq(teams_str(r->json, "next_cursor"), bravo.id, "%s", r->body);
    reply_free(r);
    r = cl_get(&f.c, tpath("/api/v1/teams/%s/clients?limit=2&cursor=%s", firm, bravo.id));
    cl_assert_keys(json_object_get(r->json, "items"), "id",
                   (const char *const[]){charlie.id, NULL});
    cr_assert(json_is_null(json_object_get(r->json, "next_cursor")) ||
                  !json_object_get(r->json, "next_cursor"),
              "%s", r->body);
    reply_free(r);
    r = cl_get(&f.c, tpath("/api/v1/teams/%s/clients", firm));
    cl_assert_keys(
        json_object_get(r->json, "items"), "company_name",
        (const char *const[]){"alpha Conseil", "Bravo Bâtiment", "Charlie Transports", NULL});
    reply_free(r);
    r = client_send(&f.c, "GET", tpath("/api/v1/teams/%s/clients?cursor=abc", firm), NULL, NULL);
    teams_assert_field_problem(r, "cursor", "invalid_format");
    reply_free(r);
    r = client_send(&f.c, "GET", tpath("/api/v1/teams/%s/clients?limit=0", firm), NULL, NULL);
    teams_assert_field_problem(r, "limit", "out_of_range");
    reply_free(r);
}

Test(clients, a_member_without_clients_manage_is_403)
{
    struct cl_pair p;
    struct teams_user m, manager;
    char role[TEAMS_ID_MAX], email[128];
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    teams_join(&p.firm_admin.c, p.firm, NULL, &m);
    client_unique_email(email, sizeof(email), "gerant");
    struct reply *r =
        client_send(&m.c, "GET", tpath("/api/v1/teams/%s/clients", p.firm), NULL, NULL);
    teams_assert_forbidden(r, "clients.manage");
    reply_free(r);
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/clients/%s", p.firm, p.client.id), NULL,
                    NULL);
    teams_assert_forbidden(r, "clients.manage");
    reply_free(r);
    r = cl_client_post(&m.c, p.firm, "Garage Moderne", email, NULL);
    teams_assert_forbidden(r, "clients.manage");
    reply_free(r);
    r = client_json(&m.c, "PATCH", tpath("/api/v1/teams/%s/clients/%s", p.firm, p.client.id),
                    "{s:s}", "company_name", "Autre");
    teams_assert_forbidden(r, "clients.manage");
    reply_free(r);
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/partner-requests", p.firm), NULL, NULL);
    teams_assert_problem(r, 403, "forbidden");
    reply_free(r);
    cr_assert_eq(clients_of(p.firm), 1);

    /* A role that holds clients.manage is enough. */
    teams_role(&p.firm_admin.c, p.firm, "Gestion clients",
               (const char *const[]){"clients.manage", NULL}, role);
    teams_join(&p.firm_admin.c, p.firm, role, &manager);
    r = cl_client_post(&manager.c, p.firm, "Garage Moderne", email, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);
    cr_assert_eq(clients_of(p.firm), 2);
}

Test(clients, a_changed_email_of_a_waiting_space_moves_its_invitation)
{
    struct teams_user f, g;
    struct cl_client rec;
    char firm[TEAMS_ID_MAX], first[128], second[128], old[TEAMS_ID_MAX];
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    client_unique_email(first, sizeof(first), "premier");
    client_unique_email(second, sizeof(second), "second");
    cl_client(&f.c, firm, "Garage Moderne", first, NULL, &rec);
    cl_space_invitation(rec.company, old);
    char old_token[TEAMS_TOKEN_MAX];
    teams_wait_token(first, old, 1, old_token);
    struct reply *r =
        client_json(&f.c, "PATCH", tpath("/api/v1/teams/%s/clients/%s", firm, rec.id), "{s:s, s:s}",
                    "company_name", "Garage Moderne SARL", "email", second);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "company_name"), "Garage Moderne SARL");
    cr_assert_str_eq(teams_str(r->json, "email"), second);
    cr_assert_eq(json_array_size(json_object_get(r->json, "link_suggestions")), 0, "%s", r->body);
    reply_free(r);
    char status[16];
    cl_status("invitations", old, status);
    cr_assert_str_eq(status, "revoked");
    r = client_send(&f.c, "GET", tpath("/api/v1/invitations/%s", old_token), NULL, NULL);
    teams_assert_problem(r, 410, "invitation_revoked");
    reply_free(r);
    cl_join_space(rec.company, second, &g);
    r = cl_get(&g.c, tpath("/api/v1/teams/%s", rec.company));
    cr_assert_str_eq(teams_str(r->json, "administrator_id"), g.id, "%s", r->body);
    reply_free(r);
    cr_assert_eq(cl_audit_count(&f.c, firm, "client.updated", rec.id), 1);
    cr_assert_eq(cl_audit_count(&g.c, rec.company, "invitation.revoked", old), 1);

    /* Once the space is active, a new e-mail invites nobody. */
    r = client_json(&f.c, "PATCH", tpath("/api/v1/teams/%s/clients/%s", firm, rec.id), "{s:s}",
                    "email", first);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    const char *params[] = {rec.company};
    cr_assert_eq(testdb_long("SELECT count(*) FROM invitations WHERE team_id = $1 AND "
                             "status = 'pending'",
                             1, params),
                 0);
    r = client_json(&f.c, "PATCH", tpath("/api/v1/teams/%s/clients/%s", firm, CL_UNKNOWN_ID),
                    "{s:s}", "company_name", "Fantôme");
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
}

Test(clients, partner_requests_open_once)
{
    struct teams_user f, co;
    char firm[TEAMS_ID_MAX], company[TEAMS_ID_MAX], first[TEAMS_ID_MAX];
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    cl_team(&co, "company", "Boulangerie Petit", company);
    struct reply *r = ask_partner(&f.c, firm, company);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "pending");
    cr_assert_str_eq(teams_str(json_object_get(r->json, "firm"), "id"), firm);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "firm"), "name"), "Cabinet Lemoine");
    cr_assert_str_eq(teams_str(json_object_get(r->json, "company"), "id"), company);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "company"), "name"), "Boulangerie Petit");
    cr_assert_str_eq(teams_str(r->json, "requested_by"), f.id);
    cr_assert(json_is_null(json_object_get(r->json, "answered_by")), "%s", r->body);
    snprintf(first, sizeof(first), "%s", teams_str(r->json, "id"));
    reply_free(r);
    r = ask_partner(&f.c, firm, company);
    teams_assert_problem(r, 409, "partner_request_pending");
    reply_free(r);
    /* A refused request may be asked again; an accepted one makes them partners. */
    r = cl_answer(&co.c, "partner-requests", first, "refuse");
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = ask_partner(&f.c, firm, company);
    cr_assert_eq(r->status, 201, "%s", r->body);
    char second[TEAMS_ID_MAX];
    snprintf(second, sizeof(second), "%s", teams_str(r->json, "id"));
    reply_free(r);
    cl_accept_partner(&co.c, second);
    r = ask_partner(&f.c, firm, company);
    teams_assert_problem(r, 409, "already_partners");
    reply_free(r);
    cr_assert_eq(partner_requests_of(firm), 2);
    cr_assert_eq(cl_audit_count(&f.c, firm, "partner_request.created", NULL), 2);
}

Test(clients, each_side_lists_its_partner_requests)
{
    struct cl_pair p;
    struct teams_user m;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    struct reply *r = cl_get(&p.firm_admin.c, tpath("/api/v1/teams/%s/partner-requests", p.firm));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){p.request, NULL});
    reply_free(r);
    r = cl_get(&p.company_admin.c,
               tpath("/api/v1/teams/%s/partner-requests?status=pending", p.company));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){p.request, NULL});
    cr_assert_str_eq(
        teams_str(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "firm"),
                  "name"),
        "Cabinet Lemoine");
    reply_free(r);
    r = cl_get(&p.company_admin.c,
               tpath("/api/v1/teams/%s/partner-requests?status=accepted", p.company));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){NULL});
    reply_free(r);
    r = client_send(&p.company_admin.c, "GET",
                    tpath("/api/v1/teams/%s/partner-requests?status=perdu", p.company), NULL, NULL);
    teams_assert_field_problem(r, "status", "not_allowed");
    reply_free(r);
    /* A company member who is not the administrator sees no requests. */
    teams_join(&p.company_admin.c, p.company, NULL, &m);
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/partner-requests", p.company), NULL, NULL);
    teams_assert_problem(r, 403, "forbidden");
    reply_free(r);
}

Test(clients, only_the_companys_administrator_answers)
{
    struct cl_pair p;
    struct teams_user m, stranger;
    char other[TEAMS_ID_MAX], status[16];
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    teams_join(&p.company_admin.c, p.company, NULL, &m);
    cl_team(&stranger, "company", "Fromagerie Blanc", other);
    const char *actions[] = {"accept", "refuse"};
    for (int i = 0; i < 2; i++) {
        struct reply *r = cl_answer(&p.firm_admin.c, "partner-requests", p.request, actions[i]);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
        r = cl_answer(&stranger.c, "partner-requests", p.request, actions[i]);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
        r = cl_answer(&m.c, "partner-requests", p.request, actions[i]);
        teams_assert_problem(r, 403, "forbidden");
        reply_free(r);
        r = cl_answer(&p.company_admin.c, "partner-requests", CL_UNKNOWN_ID, actions[i]);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
    }
    cr_assert_str_eq(cl_status("partner_requests", p.request, status), "pending");

    struct reply *r = cl_answer(&p.company_admin.c, "partner-requests", p.request, "accept");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "accepted");
    cr_assert_str_eq(teams_str(r->json, "answered_by"), p.company_admin.id, "%s", r->body);
    cr_assert(teams_str(r->json, "answered_at")[0], "%s", r->body);
    reply_free(r);
    for (int i = 0; i < 2; i++) {
        r = cl_answer(&p.company_admin.c, "partner-requests", p.request, actions[i]);
        teams_assert_problem(r, 409, "request_not_pending");
        reply_free(r);
    }
    cr_assert_str_eq(cl_status("partner_requests", p.request, status), "accepted");
    cr_assert_eq(
        cl_audit_count(&p.company_admin.c, p.company, "partner_request.accepted", p.request), 1);
}

Test(clients, partners_are_listed_on_both_sides_once_accepted)
{
    struct cl_pair p;
    struct teams_user m;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    teams_join(&p.company_admin.c, p.company, NULL, &m);
    struct reply *r = cl_get(&m.c, tpath("/api/v1/teams/%s/partners", p.company));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
    cl_accept_partner(&p.company_admin.c, p.request);

    r = cl_get(&m.c, tpath("/api/v1/teams/%s/partners", p.company));
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    json_t *team = json_object_get(json_array_get(items, 0), "team");
    cr_assert_str_eq(teams_str(team, "id"), p.firm);
    cr_assert_str_eq(teams_str(team, "name"), "Cabinet Lemoine");
    cr_assert_str_eq(teams_str(team, "kind"), "firm");
    cr_assert_str_eq(teams_str(json_array_get(items, 0), "request_id"), p.request);
    cr_assert(teams_str(json_array_get(items, 0), "since")[0], "%s", r->body);
    reply_free(r);
    r = cl_get(&p.firm_admin.c, tpath("/api/v1/teams/%s/partners", p.firm));
    items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    team = json_object_get(json_array_get(items, 0), "team");
    cr_assert_str_eq(teams_str(team, "id"), p.company);
    cr_assert_str_eq(teams_str(team, "kind"), "company");
    reply_free(r);
    r = cl_get(&p.firm_admin.c, tpath("/api/v1/teams/%s/clients/%s", p.firm, p.client.id));
    cr_assert_str_eq(teams_str(r->json, "partnership"), "accepted", "%s", r->body);
    reply_free(r);
}

Test(clients, a_refused_request_makes_no_partners)
{
    struct cl_pair p;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    struct reply *r = cl_answer(&p.company_admin.c, "partner-requests", p.request, "refuse");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "refused");
    reply_free(r);
    r = cl_get(&p.firm_admin.c, tpath("/api/v1/teams/%s/partners", p.firm));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
    r = cl_get(&p.company_admin.c, tpath("/api/v1/teams/%s/partners", p.company));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
    r = cl_get(&p.firm_admin.c, tpath("/api/v1/teams/%s/clients/%s", p.firm, p.client.id));
    cr_assert_str_eq(teams_str(r->json, "partnership"), "refused", "%s", r->body);
    reply_free(r);
    cr_assert_eq(
        cl_audit_count(&p.company_admin.c, p.company, "partner_request.refused", p.request), 1);
}
