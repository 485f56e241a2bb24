/* pli prices and pli invoices: the operator's side of billing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/invoice_close.h"
#include "jobs/cli.h"
#include "lib/json_spec.h"

/* Bounds of a price the operator may set (cents before VAT; VAT in basis points). */
#define PRICE_CENTS_MAX 10000000L
#define VAT_BP_MAX 10000L

static bool parse_long(const char *text, long min, long max, long *out)
{
    if (!text || !*text)
        return false;
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno || *end || n < min || n > max)
        return false;
    *out = n;
    return true;
}

static int list_prices(struct db *db)
{
    PGresult *r;
    if (db_exec(db, NULL, SQL_PRICES_CURRENT, 0, NULL, &r) != DB_OK) {
        fprintf(stderr, "pli prices: the database is unavailable\n");
        return 1;
    }
    printf("%-8s %12s %6s  %s\n", "kind", "excl. VAT", "VAT", "since");
    for (int i = 0; i < PQntuples(r); i++) {
        long cents = strtol(PQgetvalue(r, i, 1), NULL, 10);
        long bp = strtol(PQgetvalue(r, i, 2), NULL, 10);
        const char *since = PQgetvalue(r, i, 3);
        printf("%-8s %9ld.%02ld € %3ld.%02ld%%  %s\n", PQgetvalue(r, i, 0), cents / 100,
               cents % 100, bp / 100, bp % 100, *since ? since : "the start");
    }
    PQclear(r);
    return 0;
}

static int set_price(struct db *db, int argc, char **argv)
{
    const char *kind = cli_option(argc, argv, "--kind");
    const char *from = cli_option(argc, argv, "--from");
    const char *vat = cli_option(argc, argv, "--vat-bp");
    long cents, bp = 2000;
    if (!kind || (strcmp(kind, "lre") != 0 && strcmp(kind, "lrar") != 0 &&
                  strcmp(kind, "simple") != 0) ||
        !parse_long(cli_option(argc, argv, "--cents"), 0, PRICE_CENTS_MAX, &cents) ||
        (vat && !parse_long(vat, 0, VAT_BP_MAX, &bp)) || (from && !json_is_datetime(from))) {
        fprintf(stderr, "usage: pli prices set --kind lre|lrar|simple --cents 0..%ld "
                        "[--vat-bp 0..%ld (2000 = 20 %%)] [--from RFC3339]\n",
                PRICE_CENTS_MAX, VAT_BP_MAX);
        return 2;
    }
    char cents_text[32], bp_text[32];
    snprintf(cents_text, sizeof(cents_text), "%ld", cents);
    snprintf(bp_text, sizeof(bp_text), "%ld", bp);
    const char *params[] = {kind, cents_text, bp_text, from};
    PGresult *r;
    enum db_status st = db_exec(db, NULL, SQL_PRICE_SET, 4, params, &r);
    if (st != DB_OK) {
        fprintf(stderr, "pli prices set: %s\n",
                st == DB_CONFLICT ? "a price for this kind already starts at that time"
                                  : "the database refused the price");
        return 1;
    }
    printf("%s: %ld.%02ld € before VAT from %s\n", kind, cents / 100, cents % 100,
           PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

int cli_prices(const struct config *cfg, int argc, char **argv)
{
    bool setting = argc > 2 && strcmp(argv[2], "set") == 0;
    if (argc > 2 && !setting) {
        fprintf(stderr, "usage: pli prices [set --kind K --cents N [--vat-bp B] [--from T]]\n");
        return 2;
    }
    struct db *db = db_open(cfg->database_url, "pli-cli");
    if (!db)
        return 1;
    int rc = setting ? set_price(db, argc, argv) : list_prices(db);
    db_close(db);
    return rc;
}

int cli_invoices(const struct config *cfg, int argc, char **argv)
{
    const char *month = cli_option(argc, argv, "--month");
    if (argc < 3 || strcmp(argv[2], "close") != 0 || !invoice_month_valid(month)) {
        fprintf(stderr, "usage: pli invoices close --month YYYY-MM\n");
        return 2;
    }
    struct db *db = db_open(cfg->database_url, "pli-cli");
    if (!db)
        return 1;
    struct invoice_close_result result;
    enum db_status st = invoice_close_month(db, cfg, month, &result);
    db_close(db);
    if (st != DB_OK) {
        fprintf(stderr, "pli invoices close: the month could not be closed (%s)\n",
                st == DB_UNAVAILABLE ? "database unavailable" : "see the log");
        return 1;
    }
    if (result.open) {
        fprintf(stderr, "pli invoices close: %s has not ended yet\n", month);
        return 1;
    }
    printf("closed %s: %d new invoice(s), %d PDF(s) made\n", month, result.created,
           result.rendered);
    return 0;
}
