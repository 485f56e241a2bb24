/* Contacts of a recipient group: who a letter goes to, with the legal status the law requires
 * and an e-mail or a full postal address. */
#include <string.h>

#include "handlers/handlers.h"
#include "lib/contact.h"

const struct body_spec contacts_create_body = {contact_input_fields, CONTACT_INPUT_FIELDS};

static const struct json_field patch_fields[] = {
    {"email", JSON_FIELD_STRING, false, 0, 254, JSON_FORMAT_NONE, NULL},
    {"last_name", JSON_FIELD_STRING, false, 1, CONTACT_NAME_MAX, JSON_FORMAT_NONE, NULL},
    {"first_name", JSON_FIELD_STRING, false, 1, CONTACT_NAME_MAX, JSON_FORMAT_NONE, NULL},
    {"company", JSON_FIELD_STRING, false, 0, CONTACT_COMPANY_MAX, JSON_FORMAT_NONE, NULL},
    {"status", JSON_FIELD_STRING, false, 1, 20, JSON_FORMAT_NONE, contact_input_statuses},
    {"address", JSON_FIELD_OBJECT, false, 0, 0, JSON_FORMAT_NONE, NULL},
};
const struct body_spec contacts_update_body = {patch_fields, 6};

/* Reads and checks a contact; fills a 422 on failure. */
static bool valid_contact(struct ctx *ctx, const json_t *body, struct contact *c)
{
    struct json_problems problems = {0};
    if (contact_input_read(ctx, body, NULL, NULL, c, &problems))
        return true;
    problem_set_fields(&ctx->resp, &problems);
    return false;
}

/* Runs contact_create or contact_update with the contact's fields. */
static void write_contact(struct ctx *ctx, enum sql_statement stmt, const struct contact *c,
                          int status)
{
    char key[1024];
    contact_dedupe_key(c, key, sizeof(key));
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], c->email,
                            c->last_name, c->first_name, c->company,
                            contact_status_name(c->status), c->line1, c->line2,
                            c->postal_code, c->city, c->country, key,
                            ctx->req.n_path_params > 2 ? ctx->req.path_params[2] : NULL};
    PGresult *r;
    enum db_status st = db_exec(ctx->app->db, ctx->req.arena, stmt,
                                stmt == SQL_CONTACT_UPDATE ? 14 : 13, params, &r);
    if (st == DB_CONFLICT) {
        problem_set(&ctx->resp, PROBLEM_CONTACT_EXISTS,
                    "The group already has a contact with this e-mail (or name and address)");
        return;
    }
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    ctx_answer_row(ctx, status, r, "No such contact");
}

void contacts_create(struct ctx *ctx)
{
    struct contact c;
    if (!groups_exists(ctx) || !valid_contact(ctx, ctx->req.json, &c))
        return;
    write_contact(ctx, SQL_CONTACT_CREATE, &c, 201);
}

void contacts_list(struct ctx *ctx)
{
    int limit;
    const char *cursor = request_query(&ctx->req, "cursor");
    if (!ctx_page_limit(ctx, &limit) || !groups_exists(ctx))
        return;
    if (cursor && !json_is_uuid(cursor)) {
        ctx_field_problem(ctx, "cursor", "invalid_format", "is not a cursor from this list");
        return;
    }
    const char *size = arena_printf(ctx->req.arena, "%d", limit);
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], cursor, size};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_CONTACT_LIST, 4, params, &r))
        return;
    const char *next = PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
    response_json(&ctx->resp, 200,
                  json_pack("{s:O, s:s?}", "items", ctx_json_from_db(ctx, PQgetvalue(r, 0, 0)),
                            "next_cursor", next));
}

void contacts_update(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1],
                            ctx->req.path_params[2]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_CONTACT_GET, 3, params, &r))
        return;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such contact");
        return;
    }
    /* The change is laid over the stored contact, then the whole is checked again. */
    json_t *merged = ctx_json_from_db(ctx, PQgetvalue(r, 0, 0));
    if (!merged) {
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
        return;
    }
    json_object_update(merged, ctx->req.json);
    struct contact c;
    if (valid_contact(ctx, merged, &c))
        write_contact(ctx, SQL_CONTACT_UPDATE, &c, 200);
}

void contacts_delete(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1],
                            ctx->req.path_params[2]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_CONTACT_DELETE, 3, params, &r))
        return;
    if (PQntuples(r) == 0)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such contact");
    else
        response_empty(&ctx->resp, 204);
}
