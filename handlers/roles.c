/* Roles of a team: the built-in administrator and member, and custom sets of permissions. */
#include <string.h>

#include "handlers/handlers.h"

static const struct json_field create_fields[] = {
    {"name", JSON_FIELD_STRING, true, 1, 100, JSON_FORMAT_NONE, NULL},
    {"permissions", JSON_FIELD_STRING_ARRAY, true, 0, PERM__MAX, JSON_FORMAT_NONE, NULL},
};
const struct body_spec roles_create_body = {create_fields, 2};

static const struct json_field update_fields[] = {
    {"name", JSON_FIELD_STRING, false, 1, 100, JSON_FORMAT_NONE, NULL},
    {"permissions", JSON_FIELD_STRING_ARRAY, false, 0, PERM__MAX, JSON_FORMAT_NONE, NULL},
};
const struct body_spec roles_update_body = {update_fields, 2};

bool roles_check_assignable(struct ctx *ctx, const char *role_id, const char *field)
{
    const char *params[] = {ctx->req.who.team_id, role_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_ROLE_GET, 2, params, &r))
        return false;
    if (PQntuples(r) == 0) {
        ctx_field_problem(ctx, field, "unknown_role", "is not a role of this team");
        return false;
    }
    if (strcmp(PQgetvalue(r, 0, 1), "administrator") == 0) {
        ctx_field_problem(ctx, field, "role_not_assignable",
                          "the administrator role belongs to the team's creator alone");
        return false;
    }
    /* Nobody hands out permissions they do not hold themselves. */
    enum permission missing = permission_first_missing(permission_set_parse(PQgetvalue(r, 0, 2)),
                                                       ctx->req.who.permissions);
    if (missing != PERM__MAX) {
        const char *name = permission_name(missing);
        problem_set_ext(&ctx->resp, PROBLEM_FORBIDDEN,
                        arena_printf(ctx->req.arena,
                                     "The role grants %s, which your own role lacks", name),
                        json_pack("{s:s}", "required", name));
        return false;
    }
    return true;
}

/* Reads the permissions array into a PostgreSQL array literal; NULL (with a 422) on an unknown
 * name. Duplicates collapse. */
static const char *permissions_literal(struct ctx *ctx)
{
    json_t *list = json_object_get(ctx->req.json, "permissions");
    size_t i;
    json_t *item;
    permission_set set = 0;
    json_array_foreach (list, i, item) {
        enum permission p;
        if (!permission_parse(json_string_value(item), &p)) {
            ctx_field_problem(ctx, "permissions", "unknown_permission",
                              arena_printf(ctx->req.arena, "%s is not a permission",
                                           json_string_value(item)));
            return NULL;
        }
        set |= PERMISSION_BIT(p);
    }
    char *out = arena_alloc(ctx->req.arena, 512);
    if (out)
        permission_set_format(set, out, 512);
    return out;
}

void roles_list(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_ROLE_LIST, 1, params, &r))
        return;
    response_json(&ctx->resp, 200,
                  json_pack("{s:O}", "items", ctx_json_from_db(ctx, PQgetvalue(r, 0, 0))));
}

/* One change of a role, its audit entry, and the role's JSON afterwards. */
struct role_write {
    struct ctx *ctx;
    enum sql_statement stmt;
    const char *const *params;
    int n_params;
    const char *action;
    const char *before;
    const char *result;
};

static enum db_status role_write_tx(struct db *db, void *p)
{
    struct role_write *w = p;
    PGresult *r;
    enum db_status st = db_exec(db, w->ctx->req.arena, w->stmt, w->n_params, w->params, &r);
    if (st != DB_OK)
        return st;
    if (PQntuples(r) == 0)
        return DB_INVALID; /* the role is built in or still used: refused by the statement */
    w->result = PQgetvalue(r, 0, 0);
    bool deleted = w->stmt == SQL_ROLE_DELETE;
    return audit_record(w->ctx, w->action, PQgetvalue(r, 0, 1), w->before,
                        deleted ? NULL : w->result);
}

/* Runs a role change; maps a duplicate name to 409 role_name_taken. */
static bool role_write(struct role_write *w, enum problem when_refused)
{
    enum db_status st = db_transaction(w->ctx->app->db, role_write_tx, w);
    if (st == DB_CONFLICT)
        problem_set(&w->ctx->resp, PROBLEM_ROLE_NAME_TAKEN, "Another role of the team has this name");
    else if (st == DB_INVALID)
        problem_set(&w->ctx->resp, when_refused, NULL);
    else if (st != DB_OK)
        problem_set_db(&w->ctx->resp, st);
    return st == DB_OK;
}

void roles_create(struct ctx *ctx)
{
    const char *permissions = permissions_literal(ctx);
    if (!permissions)
        return;
    const char *params[] = {ctx->req.who.team_id, ctx_body_string(ctx, "name"), permissions};
    struct role_write w = {ctx, SQL_ROLE_CREATE, params, 3, "role.created", NULL, NULL};
    if (role_write(&w, PROBLEM_VALIDATION_FAILED))
        ctx_answer_json_text(ctx, 201, w.result);
}

/* Loads the role named in the path; fills a problem and returns NULL when absent or built in. */
static PGresult *custom_role(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_ROLE_GET, 2, params, &r))
        return NULL;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such role");
        return NULL;
    }
    if (!PQgetisnull(r, 0, 1)) {
        problem_set(&ctx->resp, PROBLEM_BUILTIN_ROLE,
                    "The administrator and member roles cannot be changed or deleted");
        return NULL;
    }
    return r;
}

void roles_update(struct ctx *ctx)
{
    PGresult *role = custom_role(ctx);
    if (!role)
        return;
    const char *permissions = NULL;
    if (json_is_array(json_object_get(ctx->req.json, "permissions")) &&
        !(permissions = permissions_literal(ctx)))
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1],
                            ctx_body_string(ctx, "name"), permissions};
    struct role_write w = {ctx, SQL_ROLE_UPDATE, params, 4, "role.updated",
                           PQgetvalue(role, 0, 0), NULL};
    if (role_write(&w, PROBLEM_BUILTIN_ROLE))
        ctx_answer_json_text(ctx, 200, w.result);
}

void roles_delete(struct ctx *ctx)
{
    PGresult *role = custom_role(ctx);
    if (!role)
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    struct role_write w = {ctx, SQL_ROLE_DELETE, params, 2, "role.deleted",
                           PQgetvalue(role, 0, 0), NULL};
    if (role_write(&w, PROBLEM_ROLE_IN_USE))
        response_empty(&ctx->resp, 204);
}
