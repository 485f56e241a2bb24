/* Closing a month of charges into invoices, shared by pli-jobs (on the 1st) and
 * `pli invoices close --month YYYY-MM`: one invoice per team, numbered without gaps, then its
 * PDF kept and its e-mails queued. Running it again for the same month changes nothing. */
#ifndef PLI_INVOICE_CLOSE_H
#define PLI_INVOICE_CLOSE_H

#include <stdbool.h>

#include "db/db.h"
#include "lib/config.h"

/* The most invoices given a PDF per pass (the rest wait for the next pass). */
#define INVOICE_PDF_BATCH 200

struct invoice_close_result {
    bool open;    /* the month has not ended yet: nothing was done */
    int created;  /* invoices created by this call */
    int rendered; /* PDFs made by this call (for this month's invoices or earlier ones) */
};

/* True for "YYYY-MM" with a month from 01 to 12. */
bool invoice_month_valid(const char *month);
/* Refuses a month that has not ended (result->open). Otherwise creates the month's invoices
 * in one transaction (the counter is locked while numbers are
 * given), then makes the PDF of every invoice still without one and queues its e-mails. */
enum db_status invoice_close_month(struct db *db, const struct config *cfg, const char *month,
                                   struct invoice_close_result *result);

#endif
