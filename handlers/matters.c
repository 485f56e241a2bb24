/* An office's matters (reference, name, manager, client group) and who sends on their behalf. */
#include <string.h>

#include "handlers/handlers.h"

static const struct json_field matter_fields[] = {
    {"reference", JSON_FIELD_STRING, true, 1, 40, JSON_FORMAT_NONE, NULL},
    {"name", JSON_FIELD_STRING, true, 1, 200, JSON_FORMAT_NONE, NULL},
    {"manager_user_id", JSON_FIELD_STRING, false, 36, 36, JSON_FORMAT_UUID, NULL},
    {"client_group_id", JSON_FIELD_STRING, false, 36, 36, JSON_FORMAT_UUID, NULL},
};
const struct body_spec matters_create_body = {matter_fields, 4};

static const struct json_field update_fields[] = {
    {"reference", JSON_FIELD_STRING, false, 1, 40, JSON_FORMAT_NONE, NULL},
    {"name", JSON_FIELD_STRING, false, 1, 200, JSON_FORMAT_NONE, NULL},
    {"manager_user_id", JSON_FIELD_STRING, false, 36, 36, JSON_FORMAT_UUID, NULL},
    {"client_group_id", JSON_FIELD_STRING, false, 36, 36, JSON_FORMAT_UUID, NULL},
};
const struct body_spec matters_update_body = {update_fields, 4};

/* Letters, digits, then also . _ / - : what fits in a subject line as [REF]. */
static bool reference_ok(const char *s)
{
    if (!s)
        return true;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || !strchr("._/-", c)))
            return false;
    }
    return true;
}

struct matter_change {
    struct ctx *ctx;
    const char *bad_field; /* a manager or group that is not the office's */
    bool missing;
    const char *id, *json;
};

/* Checks that the manager is a member and the group the office's, when the body names them. */
static enum db_status check_links(struct matter_change *m, struct db *db)
{
    struct ctx *ctx = m->ctx;
    static const struct {
        const char *field;
        enum sql_statement check;
    } links[] = {{"manager_user_id", SQL_TEAM_MEMBER_EXISTS},
                 {"client_group_id", SQL_CLIENT_GROUP_EXISTS}};
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        const char *id = ctx_body_string(ctx, links[i].field);
        if (!id)
            continue;
        const char *params[] = {ctx->req.who.team_id, id};
        PGresult *r;
        enum db_status st = db_exec(db, ctx->req.arena, links[i].check, 2, params, &r);
        if (st != DB_OK)
            return st;
        if (PQntuples(r) == 0) {
            m->bad_field = links[i].field;
            return DB_INVALID;
        }
    }
    return DB_OK;
}

static enum db_status create_tx(struct db *db, void *p)
{
    struct matter_change *m = p;
    struct ctx *ctx = m->ctx;
    enum db_status st = check_links(m, db);
    if (st != DB_OK)
        return st;
    const char *params[] = {ctx->req.who.team_id, ctx_body_string(ctx, "reference"),
                            ctx_body_string(ctx, "name"), ctx_body_string(ctx, "manager_user_id"),
                            ctx_body_string(ctx, "client_group_id")};
    PGresult *r;
    if ((st = db_exec(db, ctx->req.arena, SQL_MATTER_CREATE, 5, params, &r)) != DB_OK)
        return st;
    m->id = PQgetvalue(r, 0, 0);
    m->json = PQgetvalue(r, 0, 1);
    return audit_record(ctx, "matter.created", m->id, NULL, m->json);
}

/* Answers the outcome of a matter change. */
static void answer_change(struct ctx *ctx, const struct matter_change *m, enum db_status st,
                          int status)
{
    if (m->missing)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such matter");
    else if (m->bad_field)
        ctx_field_problem(ctx, m->bad_field, "unknown",
                          strcmp(m->bad_field, "manager_user_id") == 0
                              ? "is not a member of the office"
                              : "is not one of the office's client groups");
    else if (st == DB_CONFLICT)
        problem_set(&ctx->resp, PROBLEM_MATTER_REFERENCE_TAKEN, NULL);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, status, m->json);
}

static bool reference_checked(struct ctx *ctx)
{
    if (reference_ok(ctx_body_string(ctx, "reference")))
        return true;
    ctx_field_problem(ctx, "reference", "invalid_format",
                      "letters and digits, then also . _ / - (at most 40)");
    return false;
}

void matters_create(struct ctx *ctx)
{
    if (!offices_only(ctx) || !reference_checked(ctx))
        return;
    struct matter_change m = {.ctx = ctx};
    enum db_status st = db_transaction(ctx->app->db, create_tx, &m);
    answer_change(ctx, &m, st, 201);
}

static enum db_status update_tx(struct db *db, void *p)
{
    struct matter_change *m = p;
    struct ctx *ctx = m->ctx;
    const char *id[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_MATTER_LOCK, 2, id, &r);
    if (st != DB_OK)
        return st;
    m->missing = PQntuples(r) == 0;
    if (m->missing)
        return DB_INVALID;
    const char *before = PQgetvalue(r, 0, 0);
    if ((st = check_links(m, db)) != DB_OK)
        return st;
    /* A field sent as null clears it; an absent one stays. */
    bool set_manager = json_object_get(ctx->req.json, "manager_user_id") != NULL;
    bool set_group = json_object_get(ctx->req.json, "client_group_id") != NULL;
    const char *params[] = {id[0],
                            id[1],
                            ctx_body_string(ctx, "reference"),
                            ctx_body_string(ctx, "name"),
                            set_manager ? "true" : "false",
                            ctx_body_string(ctx, "manager_user_id"),
                            set_group ? "true" : "false",
                            ctx_body_string(ctx, "client_group_id")};
    if ((st = db_exec(db, ctx->req.arena, SQL_MATTER_UPDATE, 8, params, &r)) != DB_OK)
        return st;
    m->json = PQgetvalue(r, 0, 0);
    return audit_record(ctx, "matter.updated", id[1], before, m->json);
}

void matters_update(struct ctx *ctx)
{
    if (!offices_only(ctx) || !reference_checked(ctx))
        return;
    struct matter_change m = {.ctx = ctx};
    enum db_status st = db_transaction(ctx->app->db, update_tx, &m);
    answer_change(ctx, &m, st, 200);
}

void matters_list(struct ctx *ctx)
{
    struct ctx_page page;
    if (!offices_only(ctx) || !ctx_page(ctx, &page))
        return;
    const char *params[] = {ctx->req.who.team_id, page.cursor, page.size};
    PGresult *r;
    if (ctx_exec(ctx, SQL_MATTER_LIST, 3, params, &r))
        ctx_answer_page(ctx, r);
}

void matters_get(struct ctx *ctx)
{
    if (!offices_only(ctx))
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (ctx_exec(ctx, SQL_MATTER_GET, 2, params, &r))
        ctx_answer_row(ctx, 200, r, "No such matter");
}

bool matters_exists(struct ctx *ctx)
{
    if (!offices_only(ctx))
        return false;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_MATTER_GET, 2, params, &r))
        return false;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such matter");
        return false;
    }
    return true;
}

void matters_sender(struct ctx *ctx)
{
    if (!matters_exists(ctx))
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_MATTER_SENDER, 2, params, &r))
        return;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_SENDER_NOT_CONFIGURED, MATTERS_NO_SENDER);
        return;
    }
    response_json(&ctx->resp, 200,
                  json_pack("{s:s, s:s, s:s}", "address", PQgetvalue(r, 0, 0), "name",
                            PQgetvalue(r, 0, 1), "rule", PQgetvalue(r, 0, 2)));
}
