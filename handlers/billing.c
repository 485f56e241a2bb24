/* Billing of a team: the payment method, registered by the administrator for the whole team. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "handlers/handlers.h"

static const struct json_field payment_method_fields[] = {
    {"provider", JSON_FIELD_STRING, true, 1, 50, JSON_FORMAT_NONE, NULL},
    {"token", JSON_FIELD_STRING, true, 1, 255, JSON_FORMAT_NONE, NULL},
    {"brand", JSON_FIELD_STRING, true, 1, 30, JSON_FORMAT_NONE, NULL},
    {"last4", JSON_FIELD_STRING, true, 4, 4, JSON_FORMAT_NONE, NULL},
    {"exp_month", JSON_FIELD_INTEGER, true, 1, 12, JSON_FORMAT_NONE, NULL},
    {"exp_year", JSON_FIELD_INTEGER, true, 2000, 2200, JSON_FORMAT_NONE, NULL},
};
const struct body_spec billing_payment_method_body = {payment_method_fields, 6};

/* Card numbers have 12 to 19 digits: a run that long (spaces and dashes aside) is refused, so
 * that a primary account number never reaches the database. */
#define CARD_NUMBER_MIN_DIGITS 12

static bool looks_like_card_number(const char *s)
{
    int run = 0;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s))
            run++;
        else if (*s != ' ' && *s != '-')
            run = 0;
        if (run >= CARD_NUMBER_MIN_DIGITS)
            return true;
    }
    return false;
}

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static bool valid_payment_method(struct ctx *ctx)
{
    json_int_t month = json_integer_value(json_object_get(ctx->req.json, "exp_month"));
    json_int_t year = json_integer_value(json_object_get(ctx->req.json, "exp_year"));
    time_t now = time(NULL);
    struct tm today;
    gmtime_r(&now, &today);
    struct json_problems problems = {0};
    if (looks_like_card_number(ctx_body_string(ctx, "token")))
        json_problems_add(&problems, "token", "card_number_refused",
                          "must be the payment provider's reference, never a card number");
    if (!all_digits(ctx_body_string(ctx, "last4")))
        json_problems_add(&problems, "last4", "invalid_format", "must be four digits");
    if (year < today.tm_year + 1900 || (year == today.tm_year + 1900 && month < today.tm_mon + 1))
        json_problems_add(&problems, "exp_year", "expired", "the card has expired");
    if (problems.count == 0)
        return true;
    problem_set_fields(&ctx->resp, &problems);
    return false;
}

struct payment_method_write {
    struct ctx *ctx;
    const char *result;
};

static enum db_status payment_method_tx(struct db *db, void *p)
{
    struct payment_method_write *w = p;
    struct ctx *ctx = w->ctx;
    char month[8], year[8];
    snprintf(month, sizeof(month), "%d",
             (int)json_integer_value(json_object_get(ctx->req.json, "exp_month")));
    snprintf(year, sizeof(year), "%d",
             (int)json_integer_value(json_object_get(ctx->req.json, "exp_year")));
    const char *params[] = {ctx->req.who.team_id,        ctx_body_string(ctx, "provider"),
                            ctx_body_string(ctx, "token"), ctx_body_string(ctx, "brand"),
                            ctx_body_string(ctx, "last4"), month,
                            year,                          ctx->req.who.user_id};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_PAYMENT_METHOD_PUT, 8, params, &r);
    if (st != DB_OK)
        return st;
    w->result = PQgetvalue(r, 0, 0);
    return audit_record(ctx, "payment_method.updated", ctx->req.who.team_id, NULL, w->result);
}

void billing_put_payment_method(struct ctx *ctx)
{
    if (!valid_payment_method(ctx))
        return;
    struct payment_method_write w = {ctx, NULL};
    enum db_status st = db_transaction(ctx->app->db, payment_method_tx, &w);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    ctx_answer_json_text(ctx, 200, w.result);
}

void billing_get_payment_method(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id};
    PGresult *r;
    if (ctx_exec(ctx, SQL_PAYMENT_METHOD_GET, 1, params, &r))
        ctx_answer_row(ctx, 200, r, "No payment method is registered");
}
