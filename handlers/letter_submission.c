/* A letter leaves its draft: submission by its sender, validation by a colleague who holds
 * letters.validate (after confirming their password), or rejection with a reason. Validation
 * signs the letter's canonical digest with the deployment key and opens one delivery per
 * recipient. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fcgi/authz.h"
#include "handlers/handlers.h"
#include "lib/signed_json.h"

static const struct json_field reject_fields[] = {
    {"reason", JSON_FIELD_STRING, true, 1, 1000, JSON_FORMAT_TEXT, NULL},
};
const struct body_spec letters_reject_body = {reject_fields, 1};

/* Columns of SQL_LETTER_LOCK. */
enum { LOCK_STATUS, LOCK_SENDER, LOCK_KIND, LOCK_SUBJECT, LOCK_BODY_SHA, LOCK_REFERENCE,
       LOCK_SUBMITTED_BY, LOCK_SUBMITTED_AT };

struct transition {
    struct ctx *ctx;
    PGresult *letter;   /* the locked row */
    enum problem refusal; /* set when the transaction was refused on purpose */
    const char *refusal_detail;
    json_t *recipient_problems;
    const char *submitted_at;
};

static enum db_status refuse(struct transition *t, enum problem p, const char *detail)
{
    t->refusal = p;
    t->refusal_detail = detail;
    return DB_INVALID;
}

static enum db_status lock_letter(struct transition *t, struct db *db)
{
    struct ctx *ctx = t->ctx;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    enum db_status st = db_exec(db, ctx->req.arena, SQL_LETTER_LOCK, 2, params, &t->letter);
    if (st == DB_OK && PQntuples(t->letter) == 0)
        return refuse(t, PROBLEM_NOT_FOUND, "No such letter");
    return st;
}

/* The current time as RFC 3339 UTC with microseconds: the validation time that is signed. */
static const char *now_rfc3339(struct ctx *ctx)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char date[32];
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    return arena_printf(ctx->req.arena, "%s.%06ldZ", date, ts.tv_nsec / 1000);
}

static json_t *db_json(struct ctx *ctx, struct db *db, enum sql_statement stmt,
                       const char *letter_id, enum db_status *st)
{
    const char *params[] = {letter_id};
    PGresult *r;
    *st = db_exec(db, ctx->req.arena, stmt, 1, params, &r);
    return *st == DB_OK ? ctx_json_from_db(ctx, PQgetvalue(r, 0, 0)) : NULL;
}

/* Builds, signs and stores the digest; marks the letter validated and opens its deliveries. */
static enum db_status validate_in_tx(struct transition *t, struct db *db)
{
    struct ctx *ctx = t->ctx;
    const char *id = ctx->req.path_params[1];
    const PGresult *l = t->letter;
    enum db_status st;
    json_t *recipients = db_json(ctx, db, SQL_LETTER_RECIPIENTS_FOR_DIGEST, id, &st);
    json_t *attachments = st == DB_OK ? db_json(ctx, db, SQL_LETTER_ATTACHMENTS_FOR_DIGEST, id,
                                                &st)
                                      : NULL;
    if (st != DB_OK)
        return st;
    const char *validated_at = now_rfc3339(ctx);
    const char *reference = PQgetvalue(l, 0, LOCK_REFERENCE);
    json_t *doc = ctx_adopt_json(
        ctx, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s?, s:O, s:O, s:s, s:s, s:s, s:s, s:s}",
                       "v", LETTER_DIGEST_VERSION, "letter_id", id, "team_id",
                       ctx->req.who.team_id, "kind", PQgetvalue(l, 0, LOCK_KIND), "subject",
                       PQgetvalue(l, 0, LOCK_SUBJECT), "body_sha256",
                       PQgetvalue(l, 0, LOCK_BODY_SHA), "reference", *reference ? reference : NULL,
                       "recipients", recipients, "attachments", attachments, "submitted_by",
                       PQgetisnull(l, 0, LOCK_SUBMITTED_BY) ? ctx->req.who.user_id
                                                            : PQgetvalue(l, 0, LOCK_SUBMITTED_BY),
                       "submitted_at", t->submitted_at, "validated_by", ctx->req.who.user_id,
                       "validated_at", validated_at, "key_id", ctx->app->key.id));
    size_t len;
    char *payload = doc ? signed_json_serialise(doc, &len) : NULL;
    if (!payload)
        return DB_ERROR;
    unsigned char signature[crypto_sign_BYTES];
    signed_json_sign(&ctx->app->key, payload, len, signature);
    char *payload_hex = arena_alloc(ctx->req.arena, len * 2 + 1);
    char signature_hex[crypto_sign_BYTES * 2 + 1];
    if (payload_hex)
        sodium_bin2hex(payload_hex, len * 2 + 1, (const unsigned char *)payload, len);
    free(payload);
    if (!payload_hex)
        return DB_ERROR;
    sodium_bin2hex(signature_hex, sizeof(signature_hex), signature, sizeof(signature));
    const char *store[] = {id, ctx->req.who.team_id, ctx->app->key.id, payload_hex,
                           signature_hex, ctx->req.who.user_id, validated_at};
    const char *mark[] = {id, ctx->req.who.user_id, validated_at};
    const char *open[] = {ctx->req.who.team_id, id};
    PGresult *r;
    if ((st = db_exec(db, ctx->req.arena, SQL_LETTER_VALIDATION_ADD, 7, store, &r)) != DB_OK ||
        (st = db_exec(db, ctx->req.arena, SQL_LETTER_MARK_VALIDATED, 3, mark, &r)) != DB_OK)
        return st;
    return db_exec(db, ctx->req.arena, SQL_DELIVERIES_CREATE, 2, open, &r);
}

/* Copies the contacts of the draft's groups into its recipients, checking each for the kind. */
static enum db_status copy_groups(struct transition *t, struct db *db, enum letter_kind kind)
{
    struct ctx *ctx = t->ctx;
    const char *id = ctx->req.path_params[1];
    const char *params[] = {ctx->req.who.team_id, id};
    PGresult *contacts, *next;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_LETTER_GROUP_CONTACTS, 2, params,
                                &contacts);
    const char *letter[] = {id};
    if (st != DB_OK ||
        (st = db_exec(db, ctx->req.arena, SQL_LETTER_NEXT_POSITION, 1, letter, &next)) != DB_OK)
        return st;
    int position = (int)strtol(PQgetvalue(next, 0, 0), NULL, 10);
    for (int i = 0; i < PQntuples(contacts); i++) {
        char *v[12];
        for (int col = 0; col < 12; col++)
            v[col] = PQgetvalue(contacts, i, col);
        struct contact c = {v[1], v[2], v[3], v[4], contact_parse_status(v[5]),
                            v[6], v[7], v[8], v[9], v[10]};
        struct contact_problems problems = {.count = 0};
        if (!letter_check_recipient(kind, &c, &problems)) {
            json_array_append_new(
                t->recipient_problems,
                json_pack("{s:s, s:s, s:s, s:s, s:s}", "group_id", v[0], "last_name", c.last_name,
                          "first_name", c.first_name, "code", problems.items[0].code, "message",
                          problems.items[0].message));
            continue;
        }
        if ((st = letters_add_recipient(ctx, db, id, position++, v[0], &c)) != DB_OK)
            return st;
    }
    if (json_array_size(t->recipient_problems) > 0)
        return refuse(t, PROBLEM_RECIPIENTS_INVALID, NULL);
    return DB_OK;
}

static enum db_status submit_tx(struct db *db, void *p)
{
    struct transition *t = p;
    struct ctx *ctx = t->ctx;
    json_array_clear(t->recipient_problems);
    enum db_status st = lock_letter(t, db);
    if (st != DB_OK)
        return st;
    if (strcmp(PQgetvalue(t->letter, 0, LOCK_SENDER), ctx->req.who.user_id) != 0)
        return refuse(t, letters_sees_all(ctx) ? PROBLEM_FORBIDDEN : PROBLEM_NOT_FOUND,
                      letters_sees_all(ctx) ? "Only the letter's sender submits it"
                                            : "No such letter");
    if (strcmp(PQgetvalue(t->letter, 0, LOCK_STATUS), "draft") != 0)
        return refuse(t, PROBLEM_LETTER_NOT_DRAFT, NULL);
    const char *team[] = {ctx->req.who.team_id};
    PGresult *r;
    if ((st = db_exec(db, ctx->req.arena, SQL_TEAM_HAS_PAYMENT_METHOD, 1, team, &r)) != DB_OK)
        return st;
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0)
        return refuse(t, PROBLEM_PAYMENT_METHOD_REQUIRED, NULL);
    enum letter_kind kind;
    letter_kind_parse(PQgetvalue(t->letter, 0, LOCK_KIND), &kind);
    if ((st = copy_groups(t, db, kind)) != DB_OK)
        return st;
    const char *letter[] = {ctx->req.path_params[1]};
    if ((st = db_exec(db, ctx->req.arena, SQL_LETTER_COUNT_RECIPIENTS, 1, letter, &r)) != DB_OK ||
        (st = db_exec(db, ctx->req.arena, SQL_LETTER_NEXT_POSITION, 1, letter, &r)) != DB_OK)
        return st;
    if (strcmp(PQgetvalue(r, 0, 0), "1") == 0)
        return refuse(t, PROBLEM_RECIPIENTS_INVALID, "The letter has no recipient");
    const char *mark[] = {ctx->req.path_params[1], ctx->req.who.user_id};
    if ((st = db_exec(db, ctx->req.arena, SQL_LETTER_MARK_SUBMITTED, 2, mark, &r)) != DB_OK)
        return st;
    t->submitted_at = PQgetvalue(r, 0, 0);
    /* A validator's own letter is validated as it is submitted. */
    return authz_has(ctx, PERM_LETTERS_VALIDATE) ? validate_in_tx(t, db) : DB_OK;
}

static enum db_status validate_tx(struct db *db, void *p)
{
    struct transition *t = p;
    enum db_status st = lock_letter(t, db);
    if (st != DB_OK)
        return st;
    if (strcmp(PQgetvalue(t->letter, 0, LOCK_STATUS), "pending_validation") != 0)
        return refuse(t, PROBLEM_LETTER_NOT_PENDING, NULL);
    t->submitted_at = PQgetvalue(t->letter, 0, LOCK_SUBMITTED_AT);
    return validate_in_tx(t, db);
}

static enum db_status reject_tx(struct db *db, void *p)
{
    struct transition *t = p;
    struct ctx *ctx = t->ctx;
    enum db_status st = lock_letter(t, db);
    if (st != DB_OK)
        return st;
    if (strcmp(PQgetvalue(t->letter, 0, LOCK_STATUS), "pending_validation") != 0)
        return refuse(t, PROBLEM_LETTER_NOT_PENDING, NULL);
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], ctx->req.who.user_id,
                            ctx_body_string(ctx, "reason")};
    PGresult *r;
    return db_exec(db, ctx->req.arena, SQL_LETTER_REJECT, 4, params, &r);
}

/* Runs a transition and answers with the letter as it now is. */
static void run(struct ctx *ctx, enum db_status (*tx)(struct db *, void *))
{
    struct transition t = {.ctx = ctx, .refusal = PROBLEM__MAX,
                           .recipient_problems = ctx_adopt_json(ctx, json_array())};
    enum db_status st = db_transaction(ctx->app->db, tx, &t);
    if (st != DB_OK && t.refusal == PROBLEM_RECIPIENTS_INVALID && !t.refusal_detail)
        problem_set_ext(&ctx->resp, t.refusal,
                        "Some contacts of the groups cannot receive this kind of letter",
                        json_pack("{s:O}", "recipients", t.recipient_problems));
    else if (st != DB_OK && t.refusal != PROBLEM__MAX)
        problem_set(&ctx->resp, t.refusal, t.refusal_detail);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        letters_answer(ctx);
}

/* Validation needs a password confirmed within the step-up window. */
static bool stepped_up(struct ctx *ctx)
{
    if (ctx->req.who.stepped_up)
        return true;
    problem_set(&ctx->resp, PROBLEM_REAUTH_REQUIRED,
                "Confirm your password (POST /api/v1/auth/reauth), then validate again");
    return false;
}

void letters_submit(struct ctx *ctx)
{
    if (authz_has(ctx, PERM_LETTERS_VALIDATE) && !stepped_up(ctx))
        return;
    run(ctx, submit_tx);
}

void letters_validate(struct ctx *ctx)
{
    if (stepped_up(ctx))
        run(ctx, validate_tx);
}

void letters_reject(struct ctx *ctx)
{
    run(ctx, reject_tx);
}
