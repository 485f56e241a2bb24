/* A team's charges and monthly invoices, for its administrator and roles with billing.view
 * (the route table checks that): charges month by month, invoices as JSON or their PDF. */
#include <stdlib.h>
#include <string.h>

#include "db/invoice_close.h"
#include "handlers/handlers.h"

void charges_list(struct ctx *ctx)
{
    const char *month = request_query(&ctx->req, "month");
    const char *cursor = request_query(&ctx->req, "cursor");
    int limit;
    if (month && !invoice_month_valid(month)) {
        ctx_field_problem(ctx, "month", "invalid_format", "must be YYYY-MM");
        return;
    }
    if (cursor && !json_is_uuid(cursor)) {
        ctx_field_problem(ctx, "cursor", "invalid_format", "is not a cursor from this list");
        return;
    }
    if (!ctx_page_limit(ctx, &limit))
        return;
    PGresult *r;
    if (!month) {
        if (!ctx_exec(ctx, SQL_INVOICE_CURRENT_MONTH, 0, NULL, &r))
            return;
        month = PQgetvalue(r, 0, 0);
    }
    const char *first_day = arena_printf(ctx->req.arena, "%s-01", month);
    const char *limit_text = arena_printf(ctx->req.arena, "%d", limit);
    const char *params[] = {ctx->req.who.team_id, first_day, cursor, limit_text};
    PGresult *totals;
    if (!ctx_exec(ctx, SQL_CHARGES_LIST, 4, params, &r) ||
        !ctx_exec(ctx, SQL_CHARGES_MONTH_TOTAL, 2, params, &totals))
        return;
    json_t *charges = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(charges, json_loads(PQgetvalue(r, i, 0), 0, NULL));
    const char *next = NULL;
    if (PQntuples(r) == limit) {
        json_t *last = json_array_get(charges, (size_t)limit - 1);
        next = json_string_value(json_object_get(last, "id"));
    }
    response_json(&ctx->resp, 200,
                  json_pack("{s:s, s:o, s:{s:I, s:I, s:s}, s:s?}", "month", month, "charges",
                            charges, "totals", "count",
                            (json_int_t)strtoll(PQgetvalue(totals, 0, 0), NULL, 10),
                            "total_excl_cents",
                            (json_int_t)strtoll(PQgetvalue(totals, 0, 1), NULL, 10), "currency",
                            "EUR", "next_cursor", next));
}

void invoices_list(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_INVOICES_LIST, 1, params, &r))
        return;
    const char *text = arena_printf(ctx->req.arena, "{\"invoices\":%s}", PQgetvalue(r, 0, 0));
    ctx_answer_json_text(ctx, 200, text);
}

/* The PDF when asked for by ?format=pdf or an Accept header preferring it; JSON otherwise. */
static bool wants_pdf(const struct ctx *ctx)
{
    const char *format = request_query(&ctx->req, "format");
    if (format)
        return strcmp(format, "pdf") == 0;
    const char *accept = request_param(&ctx->req, "HTTP_ACCEPT");
    return accept && strstr(accept, "application/pdf") && !strstr(accept, "application/json");
}

void invoices_get(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_INVOICE_GET, 2, params, &r))
        return;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such invoice");
        return;
    }
    if (!wants_pdf(ctx)) {
        ctx_answer_row(ctx, 200, r, "No such invoice");
        return;
    }
    if (PQgetisnull(r, 0, 2)) {
        problem_set(&ctx->resp, PROBLEM_INVOICE_PDF_PENDING, NULL);
        return;
    }
    ctx_answer_file_base64(ctx, PQgetvalue(r, 0, 2), "application/pdf",
                           arena_printf(ctx->req.arena, "facture-%s.pdf", PQgetvalue(r, 0, 1)));
}
