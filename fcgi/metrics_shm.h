/* Request counters and latency histograms shared by the master and its workers: one anonymous
 * shared mapping the master makes before it forks, so that they survive any worker, updated
 * with relaxed atomic adds (no lock on the request path). Sized from the route table, with a
 * fixed set of methods and status codes and an "other" slot for each. */
#ifndef PLI_METRICS_SHM_H
#define PLI_METRICS_SHM_H

#include <stdint.h>

#include "fcgi/router.h"
#include "lib/prom_text.h"

/* Why the master started a worker in place of another. */
enum metrics_restart {
    METRICS_RESTART_CRASH, /* the worker died: killed by a signal or exited by itself */
    METRICS_RESTART_ROLL,  /* SIGHUP rolled it out */
    METRICS_RESTART__MAX
};

struct metrics_shm;

/* Maps zeroed counters for every route of router_routes, plus one slot for the requests no
 * route matched; NULL when the mapping cannot be made. */
struct metrics_shm *metrics_shm_create(void);
/* Counts one answered request (route NULL when no route matched) and its time. */
void metrics_shm_record(struct metrics_shm *m, const struct route *route, const char *method,
                        int status, long elapsed_us);
/* Counts a worker the master replaced. */
void metrics_shm_worker_restart(struct metrics_shm *m, enum metrics_restart reason);
/* The failure counters of the database connections, one per enum db_status (for
 * db_count_failures in every worker). */
uint64_t *metrics_shm_db_failures(struct metrics_shm *m);
/* Writes the families of requests, latency, worker restarts and database errors. */
void metrics_shm_write(const struct metrics_shm *m, struct prom_text *t);

#endif
