/* Linked accounts (issue #8, seed 001): a firm links a secondary client to a principal one; the
 * principal's administrator accepts (with the partnership of the whole group) and then reads,
 * from its own space, every document the firm shared with the secondary. The seed's case is
 * BATIE CONSTRUCTION linking DEMOLITOR (a new record) to CONSTRUCTOR (an existing space). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/clients.h"
#include "support/letters.h"
#include "support/teams.h"
#include "support/testdb.h"

/* The seed's case. `owner` administers CONSTRUCTOR and, once the e-mails match, DEMOLITOR. */
struct seed {
    struct teams_user batie, owner;
    char firm[TEAMS_ID_MAX], demolitor_email[128];
    struct cl_client constructor, demolitor;
    char constructor_request[TEAMS_ID_MAX], demolitor_request[TEAMS_ID_MAX];
    char docs[3][TEAMS_ID_MAX]; /* shared with DEMOLITOR, oldest first */
    char constructor_doc[TEAMS_ID_MAX];
    char link[TEAMS_ID_MAX];
};

static const char *const demolitor_texts[] = {"Contrat de mission 1", "Relevé d'heures mars",
                                              "Facture 2024-117"};

/* BATIE CONSTRUCTION records CONSTRUCTOR (its existing space) and DEMOLITOR (a new one, with
 * its own address), and shares documents with both. */
static void seed_records(struct seed *s)
{
    char constructor_team[TEAMS_ID_MAX];
    cl_team(&s->batie, "firm", "BATIE CONSTRUCTION", s->firm);
    cl_team(&s->owner, "company", "CONSTRUCTOR", constructor_team);
    cl_client(&s->batie.c, s->firm, "CONSTRUCTOR", s->owner.email, constructor_team,
              &s->constructor);
    client_unique_email(s->demolitor_email, sizeof(s->demolitor_email), "demolitor");
    struct reply *r = cl_client_post(&s->batie.c, s->firm, "DEMOLITOR", s->demolitor_email, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "company"), "space"), "invited");
    cr_assert_eq(json_array_size(json_object_get(r->json, "link_suggestions")), 0, "%s", r->body);
    snprintf(s->demolitor.id, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    snprintf(s->demolitor.company, TEAMS_ID_MAX, "%s",
             teams_str(json_object_get(r->json, "company"), "id"));
    reply_free(r);
    cl_partner_request(s->firm, s->constructor.company, s->constructor_request);
    cl_partner_request(s->firm, s->demolitor.company, s->demolitor_request);
    for (int i = 0; i < 3; i++)
        cl_share(&s->batie.c, s->firm, s->demolitor.id, demolitor_texts[i],
                 tpath("piece-%d.txt", i + 1), s->docs[i]);
    cl_share(&s->batie.c, s->firm, s->constructor.id, "Kbis CONSTRUCTOR", "kbis.txt",
             s->constructor_doc);
}

/* DEMOLITOR's record gets CONSTRUCTOR's e-mail: pli suggests the link and the waiting space's
 * invitation moves to that address, where CONSTRUCTOR's administrator accepts it. */
static void seed_same_email(struct seed *s)
{
    char old[TEAMS_ID_MAX], status[16];
    cl_space_invitation(s->demolitor.company, old);
    struct reply *r = client_json(&s->batie.c, "PATCH",
                                  tpath("/api/v1/teams/%s/clients/%s", s->firm, s->demolitor.id),
                                  "{s:s}", "email", s->owner.email);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "email"), s->owner.email);
    json_t *suggestions = json_object_get(r->json, "link_suggestions");
    cr_assert_eq(json_array_size(suggestions), 1, "%s", r->body);
    json_t *suggestion = json_array_get(suggestions, 0);
    cr_assert_str_eq(teams_str(suggestion, "client_id"), s->constructor.id, "%s", r->body);
    cr_assert_str_eq(teams_str(suggestion, "company_name"), "CONSTRUCTOR");
    cr_assert_str_eq(teams_str(json_object_get(suggestion, "company"), "id"),
                     s->constructor.company);
    reply_free(r);
    cr_assert_str_eq(cl_status("invitations", old, status), "revoked");
    cl_accept_space(&s->owner, s->demolitor.company);
    r = cl_get(&s->owner.c, tpath("/api/v1/teams/%s", s->demolitor.company));
    cr_assert_str_eq(teams_str(r->json, "administrator_id"), s->owner.id, "%s", r->body);
    reply_free(r);
}

/* BATIE files the link DEMOLITOR → CONSTRUCTOR and checks the summary. */
static void seed_file_link(struct seed *s)
{
    struct reply *r = cl_link_post(&s->batie.c, s->firm, s->demolitor.id, s->constructor.id);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "pending");
    cr_assert_str_eq(teams_str(json_object_get(r->json, "firm"), "name"), "BATIE CONSTRUCTION");
    cr_assert_str_eq(teams_str(json_object_get(r->json, "principal"), "id"),
                     s->constructor.company);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "secondary"), "name"), "DEMOLITOR");
    cr_assert_str_eq(teams_str(r->json, "principal_client_id"), s->constructor.id);
    cr_assert_str_eq(teams_str(r->json, "secondary_client_id"), s->demolitor.id);
    cr_assert_str_eq(teams_str(r->json, "requested_by"), s->batie.id);
    json_t *summary = json_object_get(r->json, "summary");
    cl_assert_keys(summary, "client_id",
                   (const char *const[]){s->constructor.id, s->demolitor.id, NULL});
    json_t *principal = json_array_get(summary, 0), *secondary = json_array_get(summary, 1);
    cr_assert_str_eq(teams_str(principal, "role"), "principal");
    cr_assert_str_eq(teams_str(principal, "company_name"), "CONSTRUCTOR");
    cr_assert_str_eq(teams_str(json_object_get(principal, "company"), "id"),
                     s->constructor.company);
    cr_assert(json_is_null(json_object_get(principal, "link_status")), "%s", r->body);
    cr_assert_str_eq(teams_str(secondary, "role"), "secondary");
    cr_assert_str_eq(teams_str(secondary, "company_name"), "DEMOLITOR");
    cr_assert_str_eq(teams_str(secondary, "link_status"), "pending");
    snprintf(s->link, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    reply_free(r);
}

/* CONSTRUCTOR's administrator sees the request and accepts it with the whole group. */
static void seed_accept(struct seed *s)
{
    struct reply *r = cl_get(&s->owner.c, tpath("/api/v1/teams/%s/link-requests?status=pending",
                                                s->constructor.company));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){s->link, NULL});
    reply_free(r);
    r = cl_link_accept(&s->owner.c, s->link, true);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "accepted");
    cr_assert(json_is_true(json_object_get(r->json, "accept_group")), "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "answered_by"), s->owner.id);
    reply_free(r);
}

static void seed(struct seed *s)
{
    seed_records(s);
    seed_same_email(s);
    seed_file_link(s);
    seed_accept(s);
}

/* Asserts the document downloads from team with the bytes shared and the listed sha256. */
static void assert_same_document(struct client *c, const char *team, const char *doc,
                                 const char *text, const char *listed_sha)
{
    char sha[65];
    lt_sha256_hex(text, strlen(text), sha);
    cr_assert_str_eq(listed_sha, sha);
    struct reply *r = cl_get(c, tpath("/api/v1/teams/%s/documents/%s", team, doc));
    cr_assert_eq(r->body_len, strlen(text));
    cr_assert(memcmp(r->body, text, r->body_len) == 0, "bytes differ: %s", r->body);
    char got[65];
    lt_sha256_hex(r->body, r->body_len, got);
    cr_assert_str_eq(got, sha);
    reply_free(r);
}

Test(linked_accounts, batie_links_demolitor_to_constructor)
{
    struct seed s;
    char status[16];
    seed_records(&s);
    seed_same_email(&s);
    seed_file_link(&s);
    /* Before the answer, CONSTRUCTOR reads nothing of DEMOLITOR's. */
    cl_get_404(&s.owner.c,
               tpath("/api/v1/teams/%s/documents/%s", s.constructor.company, s.docs[0]));
    struct reply *r = cl_get(&s.owner.c, tpath("/api/v1/teams/%s/partner-requests?status=pending",
                                               s.constructor.company));
    cl_assert_keys(json_object_get(r->json, "items"), "id",
                   (const char *const[]){s.constructor_request, NULL});
    reply_free(r);
    seed_accept(&s);
    cr_assert_str_eq(cl_status("partner_requests", s.constructor_request, status), "accepted");
    cr_assert_str_eq(cl_status("partner_requests", s.demolitor_request, status), "accepted");

    r = cl_get(&s.owner.c, tpath("/api/v1/teams/%s/linked-accounts", s.constructor.company));
    json_t *items = json_object_get(r->json, "items");
    cl_assert_keys(items, "id", (const char *const[]){s.link, NULL});
    json_t *link = json_array_get(items, 0);
    cr_assert_str_eq(teams_str(link, "role"), "principal");
    cr_assert_str_eq(teams_str(json_object_get(link, "firm"), "name"), "BATIE CONSTRUCTION");
    cr_assert_str_eq(teams_str(json_object_get(link, "principal"), "name"), "CONSTRUCTOR");
    cr_assert_str_eq(teams_str(json_object_get(link, "secondary"), "id"), s.demolitor.company);
    cr_assert_str_eq(teams_str(json_object_get(link, "secondary"), "name"), "DEMOLITOR");
    cr_assert(teams_str(link, "linked_at")[0], "%s", r->body);
    reply_free(r);
    r = cl_get(&s.owner.c, tpath("/api/v1/teams/%s/linked-accounts", s.demolitor.company));
    cr_assert_str_eq(teams_str(json_array_get(json_object_get(r->json, "items"), 0), "role"),
                     "secondary", "%s", r->body);
    reply_free(r);

    r = cl_get(&s.owner.c, tpath("/api/v1/teams/%s/partners", s.constructor.company));
    items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(json_array_get(items, 0), "team"), "name"),
                     "BATIE CONSTRUCTION");
    reply_free(r);
    r = cl_get(&s.batie.c, tpath("/api/v1/teams/%s/partners", s.firm));
    items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 2, "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(json_array_get(items, 0), "team"), "name"),
                     "CONSTRUCTOR");
    cr_assert_str_eq(teams_str(json_object_get(json_array_get(items, 1), "team"), "name"),
                     "DEMOLITOR");
    reply_free(r);
    r = cl_get(&s.batie.c, tpath("/api/v1/teams/%s/clients/%s", s.firm, s.demolitor.id));
    cr_assert_str_eq(teams_str(r->json, "partnership"), "accepted", "%s", r->body);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "company"), "space"), "active");
    json_t *links = json_object_get(r->json, "links");
    cl_assert_keys(links, "id", (const char *const[]){s.link, NULL});
    cr_assert_str_eq(teams_str(json_array_get(links, 0), "role"), "secondary");
    cr_assert_str_eq(teams_str(json_array_get(links, 0), "status"), "accepted");
    reply_free(r);

    /* CONSTRUCTOR reads, grouped by account in name order and newest first, everything BATIE
     * shared with DEMOLITOR (shared before the link), and its own. */
    const char *list = tpath("/api/v1/teams/%s/documents", s.constructor.company);
    char path[160];
    snprintf(path, sizeof(path), "%s", list);
    r = cl_get(&s.owner.c, path);
    json_t *accounts = json_object_get(r->json, "accounts");
    cl_assert_keys(accounts, "name", (const char *const[]){"CONSTRUCTOR", "DEMOLITOR", NULL});
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(accounts, 1), "documents")), 3);
    cl_assert_keys(json_object_get(r->json, "items"), "id",
                   (const char *const[]){s.constructor_doc, s.docs[2], s.docs[1], s.docs[0], NULL});
    reply_free(r);
    r = cl_get(&s.owner.c, tpath("%s?account=%s", path, s.demolitor.company));
    items = json_object_get(r->json, "items");
    cl_assert_keys(items, "id", (const char *const[]){s.docs[2], s.docs[1], s.docs[0], NULL});
    for (int i = 0; i < 3; i++) {
        json_t *doc = json_array_get(items, (size_t)(2 - i));
        cr_assert_str_eq(teams_str(json_object_get(doc, "account"), "name"), "DEMOLITOR");
        assert_same_document(&s.owner.c, s.constructor.company, s.docs[i], demolitor_texts[i],
                             teams_str(doc, "sha256"));
    }
    reply_free(r);
}

Test(linked_accounts, every_step_is_in_the_audit_log)
{
    struct seed s;
    seed(&s);
    struct client *batie = &s.batie.c, *owner = &s.owner.c;
    cr_assert_eq(cl_audit_count(batie, s.firm, "client.created", s.constructor.id), 1);
    cr_assert_eq(cl_audit_count(batie, s.firm, "client.created", s.demolitor.id), 1);
    cr_assert_eq(cl_audit_count(batie, s.firm, "client.updated", s.demolitor.id), 1);
    cr_assert_eq(cl_audit_count(batie, s.firm, "partner_request.created", s.constructor_request),
                 1);
    cr_assert_eq(cl_audit_count(batie, s.firm, "partner_request.created", s.demolitor_request), 1);
    cr_assert_eq(cl_audit_count(batie, s.firm, "document.shared", s.demolitor.id), 3);
    cr_assert_eq(cl_audit_count(batie, s.firm, "document.shared", s.constructor.id), 1);
    cr_assert_eq(cl_audit_count(batie, s.firm, "link_request.created", s.link), 1);
    const char *constructor = s.constructor.company, *demolitor = s.demolitor.company;
    cr_assert_eq(cl_audit_count(owner, constructor, "link_request.accepted", s.link), 1);
    cr_assert_eq(
        cl_audit_count(owner, constructor, "partner_request.accepted", s.constructor_request), 1);
    cr_assert_eq(
        cl_audit_count(owner, constructor, "partner_request.accepted", s.demolitor_request), 1);
    cr_assert_eq(cl_audit_count(owner, demolitor, "team.created", demolitor), 1);
    cr_assert_eq(cl_audit_count(owner, demolitor, "invitation.created", NULL), 2);
    cr_assert_eq(cl_audit_count(owner, demolitor, "invitation.revoked", NULL), 1);
    cr_assert_eq(cl_audit_count(owner, demolitor, "invitation.accepted", NULL), 1);

    struct reply *r =
        client_send(owner, "DELETE",
                    tpath("/api/v1/teams/%s/linked-accounts/%s", constructor, s.link), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    cr_assert_eq(cl_audit_count(owner, constructor, "link.unlinked", s.link), 1);
}

Test(linked_accounts, the_secondary_never_reads_the_principals_documents)
{
    struct seed s;
    seed(&s);
    const char *demolitor = s.demolitor.company;
    struct reply *r = cl_get(&s.owner.c, tpath("/api/v1/teams/%s/documents", demolitor));
    cl_assert_keys(json_object_get(r->json, "accounts"), "id",
                   (const char *const[]){demolitor, NULL});
    cl_assert_keys(json_object_get(r->json, "items"), "id",
                   (const char *const[]){s.docs[2], s.docs[1], s.docs[0], NULL});
    reply_free(r);
    cl_get_404(&s.owner.c, tpath("/api/v1/teams/%s/documents/%s", demolitor, s.constructor_doc));
    r = cl_get(&s.owner.c,
               tpath("/api/v1/teams/%s/documents?account=%s", demolitor, s.constructor.company));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
}

/* A firm with two client companies (each with its own administrator), the principal P and the
 * secondary S, a document shared with each; partnerships accepted when `partners`. */
struct group {
    struct teams_user firm_admin, p_admin, s_admin;
    char firm[TEAMS_ID_MAX];
    struct cl_client p, s;
    char p_request[TEAMS_ID_MAX], s_request[TEAMS_ID_MAX];
    char p_doc[TEAMS_ID_MAX], s_doc[TEAMS_ID_MAX];
};

static void group(struct group *g, bool partners)
{
    char p_team[TEAMS_ID_MAX], s_team[TEAMS_ID_MAX];
    cl_team(&g->firm_admin, "firm", "Cabinet Lemoine", g->firm);
    cl_team(&g->p_admin, "company", "Holding Martin", p_team);
    cl_team(&g->s_admin, "company", "Filiale Martin", s_team);
    cl_client(&g->firm_admin.c, g->firm, "Holding Martin", g->p_admin.email, p_team, &g->p);
    cl_client(&g->firm_admin.c, g->firm, "Filiale Martin", g->s_admin.email, s_team, &g->s);
    cl_partner_request(g->firm, p_team, g->p_request);
    cl_partner_request(g->firm, s_team, g->s_request);
    if (partners) {
        cl_accept_partner(&g->p_admin.c, g->p_request);
        cl_accept_partner(&g->s_admin.c, g->s_request);
    }
    cl_share(&g->firm_admin.c, g->firm, g->p.id, "Contrat holding", "holding.txt", g->p_doc);
    cl_share(&g->firm_admin.c, g->firm, g->s.id, "Contrat filiale", "filiale.txt", g->s_doc);
}

static const char *s_doc_for_p(const struct group *g)
{
    return tpath("/api/v1/teams/%s/documents/%s", g->p.company, g->s_doc);
}

Test(linked_accounts, a_refused_link_gives_no_access)
{
    struct group g;
    char link[TEAMS_ID_MAX], again[TEAMS_ID_MAX], status[16];
    group(&g, true);
    cl_link(&g.firm_admin.c, g.firm, g.s.id, g.p.id, link);
    struct reply *r = cl_answer(&g.p_admin.c, "link-requests", link, "refuse");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "refused");
    cr_assert_str_eq(teams_str(r->json, "answered_by"), g.p_admin.id);
    cr_assert(json_is_null(json_object_get(r->json, "accept_group")), "%s", r->body);
    reply_free(r);
    cr_assert_str_eq(cl_status("link_requests", link, status), "refused");
    cl_get_404(&g.p_admin.c, s_doc_for_p(&g));
    r = cl_get(&g.p_admin.c, tpath("/api/v1/teams/%s/linked-accounts", g.p.company));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
    r = cl_get(&g.p_admin.c, tpath("/api/v1/teams/%s/documents", g.p.company));
    cl_assert_keys(json_object_get(r->json, "accounts"), "id",
                   (const char *const[]){g.p.company, NULL});
    reply_free(r);
    r = cl_get(&g.firm_admin.c, tpath("/api/v1/teams/%s/clients/%s", g.firm, g.s.id));
    cr_assert_eq(json_array_size(json_object_get(r->json, "links")), 0, "%s", r->body);
    reply_free(r);
    r = cl_get(&g.s_admin.c, tpath("/api/v1/teams/%s/link-requests?status=refused", g.s.company));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){link, NULL});
    reply_free(r);
    cr_assert_eq(cl_audit_count(&g.p_admin.c, g.p.company, "link_request.refused", link), 1);
    /* A refused link may be asked again. */
    cl_link(&g.firm_admin.c, g.firm, g.s.id, g.p.id, again);
}

Test(linked_accounts, unlinking_ends_the_access_and_the_secondary_keeps_its_own)
{
    struct group g;
    struct teams_user m;
    char link[TEAMS_ID_MAX], status[16];
    group(&g, true);
    cl_link(&g.firm_admin.c, g.firm, g.s.id, g.p.id, link);
    struct reply *r = cl_link_accept(&g.p_admin.c, link, false);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = cl_get(&g.p_admin.c, s_doc_for_p(&g));
    reply_free(r);

    teams_join(&g.p_admin.c, g.p.company, NULL, &m);
    r = cl_get(&m.c, tpath("/api/v1/teams/%s/linked-accounts", g.p.company));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){link, NULL});
    reply_free(r);
    const char *p_path = tpath("/api/v1/teams/%s/linked-accounts/%s", g.p.company, link);
    char p_unlink[200], s_unlink[200];
    snprintf(p_unlink, sizeof(p_unlink), "%s", p_path);
    snprintf(s_unlink, sizeof(s_unlink), "/api/v1/teams/%s/linked-accounts/%s", g.s.company, link);
    r = client_send(&m.c, "DELETE", p_unlink, NULL, NULL);
    teams_assert_forbidden(r, "administrator");
    reply_free(r);
    r = client_send(&g.s_admin.c, "DELETE", s_unlink, NULL, NULL);
    cr_assert_eq(r->status, 204, "the secondary unlinks: %ld %s", r->status, r->body);
    reply_free(r);
    cr_assert_str_eq(cl_status("link_requests", link, status), "unlinked");
    r = client_send(&g.s_admin.c, "DELETE", s_unlink, NULL, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    r = client_send(&g.p_admin.c, "DELETE", p_unlink, NULL, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);

    cl_get_404(&g.p_admin.c, s_doc_for_p(&g));
    r = cl_get(&g.p_admin.c, tpath("/api/v1/teams/%s/linked-accounts", g.p.company));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
    r = cl_get(&g.s_admin.c, tpath("/api/v1/teams/%s/documents", g.s.company));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){g.s_doc, NULL});
    reply_free(r);
    r = cl_get(&g.s_admin.c, tpath("/api/v1/teams/%s/documents/%s", g.s.company, g.s_doc));
    reply_free(r);
    r = cl_get(&g.s_admin.c, tpath("/api/v1/teams/%s", g.s.company));
    reply_free(r);
    r = cl_get(&g.firm_admin.c, tpath("/api/v1/teams/%s/link-requests?status=unlinked", g.firm));
    json_t *item = json_array_get(json_object_get(r->json, "items"), 0);
    cr_assert_str_eq(teams_str(item, "id"), link, "%s", r->body);
    cr_assert_str_eq(teams_str(item, "unlinked_by"), g.s_admin.id, "%s", r->body);
    cr_assert(teams_str(item, "unlinked_at")[0], "%s", r->body);
    reply_free(r);
    cr_assert_eq(cl_audit_count(&g.s_admin.c, g.s.company, "link.unlinked", link), 1);
}

Test(linked_accounts, the_principal_may_unlink_too)
{
    struct group g;
    char link[TEAMS_ID_MAX];
    group(&g, true);
    cl_link(&g.firm_admin.c, g.firm, g.s.id, g.p.id, link);
    struct reply *r = cl_answer(&g.p_admin.c, "link-requests", link, "accept");
    cr_assert_eq(r->status, 200, "accept with no body: %s", r->body);
    cr_assert(json_is_false(json_object_get(r->json, "accept_group")), "%s", r->body);
    reply_free(r);
    r = client_send(&g.p_admin.c, "DELETE",
                    tpath("/api/v1/teams/%s/linked-accounts/%s", g.p.company, link), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    cl_get_404(&g.p_admin.c, s_doc_for_p(&g));
}

Test(linked_accounts, without_the_group_the_partnerships_still_wait)
{
    struct group g;
    char link[TEAMS_ID_MAX], status[16];
    group(&g, false);
    cl_link(&g.firm_admin.c, g.firm, g.s.id, g.p.id, link);
    struct reply *r = cl_link_accept(&g.p_admin.c, link, false);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_false(json_object_get(r->json, "accept_group")), "%s", r->body);
    reply_free(r);
    cr_assert_str_eq(cl_status("partner_requests", g.p_request, status), "pending");
    cr_assert_str_eq(cl_status("partner_requests", g.s_request, status), "pending");
    /* Linked but not the firm's partner: the principal reads nothing yet. */
    cl_get_404(&g.p_admin.c, s_doc_for_p(&g));
    cl_accept_partner(&g.p_admin.c, g.p_request);
    r = cl_get(&g.p_admin.c, s_doc_for_p(&g));
    cr_assert_str_eq(r->body, "Contrat filiale");
    reply_free(r);
    /* The secondary, not a partner, does not read its own documents. */
    cl_get_404(&g.s_admin.c, tpath("/api/v1/teams/%s/documents/%s", g.s.company, g.s_doc));
}

Test(linked_accounts, only_the_principals_administrator_answers_once)
{
    struct group g;
    struct teams_user m;
    char link[TEAMS_ID_MAX], status[16];
    group(&g, true);
    cl_link(&g.firm_admin.c, g.firm, g.s.id, g.p.id, link);
    teams_join(&g.p_admin.c, g.p.company, NULL, &m);
    struct reply *r =
        client_send(&m.c, "GET", tpath("/api/v1/teams/%s/link-requests", g.p.company), NULL, NULL);
    teams_assert_problem(r, 403, "forbidden");
    reply_free(r);
    r = client_send(&g.p_admin.c, "DELETE",
                    tpath("/api/v1/teams/%s/linked-accounts/%s", g.p.company, link), NULL, NULL);
    teams_assert_problem(r, 404, "not_found"); /* still pending: no link to end */
    reply_free(r);
    r = cl_link_accept(&m.c, link, true);
    teams_assert_forbidden(r, "administrator");
    reply_free(r);
    r = cl_answer(&m.c, "link-requests", link, "refuse");
    teams_assert_forbidden(r, "administrator");
    reply_free(r);
    struct client *others[] = {&g.s_admin.c, &g.firm_admin.c};
    for (int i = 0; i < 2; i++) {
        r = cl_link_accept(others[i], link, true);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
        r = cl_answer(others[i], "link-requests", link, "refuse");
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
    }
    cr_assert_str_eq(cl_status("link_requests", link, status), "pending");
    r = cl_link_accept(&g.p_admin.c, link, true);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = cl_link_accept(&g.p_admin.c, link, true);
    teams_assert_problem(r, 409, "request_not_pending");
    reply_free(r);
    r = cl_answer(&g.p_admin.c, "link-requests", link, "refuse");
    teams_assert_problem(r, 409, "request_not_pending");
    reply_free(r);
    cr_assert_str_eq(cl_status("link_requests", link, status), "accepted");
    r = client_json(&g.p_admin.c, "POST", tpath("/api/v1/link-requests/%s/accept", link), "{s:s}",
                    "accept_group", "oui");
    teams_assert_field_problem(r, "accept_group", "wrong_type");
    reply_free(r);
}

Test(linked_accounts, already_linked_and_link_chain)
{
    struct teams_user f, other;
    char firm[TEAMS_ID_MAX], other_firm[TEAMS_ID_MAX], email[128], link[TEAMS_ID_MAX];
    struct cl_client a, b, c, d, stranger;
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    cl_team(&other, "firm", "Cabinet Voisin", other_firm);
    client_unique_email(email, sizeof(email), "groupe");
    cl_client(&f.c, firm, "Atelier Martin", email, NULL, &a);
    cl_client(&f.c, firm, "Bois Martin", email, NULL, &b);
    cl_client(&f.c, firm, "Cuivre Martin", email, NULL, &c);
    cl_client(&f.c, firm, "Décor Martin", email, NULL, &d);
    cl_client(&other.c, other_firm, "Étranger", email, NULL, &stranger);

    cl_link(&f.c, firm, b.id, a.id, link); /* B under A */
    struct reply *r = cl_link_post(&f.c, firm, b.id, c.id);
    teams_assert_problem(r, 409, "already_linked");
    reply_free(r);
    r = cl_link_post(&f.c, firm, a.id, c.id); /* A is a principal */
    teams_assert_problem(r, 409, "link_chain");
    reply_free(r);
    r = cl_link_post(&f.c, firm, c.id, b.id); /* B is a secondary */
    teams_assert_problem(r, 409, "link_chain");
    reply_free(r);
    r = cl_link_post(&f.c, firm, a.id, a.id);
    teams_assert_field_problem(r, "principal_client_id", "same_as_secondary");
    reply_free(r);
    r = cl_link_post(&f.c, firm, stranger.id, a.id);
    teams_assert_field_problem(r, "secondary_client_id", "unknown_client");
    reply_free(r);
    r = cl_link_post(&f.c, firm, c.id, stranger.id);
    teams_assert_field_problem(r, "principal_client_id", "unknown_client");
    reply_free(r);

    /* A principal gathers several secondaries: the summary lists them by name. */
    r = cl_link_post(&f.c, firm, d.id, a.id);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cl_assert_keys(json_object_get(r->json, "summary"), "client_id",
                   (const char *const[]){a.id, b.id, d.id, NULL});
    reply_free(r);
    const char *params[] = {firm};
    cr_assert_eq(
        testdb_long("SELECT count(*) FROM link_requests WHERE firm_team_id = $1", 1, params), 2);
}

Test(linked_accounts, outsiders_get_404_on_every_id)
{
    struct group g;
    struct teams_user third, rival;
    char third_team[TEAMS_ID_MAX], rival_firm[TEAMS_ID_MAX], link[TEAMS_ID_MAX], status[16];
    group(&g, false);
    cl_link(&g.firm_admin.c, g.firm, g.s.id, g.p.id, link);
    cl_team(&third, "company", "Tiers SARL", third_team);
    cl_team(&rival, "firm", "Cabinet Rival", rival_firm);
    struct client *outsiders[] = {&third.c, &rival.c};
    const char *actions[] = {"accept", "refuse"};
    for (int o = 0; o < 2; o++) {
        for (int a = 0; a < 2; a++) {
            struct reply *r = cl_answer(outsiders[o], "partner-requests", g.p_request, actions[a]);
            teams_assert_problem(r, 404, "not_found");
            reply_free(r);
            r = cl_answer(outsiders[o], "partner-requests", g.s_request, actions[a]);
            teams_assert_problem(r, 404, "not_found");
            reply_free(r);
            r = cl_answer(outsiders[o], "link-requests", link, actions[a]);
            teams_assert_problem(r, 404, "not_found");
            reply_free(r);
        }
    }
    cr_assert_str_eq(cl_status("partner_requests", g.p_request, status), "pending");
    cr_assert_str_eq(cl_status("partner_requests", g.s_request, status), "pending");
    cr_assert_str_eq(cl_status("link_requests", link, status), "pending");

    struct reply *r = cl_link_accept(&g.p_admin.c, link, true);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    const char *docs[] = {g.p_doc, g.s_doc};
    for (int i = 0; i < 2; i++) {
        cl_get_404(&third.c, tpath("/api/v1/teams/%s/documents/%s", third_team, docs[i]));
        cl_get_404(&rival.c, tpath("/api/v1/teams/%s/documents/%s", rival_firm, docs[i]));
    }
    r = client_send(&third.c, "DELETE",
                    tpath("/api/v1/teams/%s/linked-accounts/%s", third_team, link), NULL, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    r = cl_get(&third.c, tpath("/api/v1/teams/%s/linked-accounts", third_team));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
    r = cl_get(&third.c, tpath("/api/v1/teams/%s/link-requests", third_team));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
    r = cl_get(&rival.c, tpath("/api/v1/teams/%s/link-requests", rival_firm));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);

    /* The firm's clients, from the rival firm and from outside the firm. */
    cl_get_404(&rival.c, tpath("/api/v1/teams/%s/clients/%s", rival_firm, g.p.id));
    cl_get_404(&third.c, tpath("/api/v1/teams/%s/clients", g.firm));
    cl_get_404(&third.c, tpath("/api/v1/teams/%s/clients/%s", g.firm, g.p.id));
    r = client_json(&rival.c, "PATCH", tpath("/api/v1/teams/%s/clients/%s", rival_firm, g.p.id),
                    "{s:s}", "company_name", "Pris");
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    r = cl_upload(&rival.c, rival_firm, g.s.id, "x", 1, "intrus.txt", "text/plain");
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    r = cl_link_post(&rival.c, rival_firm, g.s.id, g.p.id);
    teams_assert_field_problem(r, "secondary_client_id", "unknown_client");
    reply_free(r);
}

Test(linked_accounts, a_link_opens_only_what_its_firm_shared)
{
    struct group g;
    struct teams_user rival;
    struct cl_client s_at_rival;
    char rival_firm[TEAMS_ID_MAX], link[TEAMS_ID_MAX], request[TEAMS_ID_MAX], doc[TEAMS_ID_MAX];
    group(&g, true);
    cl_link(&g.firm_admin.c, g.firm, g.s.id, g.p.id, link);
    struct reply *r = cl_link_accept(&g.p_admin.c, link, true);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    /* Another firm, partner of the secondary only, shares a document with it. */
    cl_team(&rival, "firm", "Cabinet Rival", rival_firm);
    cl_client(&rival.c, rival_firm, "Filiale Martin", g.s_admin.email, g.s.company, &s_at_rival);
    cl_partner_request(rival_firm, g.s.company, request);
    cl_accept_partner(&g.s_admin.c, request);
    cl_share(&rival.c, rival_firm, s_at_rival.id, "Audit rival", "audit.txt", doc);

    r = cl_get(&g.s_admin.c, tpath("/api/v1/teams/%s/documents/%s", g.s.company, doc));
    reply_free(r);
    cl_get_404(&g.p_admin.c, tpath("/api/v1/teams/%s/documents/%s", g.p.company, doc));
    r = cl_get(&g.p_admin.c,
               tpath("/api/v1/teams/%s/documents?account=%s", g.p.company, g.s.company));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){g.s_doc, NULL});
    reply_free(r);
}
