/* PDF attachments of a draft letter, stored once under their SHA-256. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/blob_store.h"
#include "handlers/handlers.h"

#define ATTACHMENTS_PER_LETTER 30
#define PDF_TYPE "application/pdf"
#define PDF_DEFAULT_NAME "document.pdf"
#define PDF_EOF_WINDOW 1024

/* A PDF starts with "%PDF-" and ends with "%%EOF" (trailing white space aside). */
static bool looks_like_pdf(const char *data, size_t len)
{
    if (len < 16 || memcmp(data, "%PDF-", 5) != 0)
        return false;
    size_t from = len > PDF_EOF_WINDOW ? len - PDF_EOF_WINDOW : 0;
    return memmem(data + from, len - from, "%%EOF", 5) != NULL;
}

struct upload {
    struct ctx *ctx;
    const char *name;
    char sha256[65];
    enum problem refusal;
    const char *answer;
};

static enum db_status upload_tx(struct db *db, void *p)
{
    struct upload *u = p;
    struct ctx *ctx = u->ctx;
    const char *letter[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_LETTER_LOCK, 2, letter, &r);
    if (st != DB_OK)
        return st;
    if (PQntuples(r) == 0 || strcmp(PQgetvalue(r, 0, 1), ctx->req.who.user_id) != 0) {
        u->refusal = PQntuples(r) && letters_sees_all(ctx) ? PROBLEM_FORBIDDEN : PROBLEM_NOT_FOUND;
        return DB_INVALID;
    }
    if (strcmp(PQgetvalue(r, 0, 0), "draft") != 0) {
        u->refusal = PROBLEM_LETTER_NOT_DRAFT;
        return DB_INVALID;
    }
    const char *id[] = {ctx->req.path_params[1]};
    if ((st = db_exec(db, ctx->req.arena, SQL_LETTER_ATTACHMENT_COUNT, 1, id, &r)) != DB_OK)
        return st;
    if (strtol(PQgetvalue(r, 0, 0), NULL, 10) >= ATTACHMENTS_PER_LETTER) {
        u->refusal = PROBLEM_TOO_MANY_ATTACHMENTS;
        return DB_INVALID;
    }
    const char *position = PQgetvalue(r, 0, 1);
    char size[32];
    snprintf(size, sizeof(size), "%zu", ctx->req.body_len);
    if ((st = blob_store_put(db, (const unsigned char *)ctx->req.body, ctx->req.body_len,
                             u->sha256)) != DB_OK)
        return st;
    const char *add[] = {ctx->req.who.team_id, ctx->req.path_params[1], position, u->name, size,
                         u->sha256};
    if ((st = db_exec(db, ctx->req.arena, SQL_LETTER_ATTACHMENT_ADD, 6, add, &r)) != DB_OK)
        return st;
    u->answer = PQgetvalue(r, 0, 0);
    return DB_OK;
}

void attachments_create(struct ctx *ctx)
{
    if (strcmp(request_media_type(&ctx->req), PDF_TYPE) != 0) {
        problem_set(&ctx->resp, PROBLEM_UNSUPPORTED_MEDIA_TYPE, "Send the file as " PDF_TYPE);
        return;
    }
    if (!looks_like_pdf(ctx->req.body, ctx->req.body_len)) {
        problem_set(&ctx->resp, PROBLEM_NOT_PDF, "The body is not a PDF document");
        return;
    }
    struct upload u = {.ctx = ctx, .name = ctx_upload_filename(ctx, PDF_DEFAULT_NAME), .refusal = PROBLEM__MAX};
    if (!u.name) {
        ctx_field_problem(ctx, "X-Filename", "invalid_format",
                          "a file name of at most 255 characters, without / or control characters");
        return;
    }
    enum db_status st = db_transaction(ctx->app->db, upload_tx, &u);
    if (st != DB_OK && u.refusal != PROBLEM__MAX)
        problem_set(&ctx->resp, u.refusal,
                    u.refusal == PROBLEM_NOT_FOUND   ? "No such letter"
                    : u.refusal == PROBLEM_FORBIDDEN ? "Only the letter's sender adds attachments"
                                                     : NULL);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, 201, u.answer);
}
