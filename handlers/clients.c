/* A firm's client records: creation (with the company's space when it has none, and the partner
 * request), reading, changes, and the link suggestions an e-mail shared with other records
 * brings. */
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"

static const struct json_field create_fields[] = {
    {"company_name", JSON_FIELD_STRING, true, 1, 200, JSON_FORMAT_NONE, NULL},
    {"email", JSON_FIELD_STRING, true, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"company_team_id", JSON_FIELD_STRING, false, 36, 36, JSON_FORMAT_UUID, NULL},
};
const struct body_spec clients_create_body = {create_fields, 3};

static const struct json_field update_fields[] = {
    {"company_name", JSON_FIELD_STRING, false, 1, 200, JSON_FORMAT_NONE, NULL},
    {"email", JSON_FIELD_STRING, false, 3, 254, JSON_FORMAT_EMAIL, NULL},
};
const struct body_spec clients_update_body = {update_fields, 2};

/* What the built-in roles of a space created for a client may do: the administrator all, a
 * member read the documents shared with the company. */
#define SPACE_MEMBER_PERMISSIONS PERMISSION_BIT(PERM_DOCUMENTS_VIEW)

bool clients_firm_only(struct ctx *ctx)
{
    if (strcmp(ctx->req.who.team_kind, "firm") == 0)
        return true;
    problem_set(&ctx->resp, PROBLEM_NOT_A_FIRM, NULL);
    return false;
}

/* Answers the record with the other records that share its e-mail (a link could join them). */
static void answer_with_suggestions(struct ctx *ctx, int status, const char *client_id,
                                    const char *client_json, const char *email)
{
    const char *params[] = {ctx->req.who.team_id, client_id, email};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_CLIENT_LINK_SUGGESTIONS, 3, params, &r))
        return;
    json_t *client = ctx_json_from_db(ctx, client_json);
    json_t *suggestions = ctx_json_from_db(ctx, PQgetvalue(r, 0, 0));
    if (!client || !suggestions) {
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
        return;
    }
    json_object_set(client, "link_suggestions", suggestions);
    response_json(&ctx->resp, status, json_incref(client));
}

/* Asks the company to become the firm's partner unless they are partners or a request waits. */
enum db_status clients_request_partnership(struct ctx *ctx, struct db *db, const char *company,
                                           const char **request_json)
{
    const char *pair[] = {ctx->req.who.team_id, company};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_PARTNER_REQUEST_OPEN, 2, pair, &r);
    if (st != DB_OK || PQntuples(r) > 0)
        return st;
    const char *params[] = {ctx->req.who.team_id, company, ctx->req.who.user_id};
    if ((st = db_exec(db, ctx->req.arena, SQL_PARTNER_REQUEST_CREATE, 3, params, &r)) != DB_OK)
        return st;
    if (request_json)
        *request_json = PQgetvalue(r, 0, 1);
    return audit_record(ctx, "partner_request.created", PQgetvalue(r, 0, 0), NULL,
                        PQgetvalue(r, 0, 1));
}

/* Creates the company's space (no member yet) and invites the client's e-mail to administer it. */
static enum db_status create_space(struct ctx *ctx, struct db *db, const char *name,
                                   const char *email, const char **team_id)
{
    char admin[512], member[512];
    permission_set_format(PERMISSION_ALL, admin, sizeof(admin));
    permission_set_format(SPACE_MEMBER_PERMISSIONS, member, sizeof(member));
    const char *params[] = {name, admin, member};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_TEAM_CREATE_SPACE, 3, params, &r);
    if (st != DB_OK)
        return st;
    *team_id = PQgetvalue(r, 0, 0);
    const char *role_id = PQgetvalue(r, 0, 1);
    json_t *after = json_pack("{s:s, s:s, s:s}", "name", name, "kind", "company", "created_by_firm",
                              ctx->req.who.team_id);
    char *after_text = json_dumps(after, JSON_COMPACT);
    json_decref(after);
    st = audit_record_in(ctx, *team_id, "team.created", *team_id, NULL, after_text);
    free(after_text);
    const char *invitation_id;
    if (st == DB_OK)
        st = invitations_issue(ctx, db, *team_id, email, role_id, &invitation_id);
    return st;
}

struct creation {
    struct ctx *ctx;
    const char *email;
    bool not_a_company;
    const char *id, *json;
};

static enum db_status create_tx(struct db *db, void *p)
{
    struct creation *c = p;
    struct ctx *ctx = c->ctx;
    const char *name = ctx_body_string(ctx, "company_name");
    const char *company = ctx_body_string(ctx, "company_team_id");
    PGresult *r;
    enum db_status st;
    if (company) {
        const char *params[] = {company};
        if ((st = db_exec(db, ctx->req.arena, SQL_TEAM_KIND, 1, params, &r)) != DB_OK)
            return st;
        c->not_a_company = PQntuples(r) == 0 || strcmp(PQgetvalue(r, 0, 0), "company") != 0;
        if (c->not_a_company)
            return DB_INVALID;
    } else if ((st = create_space(ctx, db, name, c->email, &company)) != DB_OK) {
        return st;
    }
    const char *params[] = {ctx->req.who.team_id, company, name, c->email, ctx->req.who.user_id};
    if ((st = db_exec(db, ctx->req.arena, SQL_CLIENT_CREATE, 5, params, &r)) != DB_OK)
        return st;
    c->id = PQgetvalue(r, 0, 0);
    if ((st = audit_record(ctx, "client.created", c->id, NULL, PQgetvalue(r, 0, 1))) != DB_OK ||
        (st = clients_request_partnership(ctx, db, company, NULL)) != DB_OK)
        return st;
    const char *record[] = {ctx->req.who.team_id, c->id};
    if ((st = db_exec(db, ctx->req.arena, SQL_CLIENT_GET, 2, record, &r)) != DB_OK)
        return st;
    c->json = PQgetvalue(r, 0, 0); /* with the partner request just filed */
    return DB_OK;
}

void clients_create(struct ctx *ctx)
{
    if (!clients_firm_only(ctx))
        return;
    struct creation c = {.ctx = ctx, .email = ctx_email(ctx, ctx_body_string(ctx, "email"))};
    enum db_status st = db_transaction(ctx->app->db, create_tx, &c);
    if (c.not_a_company)
        ctx_field_problem(ctx, "company_team_id", "not_a_company",
                          "is not the id of a company's space");
    else if (st == DB_CONFLICT)
        problem_set(&ctx->resp, PROBLEM_CLIENT_EXISTS, NULL);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        answer_with_suggestions(ctx, 201, c.id, c.json, c.email);
}

void clients_list(struct ctx *ctx)
{
    struct ctx_page page;
    if (!clients_firm_only(ctx) || !ctx_page(ctx, &page))
        return;
    const char *params[] = {ctx->req.who.team_id, page.cursor, page.size};
    PGresult *r;
    if (ctx_exec(ctx, SQL_CLIENT_LIST, 3, params, &r))
        ctx_answer_page(ctx, r);
}

void clients_get(struct ctx *ctx)
{
    if (!clients_firm_only(ctx))
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (ctx_exec(ctx, SQL_CLIENT_GET, 2, params, &r))
        ctx_answer_row(ctx, 200, r, "No such client");
}

struct change {
    struct ctx *ctx;
    const char *email; /* the new e-mail, or NULL */
    bool missing;
    const char *json;
};

/* A space still waiting for its administrator follows the record's e-mail: the pending
 * invitation is withdrawn and the new address invited. */
static enum db_status move_space_invitation(struct ctx *ctx, struct db *db, const char *team,
                                            const char *email)
{
    const char *params[] = {team};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_SPACE_INVITATION_PENDING, 1, params, &r);
    if (st != DB_OK || PQntuples(r) == 0)
        return st;
    const char *invitation[] = {team, PQgetvalue(r, 0, 0)};
    const char *role_id = PQgetvalue(r, 0, 1);
    PGresult *revoked;
    if ((st = db_exec(db, ctx->req.arena, SQL_INVITATION_REVOKE, 2, invitation, &revoked)) !=
            DB_OK ||
        (st = audit_record_in(ctx, team, "invitation.revoked", invitation[1], NULL,
                              PQgetvalue(revoked, 0, 0))) != DB_OK)
        return st;
    const char *invitation_id;
    return invitations_issue(ctx, db, team, email, role_id, &invitation_id);
}

static enum db_status update_tx(struct db *db, void *p)
{
    struct change *c = p;
    struct ctx *ctx = c->ctx;
    const char *id[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_CLIENT_LOCK, 2, id, &r);
    if (st != DB_OK)
        return st;
    c->missing = PQntuples(r) == 0;
    if (c->missing)
        return DB_INVALID;
    const char *before = PQgetvalue(r, 0, 2);
    bool email_changes = c->email && strcmp(c->email, PQgetvalue(r, 0, 0)) != 0;
    bool space_waits = strcmp(PQgetvalue(r, 0, 3), "t") == 0;
    const char *team = PQgetvalue(r, 0, 1);
    if (email_changes && space_waits && (st = move_space_invitation(ctx, db, team, c->email)) != DB_OK)
        return st;
    const char *params[] = {id[0], id[1], ctx_body_string(ctx, "company_name"), c->email};
    if ((st = db_exec(db, ctx->req.arena, SQL_CLIENT_UPDATE, 4, params, &r)) != DB_OK)
        return st;
    c->json = PQgetvalue(r, 0, 0);
    return audit_record(ctx, "client.updated", id[1], before, c->json);
}

void clients_update(struct ctx *ctx)
{
    if (!clients_firm_only(ctx))
        return;
    struct change c = {.ctx = ctx, .email = ctx_email(ctx, ctx_body_string(ctx, "email"))};
    enum db_status st = db_transaction(ctx->app->db, update_tx, &c);
    if (c.missing) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such client");
        return;
    }
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    json_t *client = ctx_json_from_db(ctx, c.json);
    const char *email = json_string_value(json_object_get(client, "email"));
    answer_with_suggestions(ctx, 200, ctx->req.path_params[1], c.json, email);
}
