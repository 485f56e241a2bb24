/* Documents a firm shares with a client company: upload by the firm (any type, up to
 * PLI_DOCUMENT_MAX_BYTES, stored once under its SHA-256), listing grouped by account and
 * download, for the firm, the company and a principal linked to it (see document_readable). */
#include <stdio.h>
#include <string.h>

#include "db/blob_store.h"
#include "handlers/handlers.h"

#define DOCUMENT_DEFAULT_NAME "document"
#define DOCUMENT_DEFAULT_TYPE "application/octet-stream"
#define MEDIA_NAME_MAX 127

/* RFC 6838 restricted-name: a letter or digit, then letters, digits and !#$&-^_.+ */
static bool restricted_name(const char *s, size_t len)
{
    if (len == 0 || len > MEDIA_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || !strchr("!#$&-^_.+", c)))
            return false;
    }
    return true;
}

/* The media type the upload declares (lower-cased, without parameters), the default when it
 * declares none; NULL when it is not a type/subtype pair. */
static const char *document_type(struct ctx *ctx)
{
    const char *type = request_media_type(&ctx->req);
    if (!*type)
        return DOCUMENT_DEFAULT_TYPE;
    const char *slash = strchr(type, '/');
    if (!slash || !restricted_name(type, (size_t)(slash - type)) ||
        !restricted_name(slash + 1, strlen(slash + 1)))
        return NULL;
    return type;
}

struct upload {
    struct ctx *ctx;
    const char *name, *type;
    char sha256[65];
    bool missing;
    const char *json;
};

static enum db_status upload_tx(struct db *db, void *p)
{
    struct upload *u = p;
    struct ctx *ctx = u->ctx;
    const char *client[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_CLIENT_COMPANY, 2, client, &r);
    if (st != DB_OK)
        return st;
    u->missing = PQntuples(r) == 0;
    if (u->missing)
        return DB_INVALID;
    const char *company = PQgetvalue(r, 0, 0);
    char size[32];
    snprintf(size, sizeof(size), "%zu", ctx->req.body_len);
    if ((st = blob_store_put(db, (const unsigned char *)ctx->req.body, ctx->req.body_len,
                             u->sha256)) != DB_OK)
        return st;
    const char *add[] = {client[0], client[1], company, u->name, u->type, size, u->sha256,
                         ctx->req.who.user_id};
    if ((st = db_exec(db, ctx->req.arena, SQL_DOCUMENT_ADD, 8, add, &r)) != DB_OK)
        return st;
    u->json = PQgetvalue(r, 0, 0);
    return audit_record(ctx, "document.shared", client[1], NULL, u->json);
}

void documents_upload(struct ctx *ctx)
{
    if (!clients_firm_only(ctx))
        return;
    struct upload u = {.ctx = ctx,
                       .name = ctx_upload_filename(ctx, DOCUMENT_DEFAULT_NAME),
                       .type = document_type(ctx)};
    if (!u.name) {
        ctx_field_problem(ctx, "X-Filename", "invalid_format",
                          "a file name of at most 255 characters, without / or control characters");
        return;
    }
    if (!u.type) {
        ctx_field_problem(ctx, "Content-Type", "invalid_format", "must be a type/subtype pair");
        return;
    }
    if (ctx->req.body_len == 0) {
        ctx_field_problem(ctx, "body", "empty", "the file is empty");
        return;
    }
    enum db_status st = db_transaction(ctx->app->db, upload_tx, &u);
    if (u.missing)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such client");
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, 201, u.json);
}

void documents_list(struct ctx *ctx)
{
    struct ctx_page page;
    if (!ctx_page(ctx, &page))
        return;
    const char *account = request_query(&ctx->req, "account");
    if (account && !json_is_uuid(account)) {
        ctx_field_problem(ctx, "account", "invalid_format", "is not the id of an account");
        return;
    }
    const char *team[] = {ctx->req.who.team_id};
    const char *params[] = {ctx->req.who.team_id, account, page.cursor, page.size};
    PGresult *accounts, *r;
    if (!ctx_exec(ctx, SQL_DOCUMENT_ACCOUNTS, 1, team, &accounts) ||
        !ctx_exec(ctx, SQL_DOCUMENT_LIST, 4, params, &r))
        return;
    const char *next = PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
    response_json(&ctx->resp, 200,
                  json_pack("{s:O, s:O, s:s?}", "accounts",
                            ctx_json_from_db(ctx, PQgetvalue(accounts, 0, 0)), "items",
                            ctx_json_from_db(ctx, PQgetvalue(r, 0, 0)), "next_cursor", next));
}

void documents_get(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec_binary_result(ctx->app->db, ctx->req.arena, SQL_DOCUMENT_CONTENT,
                                              2, params, &r);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such document");
        return;
    }
    response_attachment(&ctx->resp, PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 0),
                        PQgetvalue(r, 0, 2), (size_t)PQgetlength(r, 0, 2));
}
