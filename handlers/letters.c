/* Letters: drafts with their recipients, the team's shared history, one letter in full. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/authz.h"
#include "fcgi/idempotency.h"
#include "handlers/handlers.h"

#define LETTER_RECIPIENTS_MAX 500
#define LETTER_GROUPS_MAX 50

static const char *const kinds[] = {"lre", "lrar", "simple", NULL};
static const char *const statuses[] = {"draft", "pending_validation", "sending", "rejected",
                                       NULL};

static const struct json_field create_fields[] = {
    {"kind", JSON_FIELD_STRING, true, 1, 10, JSON_FORMAT_NONE, kinds},
    {"subject", JSON_FIELD_STRING, true, 1, 200, JSON_FORMAT_NONE, NULL},
    {"body", JSON_FIELD_STRING, false, 0, 100000, JSON_FORMAT_TEXT, NULL},
    {"reference", JSON_FIELD_STRING, false, 0, 100, JSON_FORMAT_NONE, NULL},
    {"recipients", JSON_FIELD_ARRAY, false, 0, LETTER_RECIPIENTS_MAX, JSON_FORMAT_NONE, NULL},
    {"group_ids", JSON_FIELD_STRING_ARRAY, false, 0, LETTER_GROUPS_MAX, JSON_FORMAT_NONE, NULL},
};
const struct body_spec letters_create_body = {create_fields, 6};

bool letters_sees_all(const struct ctx *ctx)
{
    return authz_has(ctx, PERM_LETTERS_VIEW_ALL);
}

/* Reads every recipient given one by one; fills a 422 listing every problem on failure. */
static bool read_recipients(struct ctx *ctx, enum letter_kind kind, struct contact **out,
                            size_t *n)
{
    json_t *list = json_object_get(ctx->req.json, "recipients");
    size_t count = json_array_size(list);
    *out = arena_alloc(ctx->req.arena, (count ? count : 1) * sizeof(**out));
    *n = count;
    struct json_problems problems = {0};
    for (size_t i = 0; *out && i < count; i++)
        contact_input_read(ctx, json_array_get(list, i),
                           arena_printf(ctx->req.arena, "recipients[%zu]", i), &kind, &(*out)[i],
                           &problems);
    if (!*out) {
        problem_set(&ctx->resp, PROBLEM_PAYLOAD_TOO_LARGE, NULL);
        return false;
    }
    json_t *groups = json_object_get(ctx->req.json, "group_ids");
    size_t i;
    json_t *id;
    json_array_foreach (groups, i, id)
        if (!json_is_uuid(json_string_value(id)))
            json_problems_add(&problems, arena_printf(ctx->req.arena, "group_ids[%zu]", i),
                              "invalid_format", "is not a valid UUID");
    if (count == 0 && json_array_size(groups) == 0)
        json_problems_add(&problems, "recipients", "required",
                          "give recipients, groups, or both");
    if (problems.count == 0)
        return true;
    problem_set_fields(&ctx->resp, &problems);
    return false;
}

enum db_status letters_add_recipient(struct ctx *ctx, struct db *db, const char *letter_id,
                                     int position, const char *group_id, const struct contact *c)
{
    char key[1024], pos[16];
    contact_dedupe_key(c, key, sizeof(key));
    snprintf(pos, sizeof(pos), "%d", position);
    const char *params[] = {ctx->req.who.team_id, letter_id,      pos,
                            group_id,             c->email,       c->last_name,
                            c->first_name,        c->company,     contact_status_name(c->status),
                            c->line1,             c->line2,       c->postal_code,
                            c->city,              c->country,     key};
    PGresult *r;
    return db_exec(db, ctx->req.arena, SQL_LETTER_RECIPIENT_ADD, 15, params, &r);
}

struct draft {
    struct ctx *ctx;
    struct idempotency idem;
    struct contact *recipients;
    size_t n_recipients;
    const char *answer;
    bool unknown_group;
};

static enum db_status add_groups(struct draft *d, struct db *db, const char *letter_id)
{
    struct ctx *ctx = d->ctx;
    size_t i;
    json_t *id;
    json_array_foreach (json_object_get(ctx->req.json, "group_ids"), i, id) {
        const char *params[] = {ctx->req.who.team_id, letter_id, json_string_value(id)};
        PGresult *r;
        enum db_status st = db_exec(db, ctx->req.arena, SQL_LETTER_GROUP_ADD, 3, params, &r);
        d->unknown_group = st == DB_INVALID; /* another team's group, or none */
        if (st != DB_OK)
            return st;
    }
    return DB_OK;
}

static enum db_status draft_tx(struct db *db, void *p)
{
    struct draft *d = p;
    struct ctx *ctx = d->ctx;
    enum idempotency_outcome outcome;
    enum db_status st = idempotency_claim(ctx, db, &d->idem, &outcome);
    if (st != DB_OK || outcome != IDEMPOTENCY_NEW)
        return st;
    const char *body = ctx_body_string(ctx, "body");
    char body_sha[65];
    crypto_sha256_hex(body ? body : "", body ? strlen(body) : 0, body_sha);
    const char *params[] = {ctx->req.who.team_id, ctx->req.who.user_id,
                            ctx_body_string(ctx, "kind"), ctx_body_string(ctx, "subject"),
                            body ? body : "", body_sha, ctx_body_string(ctx, "reference")};
    PGresult *r;
    if ((st = db_exec(db, ctx->req.arena, SQL_LETTER_CREATE, 7, params, &r)) != DB_OK)
        return st;
    const char *id = PQgetvalue(r, 0, 0);
    for (size_t i = 0; i < d->n_recipients; i++)
        if ((st = letters_add_recipient(ctx, db, id, (int)i + 1, NULL, &d->recipients[i])) !=
            DB_OK)
            return st;
    const char *letter[] = {id};
    if ((st = add_groups(d, db, id)) != DB_OK ||
        (st = db_exec(db, ctx->req.arena, SQL_LETTER_COUNT_RECIPIENTS, 1, letter, &r)) != DB_OK)
        return st;
    const char *get[] = {ctx->req.who.team_id, id, ctx->req.who.user_id, "t", "t"};
    if ((st = db_exec(db, ctx->req.arena, SQL_LETTER_GET, 5, get, &r)) != DB_OK)
        return st;
    d->answer = PQgetvalue(r, 0, 0);
    return idempotency_store(ctx, db, &d->idem, 201, d->answer);
}

void letters_create(struct ctx *ctx)
{
    struct draft d = {.ctx = ctx};
    enum letter_kind kind;
    if (!idempotency_begin(ctx, &d.idem) ||
        !letter_kind_parse(ctx_body_string(ctx, "kind"), &kind) ||
        !read_recipients(ctx, kind, &d.recipients, &d.n_recipients))
        return;
    enum db_status st = db_transaction(ctx->app->db, draft_tx, &d);
    if (st == DB_INVALID && d.unknown_group)
        ctx_field_problem(ctx, "group_ids", "unknown_group", "is not a group of this team");
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else if (d.answer)
        ctx_answer_json_text(ctx, 201, d.answer);
    /* otherwise idempotency_claim already answered (replay or refusal) */
}

PGresult *letters_load(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], ctx->req.who.user_id,
                            letters_sees_all(ctx) ? "t" : "f",
                            authz_has(ctx, PERM_LETTERS_VALIDATE) ? "t" : "f"};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_LETTER_GET, 5, params, &r))
        return NULL;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such letter");
        return NULL;
    }
    return r;
}

void letters_answer(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], ctx->req.who.user_id,
                            "t", "t"};
    PGresult *r;
    if (ctx_exec(ctx, SQL_LETTER_GET, 5, params, &r))
        ctx_answer_row(ctx, 200, r, "No such letter");
}

void letters_get(struct ctx *ctx)
{
    PGresult *r = letters_load(ctx);
    if (r)
        ctx_answer_row(ctx, 200, r, "No such letter");
}

/* Escapes LIKE's special characters and wraps the text in % for a substring search. */
static const char *like_pattern(struct ctx *ctx, const char *text)
{
    char *out = arena_alloc(ctx->req.arena, strlen(text) * 2 + 3);
    size_t n = 0;
    out[n++] = '%';
    for (; *text; text++) {
        if (*text == '%' || *text == '_' || *text == '\\')
            out[n++] = '\\';
        out[n++] = *text;
    }
    out[n++] = '%';
    out[n] = '\0';
    return out;
}

/* A date (YYYY-MM-DD) or an RFC 3339 time, as far as its characters go; PostgreSQL reads it. */
static bool looks_like_time(const char *s)
{
    if (strlen(s) < 10 || strlen(s) > 35)
        return false;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    if (!s[10])
        return true;
    if (s[10] != 'T' && s[10] != ' ')
        return false;
    for (const char *p = s + 11; *p; p++)
        if (!strchr("0123456789:.+-Z", *p))
            return false;
    return true;
}

/* Checks the list filters; fills a 422 naming the first bad one. */
static bool valid_filters(struct ctx *ctx, const char *status, const char *sender,
                          const char *cursor)
{
    const char *times[] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        const char *value = request_query(&ctx->req, times[i]);
        if (value && !looks_like_time(value)) {
            ctx_field_problem(ctx, times[i], "invalid_format",
                              "must be a date (YYYY-MM-DD) or an RFC 3339 time");
            return false;
        }
    }
    bool known = !status;
    for (const char *const *s = statuses; status && *s && !known; s++)
        known = strcmp(*s, status) == 0;
    if (!known)
        ctx_field_problem(ctx, "status", "not_allowed", "is not a letter status");
    else if (sender && !json_is_uuid(sender))
        ctx_field_problem(ctx, "sender", "invalid_format", "is not a user id");
    else if (cursor && !json_is_uuid(cursor))
        ctx_field_problem(ctx, "cursor", "invalid_format", "is not a cursor from this list");
    return known && (!sender || json_is_uuid(sender)) && (!cursor || json_is_uuid(cursor));
}

void letters_list(struct ctx *ctx)
{
    int limit;
    const struct request *q = &ctx->req;
    const char *status = request_query(q, "status"), *sender = request_query(q, "sender");
    const char *cursor = request_query(q, "cursor"), *text = request_query(q, "q");
    if (!ctx_page_limit(ctx, &limit) || !valid_filters(ctx, status, sender, cursor))
        return;
    const char *params[] = {ctx->req.who.team_id,
                            ctx->req.who.user_id,
                            letters_sees_all(ctx) ? "t" : "f",
                            status,
                            sender,
                            request_query(q, "recipient"),
                            request_query(q, "from"),
                            request_query(q, "to"),
                            request_query(q, "reference"),
                            text ? like_pattern(ctx, text) : NULL,
                            cursor,
                            arena_printf(ctx->req.arena, "%d", limit),
                            authz_has(ctx, PERM_LETTERS_VALIDATE) ? "t" : "f"};
    PGresult *r;
    enum db_status st = db_exec(ctx->app->db, ctx->req.arena, SQL_LETTER_LIST, 13, params, &r);
    if (st == DB_INVALID) {
        ctx_field_problem(ctx, request_query(q, "from") ? "from" : "to", "invalid_format",
                          "is not a valid date or time");
        return;
    }
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    const char *next = PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
    response_json(&ctx->resp, 200,
                  json_pack("{s:O, s:s?}", "items", ctx_json_from_db(ctx, PQgetvalue(r, 0, 0)),
                            "next_cursor", next));
}
