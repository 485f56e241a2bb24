/* The recipient's side of a delivery, reached with the token from the notification e-mail:
 * see what waits (a registered e-mail hides its sender until accepted), ask for a one-time
 * code, accept or refuse with it, then open the content and its attachments. */
#include <string.h>

#include "db/delivery_record.h"
#include "handlers/handlers.h"

/* One-time codes a delivery may ask for, and wrong tries allowed per code. */
#define DELIVERY_CODES_MAX 5
#define DELIVERY_CODE_ATTEMPTS_MAX 5

static const struct json_field answer_fields[] = {
    {"code", JSON_FIELD_STRING, true, CRYPTO_CODE_DIGITS, CRYPTO_CODE_DIGITS, JSON_FORMAT_NONE,
     NULL},
};
const struct body_spec deliveries_answer_body = {answer_fields, 1};

/* Columns of SQL_DELIVERY_LOCK_BY_TOKEN. */
enum { LOCK_ID, LOCK_STATUS, LOCK_CHANNEL, LOCK_LAPSED, LOCK_CODE_VERSION, LOCK_CODE_OPEN,
       LOCK_CODE_ATTEMPTS };

void deliveries_show(struct ctx *ctx)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    ctx_path_token_hash(ctx, hash);
    const char *params[] = {hash};
    PGresult *r;
    if (ctx_exec(ctx, SQL_DELIVERY_BY_TOKEN, 1, params, &r))
        ctx_answer_row(ctx, 200, r, "No letter has this link");
}

/* Why a locked delivery cannot be answered now, or PROBLEM__MAX when it can. */
static enum problem answerable(const PGresult *lock)
{
    if (strcmp(PQgetvalue(lock, 0, LOCK_CHANNEL), "registered_email") != 0)
        return PROBLEM_DELIVERY_NOT_ANSWERABLE;
    if (strcmp(PQgetvalue(lock, 0, LOCK_STATUS), "notified") != 0)
        return PROBLEM_DELIVERY_CLOSED;
    if (strcmp(PQgetvalue(lock, 0, LOCK_LAPSED), "t") == 0)
        return PROBLEM_DELIVERY_LAPSED;
    return PROBLEM__MAX;
}

struct recipient_step {
    struct ctx *ctx;
    const char *hash;
    enum delivery_status target; /* accept or refuse */
    enum problem refusal;        /* PROBLEM__MAX when the step went through */
    const char *detail;
    const char *delivery_id;
    const char *expires_at;      /* of a new code */
};

static PGresult *lock_by_token(struct recipient_step *s, struct db *db, enum db_status *st)
{
    const char *params[] = {s->hash};
    PGresult *r;
    *st = db_exec(db, s->ctx->req.arena, SQL_DELIVERY_LOCK_BY_TOKEN, 1, params, &r);
    if (*st != DB_OK)
        return NULL;
    if (PQntuples(r) == 0) {
        s->refusal = PROBLEM_NOT_FOUND;
        s->detail = "No letter has this link";
        return NULL;
    }
    s->delivery_id = PQgetvalue(r, 0, LOCK_ID);
    s->refusal = answerable(r);
    if (s->refusal == PROBLEM_DELIVERY_CLOSED)
        s->detail = arena_printf(s->ctx->req.arena, "The letter is %s",
                                 PQgetvalue(r, 0, LOCK_STATUS));
    return s->refusal == PROBLEM__MAX ? r : NULL;
}

static enum db_status code_tx(struct db *db, void *arg)
{
    struct recipient_step *s = arg;
    enum db_status st;
    PGresult *lock = lock_by_token(s, db, &st);
    if (!lock)
        return st;
    if (strtol(PQgetvalue(lock, 0, LOCK_CODE_VERSION), NULL, 10) >= DELIVERY_CODES_MAX) {
        s->refusal = PROBLEM_TOO_MANY_CODES;
        s->detail = "At most 5 one-time codes can be sent for one letter";
        return DB_OK;
    }
    char seconds[32];
    snprintf(seconds, sizeof(seconds), "%ld", s->ctx->app->cfg.delivery_code_seconds);
    const char *params[] = {s->delivery_id, seconds};
    PGresult *r;
    if ((st = db_exec(db, s->ctx->req.arena, SQL_DELIVERY_CODE_ISSUE, 2, params, &r)) == DB_OK)
        s->expires_at = PQgetvalue(r, 0, 1);
    return st;
}

void deliveries_request_code(struct ctx *ctx)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    ctx_path_token_hash(ctx, hash);
    struct recipient_step s = {.ctx = ctx, .hash = hash, .refusal = PROBLEM__MAX};
    enum db_status st = db_transaction(ctx->app->db, code_tx, &s);
    if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else if (s.refusal != PROBLEM__MAX)
        problem_set(&ctx->resp, s.refusal, s.detail);
    else
        response_json(&ctx->resp, 202, json_pack("{s:s}", "expires_at", s.expires_at));
}

/* Checks the code against the one derived for the current version. */
static bool code_matches(struct recipient_step *s, const PGresult *lock, const char *given)
{
    char expected[CRYPTO_CODE_DIGITS + 1];
    crypto_link_code(s->ctx->app->master_key, "delivery-code", s->delivery_id,
                     (int)strtol(PQgetvalue(lock, 0, LOCK_CODE_VERSION), NULL, 10), expected);
    bool same = strlen(given) == CRYPTO_CODE_DIGITS &&
                sodium_memcmp(expected, given, CRYPTO_CODE_DIGITS) == 0;
    sodium_memzero(expected, sizeof(expected));
    return same;
}

/* Refuses the answer unless the one-time code is open and right; a wrong one is counted. */
static enum db_status check_code(struct recipient_step *s, struct db *db, const PGresult *lock)
{
    if (strcmp(PQgetvalue(lock, 0, LOCK_CODE_VERSION), "0") == 0) {
        s->refusal = PROBLEM_IDENTITY_CODE_REQUIRED;
        return DB_OK;
    }
    if (strcmp(PQgetvalue(lock, 0, LOCK_CODE_OPEN), "t") != 0) {
        s->refusal = PROBLEM_IDENTITY_CODE_EXPIRED;
        return DB_OK;
    }
    if (strtol(PQgetvalue(lock, 0, LOCK_CODE_ATTEMPTS), NULL, 10) >= DELIVERY_CODE_ATTEMPTS_MAX) {
        s->refusal = PROBLEM_TOO_MANY_ATTEMPTS;
        s->detail = "Too many wrong codes: ask for a new one";
        return DB_OK;
    }
    if (code_matches(s, lock, ctx_body_string(s->ctx, "code")))
        return DB_OK;
    s->refusal = PROBLEM_IDENTITY_CODE_INVALID;
    const char *params[] = {s->delivery_id};
    PGresult *r;
    return db_exec(db, s->ctx->req.arena, SQL_DELIVERY_CODE_FAILED, 1, params, &r);
}

static enum db_status answer_tx(struct db *db, void *arg)
{
    struct recipient_step *s = arg;
    enum db_status st;
    PGresult *lock = lock_by_token(s, db, &st);
    if (!lock)
        return st;
    if ((st = check_code(s, db, lock)) != DB_OK || s->refusal != PROBLEM__MAX)
        return st;
    struct delivery_event ev = {s->delivery_id, s->target, "recipient", NULL, NULL};
    json_t *details = json_pack("{s:s}", "identity", "one_time_code");
    ev.details = details;
    struct delivery_outcome out;
    st = delivery_record(db, &s->ctx->app->key, &ev, &out);
    json_decref(details);
    const char *params[] = {s->delivery_id};
    PGresult *r;
    if (st == DB_OK)
        st = db_exec(db, s->ctx->req.arena, SQL_DELIVERY_MARK_ANSWERED, 1, params, &r);
    return st;
}

static void answer(struct ctx *ctx, enum delivery_status target)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    ctx_path_token_hash(ctx, hash);
    struct recipient_step s = {.ctx = ctx, .hash = hash, .target = target,
                               .refusal = PROBLEM__MAX};
    enum db_status st = db_transaction(ctx->app->db, answer_tx, &s);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    if (s.refusal != PROBLEM__MAX) {
        problem_set(&ctx->resp, s.refusal, s.detail);
        return;
    }
    const char *params[] = {s.delivery_id};
    PGresult *r;
    if (ctx_exec(ctx, SQL_DELIVERY_VIEW, 1, params, &r))
        ctx_answer_row(ctx, 200, r, "No letter has this link");
}

void deliveries_accept(struct ctx *ctx)
{
    answer(ctx, DELIVERY_ACCEPTED);
}

void deliveries_refuse(struct ctx *ctx)
{
    answer(ctx, DELIVERY_REFUSED);
}

/* The delivery id when its content may be opened; fills the problem otherwise. */
static const char *opened(struct ctx *ctx)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    ctx_path_token_hash(ctx, hash);
    const char *params[] = {hash};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_DELIVERY_OPENED, 1, params, &r))
        return NULL;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No letter has this link");
        return NULL;
    }
    if (strcmp(PQgetvalue(r, 0, 1), "t") != 0) {
        problem_set(&ctx->resp, PROBLEM_CONTENT_NOT_AVAILABLE, NULL);
        return NULL;
    }
    return PQgetvalue(r, 0, 0);
}

void deliveries_content(struct ctx *ctx)
{
    const char *id = opened(ctx);
    if (!id)
        return;
    const char *params[] = {id};
    PGresult *r;
    if (ctx_exec(ctx, SQL_DELIVERY_CONTENT, 1, params, &r))
        ctx_answer_row(ctx, 200, r, "No letter has this link");
}

void deliveries_attachment(struct ctx *ctx)
{
    const char *id = opened(ctx);
    if (!id)
        return;
    const char *params[] = {id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_DELIVERY_ATTACHMENT, 2, params, &r))
        return;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such attachment");
        return;
    }
    size_t len = 0;
    unsigned char *data = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 1), &len);
    if (!data) {
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
        return;
    }
    arena_defer(ctx->req.arena, PQfreemem, data);
    response_attachment(&ctx->resp, "application/pdf", PQgetvalue(r, 0, 0), data, len);
}
