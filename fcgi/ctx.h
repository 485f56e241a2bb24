/* One request in flight: the worker's app, the request and the response being filled. */
#ifndef PLI_CTX_H
#define PLI_CTX_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "db/db.h"
#include "fcgi/app.h"
#include "fcgi/problem.h"
#include "fcgi/request.h"
#include "fcgi/response.h"

struct ctx {
    struct app *app;
    struct request req;
    struct response resp;
};

/* Runs a statement whose result is freed with the request; on failure fills the problem
 * response and returns false. */
bool ctx_exec(struct ctx *ctx, enum sql_statement stmt, int n_params, const char *const *params,
              PGresult **out);
/* Ties a JSON value to the request: released when the request ends. Returns v. */
json_t *ctx_adopt_json(struct ctx *ctx, json_t *v);
/* Parses JSON text produced by the database; released with the request. NULL on bad text. */
json_t *ctx_json_from_db(struct ctx *ctx, const char *text);
/* The string field of the parsed JSON body, or NULL. */
const char *ctx_body_string(const struct ctx *ctx, const char *field);

/* Answers with JSON text the database wrote (it lives as long as the request). */
void ctx_answer_json_text(struct ctx *ctx, int status, const char *text);
/* Answers with the JSON text of the first column of the first row (as the database wrote it),
 * or 404 not_found with detail when there is no row. */
void ctx_answer_row(struct ctx *ctx, int status, PGresult *r, const char *not_found);
/* Answers 200 with a file to download whose bytes come as base64 (as the database writes
 * them, see base64_line); 500 when they do not decode. */
void ctx_answer_file_base64(struct ctx *ctx, const char *b64, const char *content_type,
                            const char *filename);
/* The page size from ?limit= (1..CTX_PAGE_MAX, default CTX_PAGE_DEFAULT); false after
 * filling a 422 problem. */
bool ctx_page_limit(struct ctx *ctx, int *limit);
/* The name of an uploaded file from X-Filename (percent-encoded UTF-8 allowed), or fallback when
 * absent; NULL when it is unusable (control characters, path separators, over 255 characters). */
const char *ctx_upload_filename(struct ctx *ctx, const char *fallback);
/* A trimmed, lower-cased copy of an e-mail address as typed (NULL stays NULL). */
char *ctx_email(struct ctx *ctx, const char *raw);
/* A page request: ?limit= and ?cursor= (the last id of the previous page). */
struct ctx_page {
    const char *cursor; /* NULL for the first page */
    char size[16];      /* the page size as text, for a statement parameter */
};
/* Reads ?limit= and a UUID ?cursor=; false after filling a 422 problem. */
bool ctx_page(struct ctx *ctx, struct ctx_page *page);
/* Answers {items, next_cursor} from a page statement's row: the items' JSON array in column 0,
 * the next cursor (or NULL at the end) in column 1. */
void ctx_answer_page(struct ctx *ctx, PGresult *r);
/* Answers {items} with the JSON array a statement returns in its one row. */
void ctx_answer_items(struct ctx *ctx, enum sql_statement stmt, int n_params,
                      const char *const *params);
/* The hash of the token that is the path's first parameter ({token}). */
void ctx_path_token_hash(const struct ctx *ctx, char hash[CRYPTO_TOKEN_HASH_HEX + 1]);
/* Fills a 422 validation_failed naming one field. */
void ctx_field_problem(struct ctx *ctx, const char *field, const char *code, const char *message);

#define CTX_PAGE_DEFAULT 50
#define CTX_PAGE_MAX 200

#endif
