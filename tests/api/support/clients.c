#include "support/clients.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testdb.h"

void cl_team(struct teams_user *u, const char *kind, const char *name, char team[TEAMS_ID_MAX])
{
    teams_user(u);
    struct reply *r =
        client_json(&u->c, "POST", "/api/v1/teams", "{s:s, s:s}", "name", name, "kind", kind);
    cr_assert_eq(r->status, 201, "create %s %s: %ld %s", kind, name, r->status, r->body);
    snprintf(team, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    reply_free(r);
}

void cl_pair(struct cl_pair *p, const char *firm_name, const char *company_name)
{
    cl_team(&p->firm_admin, "firm", firm_name, p->firm);
    cl_team(&p->company_admin, "company", company_name, p->company);
    cl_client(&p->firm_admin.c, p->firm, company_name, p->company_admin.email, p->company,
              &p->client);
    cl_partner_request(p->firm, p->company, p->request);
}

struct reply *cl_client_post(struct client *c, const char *firm, const char *name,
                             const char *email, const char *company)
{
    const char *path = tpath("/api/v1/teams/%s/clients", firm);
    if (company)
        return client_json(c, "POST", path, "{s:s, s:s, s:s}", "company_name", name, "email", email,
                           "company_team_id", company);
    return client_json(c, "POST", path, "{s:s, s:s}", "company_name", name, "email", email);
}

void cl_client(struct client *c, const char *firm, const char *name, const char *email,
               const char *company, struct cl_client *rec)
{
    struct reply *r = cl_client_post(c, firm, name, email, company);
    cr_assert_eq(r->status, 201, "create client %s: %ld %s", name, r->status, r->body);
    snprintf(rec->id, sizeof(rec->id), "%s", teams_str(r->json, "id"));
    snprintf(rec->company, sizeof(rec->company), "%s",
             teams_str(json_object_get(r->json, "company"), "id"));
    cr_assert(rec->id[0] && rec->company[0], "%s", r->body);
    reply_free(r);
}

void cl_partner_request(const char *firm, const char *company, char id[TEAMS_ID_MAX])
{
    const char *params[] = {firm, company};
    testdb_text("SELECT id FROM partner_requests WHERE firm_team_id = $1 AND company_team_id = $2 "
                "ORDER BY created_at DESC LIMIT 1",
                2, params, id, TEAMS_ID_MAX);
}

const char *cl_status(const char *table, const char *id, char out[16])
{
    const char *params[] = {id};
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT status FROM %s WHERE id = $1", table);
    return testdb_text(sql, 1, params, out, 16);
}

struct reply *cl_answer(struct client *c, const char *what, const char *id, const char *action)
{
    return client_send(c, "POST", tpath("/api/v1/%s/%s/%s", what, id, action), NULL, NULL);
}

void cl_accept_partner(struct client *admin, const char *request)
{
    struct reply *r = cl_answer(admin, "partner-requests", request, "accept");
    cr_assert_eq(r->status, 200, "accept partner request: %ld %s", r->status, r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "accepted", "%s", r->body);
    reply_free(r);
}

struct reply *cl_link_post(struct client *c, const char *firm, const char *secondary,
                           const char *principal)
{
    return client_json(c, "POST", tpath("/api/v1/teams/%s/link-requests", firm), "{s:s, s:s}",
                       "secondary_client_id", secondary, "principal_client_id", principal);
}

void cl_link(struct client *c, const char *firm, const char *secondary, const char *principal,
             char id[TEAMS_ID_MAX])
{
    struct reply *r = cl_link_post(c, firm, secondary, principal);
    cr_assert_eq(r->status, 201, "link request: %ld %s", r->status, r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "pending", "%s", r->body);
    snprintf(id, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    reply_free(r);
}

struct reply *cl_link_accept(struct client *c, const char *id, bool group)
{
    return client_json(c, "POST", tpath("/api/v1/link-requests/%s/accept", id), "{s:b}",
                       "accept_group", group);
}

struct reply *cl_upload(struct client *c, const char *firm, const char *client, const void *data,
                        size_t len, const char *filename, const char *type)
{
    char name_header[2048], type_header[300];
    const char *headers[3] = {NULL, NULL, NULL};
    int n = 0;
    snprintf(type_header, sizeof(type_header), "Content-Type:%s%s", type ? " " : "",
             type ? type : "");
    headers[n++] = type_header; /* "Content-Type:" alone removes curl's default */
    if (filename) {
        snprintf(name_header, sizeof(name_header), "X-Filename: %s", filename);
        headers[n++] = name_header;
    }
    return client_send_bytes(c, "POST",
                             tpath("/api/v1/teams/%s/clients/%s/documents", firm, client), data,
                             len, headers);
}

void cl_share(struct client *c, const char *firm, const char *client, const char *text,
              const char *filename, char doc[TEAMS_ID_MAX])
{
    struct reply *r = cl_upload(c, firm, client, text, strlen(text), filename, "text/plain");
    cr_assert_eq(r->status, 201, "share %s: %ld %s", filename, r->status, r->body);
    snprintf(doc, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    reply_free(r);
}

struct reply *cl_get(struct client *c, const char *path)
{
    struct reply *r = client_send(c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "GET %s: %ld %s", path, r->status, r->body);
    return r;
}

void cl_get_404(struct client *c, const char *path)
{
    struct reply *r = client_send(c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 404, "GET %s: expected 404, got %ld %s", path, r->status, r->body);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
}

void cl_space_invitation(const char *team, char id[TEAMS_ID_MAX])
{
    const char *params[] = {team};
    testdb_text("SELECT id FROM invitations WHERE team_id = $1 AND status = 'pending'", 1, params,
                id, TEAMS_ID_MAX);
}

void cl_join_space(const char *team, const char *email, struct teams_user *u)
{
    char invitation[TEAMS_ID_MAX], token[TEAMS_TOKEN_MAX];
    client_init(&u->c);
    snprintf(u->email, sizeof(u->email), "%s", email);
    cl_space_invitation(team, invitation);
    teams_wait_token(email, invitation, 1, token);
    struct reply *r =
        client_json(&u->c, "POST", tpath("/api/v1/invitations/%s/signup", token), "{s:s, s:s, s:s}",
                    "password", CLIENT_PASSWORD, "first_name", "Hugo", "last_name", "Lefèvre");
    cr_assert_eq(r->status, 201, "signup through the space's link: %ld %s", r->status, r->body);
    snprintf(u->id, sizeof(u->id), "%s", teams_str(json_object_get(r->json, "user"), "id"));
    cr_assert(u->id[0] && u->c.session[0], "no user or session: %s", r->body);
    reply_free(r);
}

void cl_accept_space(struct teams_user *u, const char *team)
{
    char invitation[TEAMS_ID_MAX], token[TEAMS_TOKEN_MAX];
    cl_space_invitation(team, invitation);
    teams_wait_token(u->email, invitation, 1, token);
    struct reply *r =
        client_send(&u->c, "POST", tpath("/api/v1/invitations/%s/accept", token), NULL, NULL);
    cr_assert_eq(r->status, 200, "accept the space's invitation: %ld %s", r->status, r->body);
    reply_free(r);
}

int cl_audit_count(struct client *admin, const char *team, const char *action, const char *target)
{
    struct reply *r = cl_get(admin, tpath("/api/v1/teams/%s/audit?limit=200", team));
    int n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(r->json, "items"), i,
                       e) if (strcmp(teams_str(e, "action"), action) == 0 &&
                              (!target || strcmp(teams_str(e, "target"), target) == 0)) n++;
    reply_free(r);
    return n;
}

json_t *cl_find(const json_t *array, const char *key, const char *value)
{
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) if (strcmp(teams_str(item, key), value) == 0) return item;
    return NULL;
}

void cl_assert_keys(const json_t *items, const char *key, const char *const *expected)
{
    size_t n = 0;
    while (expected[n])
        n++;
    char *text = json_dumps(items, JSON_COMPACT);
    cr_assert_eq(json_array_size(items), n, "expected %zu items, got %s", n, text);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(teams_str(json_array_get(items, i), key), expected[i], "item %zu: %s", i,
                         text);
    free(text);
}
