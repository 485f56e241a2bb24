/* Shared steps of the billing tests: a team ready to be billed, letters with a given reference
 * sent to e-mail recipients, charges awaited and moved back in time, months closed with
 * `pli invoices close` (or the pli-jobs job) one test at a time, prices changed with
 * `pli prices`, invoices read as JSON or PDF, and the invoice e-mails with their attachment.
 * Every name starts with bl_. */
#ifndef PLI_TEST_BILLING_H
#define PLI_TEST_BILLING_H

#include <jansson.h>
#include <stddef.h>

#include "support/client.h"
#include "support/deliveries.h"
#include "support/letters.h"

/* Default prices in euro cents before VAT, and the VAT rate in basis points. */
#define BL_LRE_CENTS 349
#define BL_LRAR_CENTS 611
#define BL_SIMPLE_CENTS 99
#define BL_VAT_BP 2000
/* Room for an invoice number ("F" and six digits), a month (YYYY-MM) and `pli` output. */
#define BL_NUMBER_MAX 16
#define BL_MONTH_MAX 8
#define BL_OUTPUT_MAX 2048

/* A team with its administrator and a payment method (visa ending 4242, provider stripe). */
struct bl_team {
    struct lt_user admin;
    char team[LT_ID_MAX];
};

/* Creates a team (its administrator signs up) named `name`, with a payment method unless
 * `payment_method` is 0. Fills t. */
void bl_team(struct bl_team *t, const char *name, int payment_method);
/* PATCH /api/v1/teams/{team} with billing_email and invoice_copy_email (NULL leaves one out);
 * asserts 200. */
void bl_team_emails(struct bl_team *t, const char *billing_email, const char *copy_email);

/* Creates a draft of `kind` with `reference` (NULL: none) to `recipients` new individuals with
 * e-mail addresses of their own; fills letter. */
void bl_draft(struct client *sender, const char *team, const char *kind, const char *reference,
              int recipients, char letter[LT_ID_MAX]);
/* The same draft submitted by a sender who holds letters.validate (password confirmed first):
 * asserts it is sending and fills out with its deliveries. */
void bl_send(struct client *sender, const char *team, const char *kind, const char *reference,
             int recipients, struct dl_letter *out);
/* Fills out with the deliveries of a letter that is sending. */
void bl_deliveries(struct client *c, const char *team, const char *letter, struct dl_letter *out);

/* How many charges the team has (database). */
long bl_charge_count(const char *team);
/* Waits up to DL_WAIT_MS for the team to have `expected` charges, then asserts it has exactly
 * that many. */
void bl_wait_charges(const char *team, long expected);
/* GET /api/v1/teams/{team}/charges with a query string ("" or "?month=..."). */
struct reply *bl_charges(struct client *c, const char *team, const char *query);
/* The charge of a delivery in a list of charges (borrowed), or NULL. */
json_t *bl_charge_of(const json_t *charges, const char *delivery);

/* Moves every charge of the team to `at` (RFC 3339); asserts there are `expected`. */
void bl_move_charges(const char *team, const char *at, long expected);
/* Moves the charge of one delivery to `at` (RFC 3339); asserts there is one. */
void bl_move_charge(const char *delivery, const char *at);
/* Moves every charge of the team to the middle of the previous month (French time) and copies
 * that month (YYYY-MM); asserts there are `expected`. */
void bl_move_to_previous_month(const char *team, long expected, char month[BL_MONTH_MAX]);

/* The stack_lock every test that closes a month holds from moving its charges back until its
 * invoices exist (a close takes every open charge up to the month's end, whoever's they are). */
#define BL_CLOSE_LOCK "billing-close"

/* Runs `$PLI_TEST_BUILD_DIR/pli <args>` (args shell-quoted by the caller) with the test's
 * environment; returns its exit status (-1 when it did not exit) and its output (stdout and
 * stderr) in out. */
int bl_pli(const char *args, char *out, size_t size);
/* `pli invoices close --month <month>`: asserts exit 0 and returns how many invoices it says
 * it made. */
int bl_close_month(const char *month);
/* Runs `pli invoices close --month <month>` in n processes at once (n at most 8): asserts each
 * exits 0 and returns how many invoices they say they made in all. */
int bl_close_month_at_once(const char *month, int n);
/* `pli prices set --kind <kind> --cents <cents>`: asserts exit 0. */
void bl_set_price(const char *kind, long cents);
/* Queues the close_invoices job as pli-jobs does on the 1st and waits up to DL_WAIT_MS for it
 * to be done. */
void bl_run_close_job(void);

/* The team's invoice for `month` as GET .../invoices lists it (caller decrefs), or NULL. */
json_t *bl_invoice_for(struct client *c, const char *team, const char *month);
/* GET .../invoices/{invoice} (JSON). */
struct reply *bl_invoice(struct client *c, const char *team, const char *invoice);
/* GET .../invoices/{invoice}?format=pdf; asserts a PDF named facture-<number>.pdf. */
struct reply *bl_invoice_pdf(struct client *c, const char *team, const char *invoice,
                             const char *number);
/* The text pdftotext reads in a PDF, every run of spaces (no-break ones included) and line
 * breaks made one space (to free). */
char *bl_pdf_text(const void *pdf, size_t len);

/* Waits for the invoice e-mail of this purpose ("billing" or "accounting") sent to `to` and
 * returns its decoded text (to free); fails when none comes. */
char *bl_invoice_mail(const char *to, const char *invoice, const char *purpose);
/* The attachment named `filename` in a raw message: asserts it is application/pdf in base64
 * and returns its decoded bytes (to free), their length in *len. */
unsigned char *bl_mail_attachment(const char *raw, const char *filename, size_t *len);

/* Asserts that the numbers of every invoice in the database follow each other from F000001
 * without a gap and that the counter stands at the last. */
void bl_expect_numbers_unbroken(void);

#endif
