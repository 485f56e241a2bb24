/* The counters pli-jobs keeps in PostgreSQL for GET /metrics (lib/metric_counters.h). */
#ifndef PLI_JOB_COUNTERS_H
#define PLI_JOB_COUNTERS_H

#include "db/db.h"
#include "lib/metric_counters.h"

/* Adds n to a counter under a label value (NULL for a family without label). A failure is
 * logged and changes nothing else: counting never fails a job. */
void job_counter_add(struct db *db, enum metric_counter c, const char *label, long n);

#endif
