#include "db/invoice_close.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/blob_store.h"
#include "lib/invoice_pdf.h"
#include "lib/log.h"

bool invoice_month_valid(const char *month)
{
    if (!month || strlen(month) != 7 || month[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (month[i] < '0' || month[i] > '9'))
            return false;
    int m = (month[5] - '0') * 10 + (month[6] - '0');
    return m >= 1 && m <= 12 && strncmp(month, "0000", 4) != 0;
}

struct close_tx {
    const char *first_day;
    int created;
};

static enum db_status close_tx(struct db *db, void *arg)
{
    struct close_tx *x = arg;
    PGresult *r;
    enum db_status st = db_exec(db, NULL, SQL_INVOICE_COUNTER_LOCK, 0, NULL, &r);
    if (st != DB_OK)
        return st;
    PQclear(r);
    const char *params[] = {x->first_day};
    if ((st = db_exec(db, NULL, SQL_INVOICES_CLOSE, 1, params, &r)) != DB_OK)
        return st;
    x->created = PQntuples(r);
    PQclear(r);
    return DB_OK;
}

/* The invoice as its PDF shows it: the stored invoice, who it is billed to, and the seller. */
static json_t *render_input(const PGresult *r, const struct config *cfg)
{
    json_t *invoice = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    if (invoice)
        json_object_set_new(invoice, "seller",
                            json_pack("{s:s, s:s, s:s, s:s}", "name", cfg->seller_name, "address",
                                      cfg->seller_address, "siren", cfg->seller_siren,
                                      "vat_number", cfg->seller_vat_number));
    return invoice;
}

static enum db_status store_pdf(struct db *db, const char *id, const unsigned char *pdf,
                                size_t len)
{
    char sha256[65];
    enum db_status st = blob_store_put(db, pdf, len, sha256);
    if (st != DB_OK)
        return st;
    PGresult *r;
    const char *params[] = {id, sha256};
    if ((st = db_exec(db, NULL, SQL_INVOICE_PDF_SET, 2, params, &r)) == DB_OK)
        PQclear(r);
    return st;
}

/* Makes and keeps one invoice's PDF; DB_OK also when it cannot be rendered (logged). */
static enum db_status render_one(struct db *db, const struct config *cfg, const char *id,
                                 bool *rendered)
{
    const char *params[] = {id};
    PGresult *r;
    enum db_status st = db_exec(db, NULL, SQL_INVOICE_RENDER_CONTEXT, 1, params, &r);
    if (st != DB_OK)
        return st;
    json_t *input = PQntuples(r) == 1 ? render_input(r, cfg) : NULL;
    PQclear(r);
    unsigned char *pdf = NULL;
    size_t len = 0;
    *rendered = input && invoice_pdf_render(input, &pdf, &len);
    json_decref(input);
    if (!*rendered) {
        log_error("invoice %s: the PDF could not be rendered", id);
        return DB_ERROR;
    }
    st = store_pdf(db, id, pdf, len);
    free(pdf);
    return st;
}

enum db_status invoice_close_month(struct db *db, const struct config *cfg, const char *month,
                                   struct invoice_close_result *result)
{
    memset(result, 0, sizeof(*result));
    char first_day[16];
    snprintf(first_day, sizeof(first_day), "%.7s-01", month);
    const char *day[] = {first_day};
    PGresult *r;
    enum db_status st = db_exec(db, NULL, SQL_INVOICE_MONTH_ENDED, 1, day, &r);
    if (st != DB_OK)
        return st;
    result->open = strcmp(PQgetvalue(r, 0, 0), "t") != 0;
    PQclear(r);
    if (result->open)
        return DB_OK;
    struct close_tx x = {first_day, 0};
    st = db_transaction(db, close_tx, &x);
    if (st != DB_OK)
        return st;
    result->created = x.created;
    char batch[16];
    snprintf(batch, sizeof(batch), "%d", INVOICE_PDF_BATCH);
    const char *params[] = {batch};
    if ((st = db_exec(db, NULL, SQL_INVOICES_WITHOUT_PDF, 1, params, &r)) != DB_OK)
        return st;
    for (int i = 0; i < PQntuples(r) && st == DB_OK; i++) {
        bool rendered = false;
        st = render_one(db, cfg, PQgetvalue(r, i, 0), &rendered);
        result->rendered += rendered;
    }
    PQclear(r);
    return st;
}
