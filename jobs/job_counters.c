#include "jobs/job_counters.h"

#include <stdio.h>

#include "lib/log.h"

void job_counter_add(struct db *db, enum metric_counter c, const char *label, long n)
{
    if (n <= 0)
        return;
    char amount[24];
    snprintf(amount, sizeof(amount), "%ld", n);
    const char *params[] = {metric_counter_info(c)->family, label ? label : "", amount};
    PGresult *r;
    if (db_exec(db, NULL, SQL_METRIC_COUNTER_ADD, 3, params, &r) == DB_OK)
        PQclear(r);
    else
        log_warn("metrics: could not add %ld to %s{%s}", n, params[0], params[1]);
}
