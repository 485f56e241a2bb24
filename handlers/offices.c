/* An office's e-mail settings (its functional and communication addresses, the routing of each
 * type of automatic e-mail) and its client groups. */
#include <string.h>

#include "handlers/handlers.h"
#include "lib/log.h"

static const char *const configurations[] = {"standard", "custom", NULL};
static const char *const notification_types[] = {"failed_tasks", "messages", "vat_documents_ok",
                                                 "user_requests", NULL};

static const struct json_field settings_fields[] = {
    {"functional_email", JSON_FIELD_STRING, false, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"communication_email", JSON_FIELD_STRING, false, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"notifications", JSON_FIELD_ARRAY, false, 0, 4, JSON_FORMAT_NONE, NULL},
};
const struct body_spec offices_settings_body = {settings_fields, 3};

static const struct json_field group_fields[] = {
    {"name", JSON_FIELD_STRING, true, 1, 200, JSON_FORMAT_NONE, NULL},
    {"email", JSON_FIELD_STRING, false, 3, 254, JSON_FORMAT_EMAIL, NULL},
};
const struct body_spec offices_client_group_body = {group_fields, 2};

/* The most members one type of e-mail may go to. */
#define NOTIFICATION_RECIPIENTS_MAX 20

bool offices_only(struct ctx *ctx)
{
    if (strcmp(ctx->req.who.team_kind, "office") == 0)
        return true;
    problem_set(&ctx->resp, PROBLEM_NOT_AN_OFFICE, NULL);
    return false;
}

void offices_notify(struct ctx *ctx, const char *type, const char *matter_id,
                    const char *subject, const char *body)
{
    const char *params[] = {ctx->req.who.team_id, type, matter_id, subject, body};
    PGresult *r;
    enum db_status st =
        db_exec(ctx->app->db, ctx->req.arena, SQL_NOTIFICATION_EMIT, 5, params, &r);
    if (st != DB_OK)
        log_error("notification %s of team %s not emitted: %s", type, ctx->req.who.team_id,
                  db_last_sqlstate(ctx->app->db));
}

static bool in_list(const char *const *list, const char *s)
{
    for (; s && *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* Checks one entry of "notifications" and writes its recipients as a uuid array literal. */
static bool check_routing(struct ctx *ctx, json_t *entry, size_t index, const char **literal)
{
    const char *field = arena_printf(ctx->req.arena, "notifications[%zu]", index);
    const char *type = json_string_value(json_object_get(entry, "type"));
    const char *configuration = json_string_value(json_object_get(entry, "configuration"));
    json_t *recipients = json_object_get(entry, "recipients");
    if (!json_is_object(entry) || !in_list(notification_types, type) ||
        !in_list(configurations, configuration) || (recipients && !json_is_array(recipients))) {
        ctx_field_problem(ctx, field, "invalid_format",
                          "needs a type (failed_tasks, messages, vat_documents_ok, user_requests), "
                          "a configuration (standard or custom) and recipients (user ids)");
        return false;
    }
    size_t n = json_array_size(recipients);
    bool custom = strcmp(configuration, "custom") == 0;
    if (custom ? n == 0 || n > NOTIFICATION_RECIPIENTS_MAX : n > 0) {
        ctx_field_problem(ctx, arena_printf(ctx->req.arena, "%s.recipients", field),
                          custom ? "out_of_range" : "not_allowed",
                          custom ? "a custom routing names 1 to 20 members"
                                 : "a standard routing follows the cascade and names nobody");
        return false;
    }
    char *out = arena_strdup(ctx->req.arena, "{");
    for (size_t i = 0; i < n; i++) {
        const char *id = json_string_value(json_array_get(recipients, i));
        if (!id || !json_is_uuid(id)) {
            ctx_field_problem(ctx, arena_printf(ctx->req.arena, "%s.recipients", field),
                              "invalid_format", "must be user ids");
            return false;
        }
        out = arena_printf(ctx->req.arena, "%s%s%s", out, i ? "," : "", id);
    }
    *literal = arena_printf(ctx->req.arena, "%s}", out);
    return true;
}

struct settings {
    struct ctx *ctx;
    const char *literals[4];
    const char *non_member;
};

static enum db_status settings_tx(struct db *db, void *p)
{
    struct settings *s = p;
    struct ctx *ctx = s->ctx;
    const char *team = ctx->req.who.team_id;
    const char *before_params[] = {team};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_EMAIL_SETTINGS_GET, 1, before_params, &r);
    if (st != DB_OK)
        return st;
    const char *before = PQgetvalue(r, 0, 0);
    const char *addresses[] = {team, ctx_email(ctx, ctx_body_string(ctx, "functional_email")),
                               ctx_email(ctx, ctx_body_string(ctx, "communication_email")),
                               ctx->req.who.user_id};
    if ((st = db_exec(db, ctx->req.arena, SQL_EMAIL_SETTINGS_PUT, 4, addresses, &r)) != DB_OK)
        return st;
    json_t *entries = json_object_get(ctx->req.json, "notifications");
    for (size_t i = 0; notification_types[i]; i++) {
        const char *configuration = "standard", *literal = "{}";
        size_t k;
        json_t *entry;
        json_array_foreach (entries, k, entry)
            if (strcmp(json_string_value(json_object_get(entry, "type")),
                       notification_types[i]) == 0) {
                configuration = json_string_value(json_object_get(entry, "configuration"));
                literal = s->literals[k];
            }
        const char *check[] = {team, literal};
        if ((st = db_exec(db, ctx->req.arena, SQL_OFFICE_NON_MEMBERS, 2, check, &r)) != DB_OK)
            return st;
        if (PQntuples(r) > 0) {
            s->non_member = PQgetvalue(r, 0, 0);
            return DB_INVALID;
        }
        const char *put[] = {team, notification_types[i], configuration, literal};
        if ((st = db_exec(db, ctx->req.arena, SQL_NOTIFICATION_SETTINGS_PUT, 4, put, &r)) != DB_OK)
            return st;
    }
    if ((st = db_exec(db, ctx->req.arena, SQL_EMAIL_SETTINGS_GET, 1, before_params, &r)) != DB_OK)
        return st;
    return audit_record(ctx, "email_settings.updated", team, before, PQgetvalue(r, 0, 0));
}

void offices_settings_put(struct ctx *ctx)
{
    if (!offices_only(ctx))
        return;
    struct settings s = {.ctx = ctx};
    json_t *entries = json_object_get(ctx->req.json, "notifications");
    size_t i;
    json_t *entry;
    json_array_foreach (entries, i, entry) {
        if (!check_routing(ctx, entry, i, &s.literals[i]))
            return;
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_object_get(json_array_get(entries, j), "type")),
                       json_string_value(json_object_get(entry, "type"))) == 0) {
                ctx_field_problem(ctx, arena_printf(ctx->req.arena, "notifications[%zu]", i),
                                  "duplicate", "names a type already routed");
                return;
            }
    }
    enum db_status st = db_transaction(ctx->app->db, settings_tx, &s);
    if (s.non_member)
        ctx_field_problem(ctx, "notifications", "not_a_member",
                          arena_printf(ctx->req.arena, "%s is not a member of the office",
                                       s.non_member));
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        offices_settings_get(ctx);
}

void offices_settings_get(struct ctx *ctx)
{
    if (!offices_only(ctx))
        return;
    const char *params[] = {ctx->req.who.team_id};
    PGresult *r;
    if (ctx_exec(ctx, SQL_EMAIL_SETTINGS_GET, 1, params, &r))
        ctx_answer_json_text(ctx, 200, PQgetvalue(r, 0, 0));
}

void offices_client_groups_list(struct ctx *ctx)
{
    if (!offices_only(ctx))
        return;
    const char *params[] = {ctx->req.who.team_id};
    ctx_answer_items(ctx, SQL_CLIENT_GROUP_LIST, 1, params);
}

struct group {
    struct ctx *ctx;
    const char *json;
};

static enum db_status group_tx(struct db *db, void *p)
{
    struct group *g = p;
    struct ctx *ctx = g->ctx;
    const char *params[] = {ctx->req.who.team_id, ctx_body_string(ctx, "name"),
                            ctx_email(ctx, ctx_body_string(ctx, "email"))};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_CLIENT_GROUP_CREATE, 3, params, &r);
    if (st != DB_OK)
        return st;
    g->json = PQgetvalue(r, 0, 0);
    json_t *group = ctx_json_from_db(ctx, g->json);
    return audit_record(ctx, "client_group.created",
                        json_string_value(json_object_get(group, "id")), NULL, g->json);
}

void offices_client_groups_create(struct ctx *ctx)
{
    if (!offices_only(ctx))
        return;
    struct group g = {ctx, NULL};
    enum db_status st = db_transaction(ctx->app->db, group_tx, &g);
    if (st == DB_CONFLICT)
        problem_set(&ctx->resp, PROBLEM_CLIENT_GROUP_NAME_TAKEN, NULL);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, 201, g.json);
}
