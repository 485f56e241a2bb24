#include "fcgi/ctx.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "lib/json_spec.h"
#include "lib/log.h"
#include "lib/text_encoding.h"

bool ctx_exec(struct ctx *ctx, enum sql_statement stmt, int n_params, const char *const *params,
              PGresult **out)
{
    enum db_status status = db_exec(ctx->app->db, ctx->req.arena, stmt, n_params, params, out);
    if (status == DB_OK)
        return true;
    problem_set_db(&ctx->resp, status);
    return false;
}

static void json_release(void *p)
{
    json_decref(p);
}

json_t *ctx_adopt_json(struct ctx *ctx, json_t *v)
{
    return arena_defer(ctx->req.arena, json_release, v);
}

json_t *ctx_json_from_db(struct ctx *ctx, const char *text)
{
    json_error_t error;
    json_t *v = json_loads(text, 0, &error);
    if (!v) {
        log_error("ctx: database returned bad JSON: %s", error.text);
        return NULL;
    }
    return ctx_adopt_json(ctx, v);
}

const char *ctx_body_string(const struct ctx *ctx, const char *field)
{
    return json_string_value(json_object_get(ctx->req.json, field));
}

void ctx_answer_json_text(struct ctx *ctx, int status, const char *text)
{
    response_bytes(&ctx->resp, status, "application/json", text, strlen(text));
}

void ctx_answer_row(struct ctx *ctx, int status, PGresult *r, const char *not_found)
{
    if (PQntuples(r) == 0)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, not_found);
    else
        ctx_answer_json_text(ctx, status, PQgetvalue(r, 0, 0));
}

void ctx_field_problem(struct ctx *ctx, const char *field, const char *code, const char *message)
{
    struct json_problems problems = {0};
    json_problems_add(&problems, field, code, message);
    problem_set_fields(&ctx->resp, &problems);
}

bool ctx_page_limit(struct ctx *ctx, int *limit)
{
    const char *text = request_query(&ctx->req, "limit");
    *limit = CTX_PAGE_DEFAULT;
    if (!text)
        return true;
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno || *end || end == text || n < 1 || n > CTX_PAGE_MAX) {
        ctx_field_problem(ctx, "limit", "out_of_range", "must be an integer from 1 to 200");
        return false;
    }
    *limit = (int)n;
    return true;
}

bool ctx_page(struct ctx *ctx, struct ctx_page *page)
{
    int limit;
    if (!ctx_page_limit(ctx, &limit))
        return false;
    snprintf(page->size, sizeof(page->size), "%d", limit);
    page->cursor = request_query(&ctx->req, "cursor");
    if (page->cursor && !json_is_uuid(page->cursor)) {
        ctx_field_problem(ctx, "cursor", "invalid_format", "is not a cursor from this list");
        return false;
    }
    return true;
}

void ctx_answer_page(struct ctx *ctx, PGresult *r)
{
    const char *next = PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
    response_json(&ctx->resp, 200,
                  json_pack("{s:O, s:s?}", "items", ctx_json_from_db(ctx, PQgetvalue(r, 0, 0)),
                            "next_cursor", next));
}

void ctx_answer_items(struct ctx *ctx, enum sql_statement stmt, int n_params,
                      const char *const *params)
{
    PGresult *r;
    if (ctx_exec(ctx, stmt, n_params, params, &r))
        response_json(&ctx->resp, 200,
                      json_pack("{s:O}", "items", ctx_json_from_db(ctx, PQgetvalue(r, 0, 0))));
}

void ctx_path_token_hash(const struct ctx *ctx, char hash[CRYPTO_TOKEN_HASH_HEX + 1])
{
    const char *token = ctx->req.path_params[0];
    crypto_token_hash(token, strlen(token), hash);
}

void ctx_answer_file_base64(struct ctx *ctx, const char *b64, const char *content_type,
                            const char *filename)
{
    size_t cap = strlen(b64), len = 0;
    unsigned char *data = arena_alloc(ctx->req.arena, cap + 1);
    if (!data || !crypto_base64_decode(b64, cap, data, cap + 1, &len)) {
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, "A stored file could not be read");
        return;
    }
    response_attachment(&ctx->resp, content_type, filename, data, len);
}

const char *ctx_upload_filename(struct ctx *ctx, const char *fallback)
{
    const char *raw = request_param(&ctx->req, "HTTP_X_FILENAME");
    if (!raw || !*raw)
        return fallback;
    const char *name = request_url_decode(ctx->req.arena, raw, strlen(raw), false);
    if (!name || !*name || !text_is_utf8(name, strlen(name)) || json_utf8_length(name) > 255 ||
        strchr(name, '/') || strchr(name, '\\'))
        return NULL;
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return NULL;
    return name;
}

char *ctx_email(struct ctx *ctx, const char *raw)
{
    if (!raw)
        return NULL;
    while (*raw == ' ' || *raw == '\t')
        raw++;
    size_t len = strlen(raw);
    while (len > 0 && (raw[len - 1] == ' ' || raw[len - 1] == '\t'))
        len--;
    char *email = arena_strndup(ctx->req.arena, raw, len);
    for (char *p = email; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return email;
}
