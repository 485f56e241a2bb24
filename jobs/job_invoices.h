/* Monthly invoices from pli-jobs: closing the month that ended, and the invoice e-mails. */
#ifndef PLI_JOB_INVOICES_H
#define PLI_JOB_INVOICES_H

#include "jobs/job_queue.h"

/* close_invoices: closes the month that ended last (French time); queued once a month. */
enum job_result job_close_invoices(struct db *db, const struct job_env *env, struct job *job);
/* invoice_email: e-mails an invoice with its PDF to the billing address ("to": "billing") or a
 * copy to the team's accounting address ("to": "accounting"). */
enum job_result job_invoice_email(struct db *db, const struct job_env *env, struct job *job);

#endif
