/* Teams: creation (the creator becomes the administrator), reading, settings. */
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"

static const char *const team_kinds[] = {"firm", "company", "office", NULL};

static const struct json_field create_fields[] = {
    {"name", JSON_FIELD_STRING, true, 1, 200, JSON_FORMAT_NONE, NULL},
    {"kind", JSON_FIELD_STRING, true, 1, 20, JSON_FORMAT_NONE, team_kinds},
    {"billing_email", JSON_FIELD_STRING, false, 3, 254, JSON_FORMAT_EMAIL, NULL},
};
const struct body_spec teams_create_body = {create_fields, 3};

static const struct json_field update_fields[] = {
    {"name", JSON_FIELD_STRING, false, 1, 200, JSON_FORMAT_NONE, NULL},
    {"billing_email", JSON_FIELD_STRING, false, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"invoice_copy_email", JSON_FIELD_STRING, false, 3, 254, JSON_FORMAT_EMAIL, NULL},
};
const struct body_spec teams_update_body = {update_fields, 3};

/* What the built-in member role may do: send letters (and use groups, see its own history). */
#define MEMBER_PERMISSIONS PERMISSION_BIT(PERM_LETTERS_SEND)

static void answer_team(struct ctx *ctx, int status, const char *team_id)
{
    const char *params[] = {team_id, ctx->req.who.user_id};
    PGresult *r;
    if (ctx_exec(ctx, SQL_TEAM_JSON_FOR_MEMBER, 2, params, &r))
        ctx_answer_row(ctx, status, r, "No such team");
}

struct team_creation {
    struct ctx *ctx;
    const char *team_id;
};

static enum db_status create_tx(struct db *db, void *p)
{
    struct team_creation *t = p;
    struct ctx *ctx = t->ctx;
    char admin[512], member[512];
    permission_set_format(PERMISSION_ALL, admin, sizeof(admin));
    permission_set_format(MEMBER_PERMISSIONS, member, sizeof(member));
    const char *params[] = {ctx_body_string(ctx, "name"), ctx_body_string(ctx, "kind"),
                            ctx_body_string(ctx, "billing_email"), ctx->req.who.user_id, admin,
                            member};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_TEAM_CREATE, 6, params, &r);
    if (st != DB_OK)
        return st;
    t->team_id = PQgetvalue(r, 0, 0);
    ctx->req.who.team_id = t->team_id;
    char *after = json_dumps(ctx->req.json, JSON_COMPACT);
    st = audit_record(ctx, "team.created", t->team_id, NULL, after);
    free(after);
    return st;
}

void teams_create(struct ctx *ctx)
{
    struct team_creation t = {ctx, NULL};
    enum db_status st = db_transaction(ctx->app->db, create_tx, &t);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    answer_team(ctx, 201, t.team_id);
}

void teams_get(struct ctx *ctx)
{
    answer_team(ctx, 200, ctx->req.who.team_id);
}

/* A field given as null clears it; a field left out keeps its value. */
static const char *given(const struct ctx *ctx, const char *field)
{
    return json_object_get(ctx->req.json, field) ? "t" : "f";
}

static enum db_status update_tx(struct db *db, void *p)
{
    struct ctx *ctx = p;
    const char *params[] = {ctx->req.who.team_id,          ctx_body_string(ctx, "name"),
                            given(ctx, "billing_email"),    ctx_body_string(ctx, "billing_email"),
                            given(ctx, "invoice_copy_email"),
                            ctx_body_string(ctx, "invoice_copy_email")};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_TEAM_UPDATE, 6, params, &r);
    if (st != DB_OK)
        return st;
    return audit_record(ctx, "team.updated", ctx->req.who.team_id, PQgetvalue(r, 0, 0),
                        PQgetvalue(r, 0, 1));
}

void teams_update(struct ctx *ctx)
{
    enum db_status st = db_transaction(ctx->app->db, update_tx, ctx);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    answer_team(ctx, 200, ctx->req.who.team_id);
}
