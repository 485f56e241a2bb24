#include "fcgi/metrics_shm.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "db/db.h"
#include "lib/log.h"

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
#define N_METHODS (sizeof(methods) / sizeof(methods[0]) + 1) /* + other */

static const int statuses[] = {200, 201, 202, 204, 301, 302, 304, 400, 401, 402, 403, 404,
                               405, 409, 410, 413, 415, 422, 429, 500, 502, 503, 504};
#define N_STATUSES (sizeof(statuses) / sizeof(statuses[0]) + 1) /* + other */

/* Upper bounds of the latency buckets, from 1 ms to 10 s, in microseconds and as `le`. */
static const long bucket_us[] = {1000,   2500,   5000,    10000,   25000,   50000,   100000,
                                 250000, 500000, 1000000, 2500000, 5000000, 10000000};
static const char *const bucket_le[] = {"0.001", "0.0025", "0.005", "0.01", "0.025",
                                        "0.05",  "0.1",    "0.25",  "0.5",  "1",
                                        "2.5",   "5",      "10",    "+Inf"};
#define N_BUCKETS (sizeof(bucket_us) / sizeof(bucket_us[0]) + 1) /* + +Inf */
_Static_assert(sizeof(bucket_le) / sizeof(bucket_le[0]) == N_BUCKETS, "one le per bucket");

/* One route and method: a count per status, a count per latency bucket (not cumulative: one
 * add per request; the writer sums them) and the sum of latencies in microseconds. */
struct cell {
    uint64_t by_status[N_STATUSES];
    uint64_t by_bucket[N_BUCKETS];
    uint64_t sum_us;
};

struct metrics_shm {
    size_t n_slots; /* routes, then the slot of requests no route matched */
    uint64_t restarts[METRICS_RESTART__MAX];
    uint64_t db_failures[DB__MAX];
    struct cell cells[]; /* n_slots * N_METHODS */
};

static const char *const restart_reasons[METRICS_RESTART__MAX] = {
    [METRICS_RESTART_CRASH] = "crash",
    [METRICS_RESTART_ROLL] = "roll",
};

static const char *const db_failure_kinds[DB__MAX] = {
    [DB_CONFLICT] = "conflict",       [DB_INVALID] = "invalid", [DB_RETRY] = "retry",
    [DB_UNAVAILABLE] = "unavailable", [DB_ERROR] = "error",
};

#define UNMATCHED_ROUTE "unmatched"

struct metrics_shm *metrics_shm_create(void)
{
    size_t n_slots = router_routes_count + 1;
    size_t size = sizeof(struct metrics_shm) + n_slots * N_METHODS * sizeof(struct cell);
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        log_error("cannot map %zu bytes for the metrics", size);
        return NULL;
    }
    struct metrics_shm *m = p; /* the mapping comes zeroed */
    m->n_slots = n_slots;
    return m;
}

static size_t method_slot(const char *method)
{
    for (size_t i = 0; i < N_METHODS - 1; i++)
        if (strcmp(methods[i], method) == 0)
            return i;
    return N_METHODS - 1;
}

static size_t status_slot(int status)
{
    for (size_t i = 0; i < N_STATUSES - 1; i++)
        if (statuses[i] == status)
            return i;
    return N_STATUSES - 1;
}

static size_t bucket_slot(long us)
{
    for (size_t i = 0; i < N_BUCKETS - 1; i++)
        if (us <= bucket_us[i])
            return i;
    return N_BUCKETS - 1;
}

static void add(uint64_t *counter, uint64_t n)
{
    __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static uint64_t load(const uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

void metrics_shm_record(struct metrics_shm *m, const struct route *route, const char *method,
                        int status, long elapsed_us)
{
    size_t slot = route ? (size_t)(route - router_routes) : m->n_slots - 1;
    if (slot >= m->n_slots)
        slot = m->n_slots - 1;
    if (elapsed_us < 0)
        elapsed_us = 0;
    struct cell *c = &m->cells[slot * N_METHODS + method_slot(method)];
    add(&c->by_status[status_slot(status)], 1);
    add(&c->by_bucket[bucket_slot(elapsed_us)], 1);
    add(&c->sum_us, (uint64_t)elapsed_us);
}

void metrics_shm_worker_restart(struct metrics_shm *m, enum metrics_restart reason)
{
    add(&m->restarts[reason], 1);
}

uint64_t *metrics_shm_db_failures(struct metrics_shm *m)
{
    return m->db_failures;
}

static const char *method_name(size_t i)
{
    return i < N_METHODS - 1 ? methods[i] : "other";
}

static const char *route_name(const struct metrics_shm *m, size_t slot)
{
    return slot < m->n_slots - 1 ? router_routes[slot].pattern : UNMATCHED_ROUTE;
}

static void write_requests(const struct metrics_shm *m, struct prom_text *t)
{
    prom_family(t, "pli_http_requests_total", "counter",
                "Requests answered by pli-fcgi, by route pattern (\"" UNMATCHED_ROUTE
                "\" when no route took the path and method), method and status code.");
    for (size_t slot = 0; slot < m->n_slots; slot++)
        for (size_t meth = 0; meth < N_METHODS; meth++) {
            const struct cell *c = &m->cells[slot * N_METHODS + meth];
            for (size_t s = 0; s < N_STATUSES; s++) {
                uint64_t n = load(&c->by_status[s]);
                if (n == 0)
                    continue;
                char status[16];
                if (s < N_STATUSES - 1)
                    snprintf(status, sizeof(status), "%d", statuses[s]);
                else
                    snprintf(status, sizeof(status), "other");
                struct prom_label labels[] = {{"route", route_name(m, slot)},
                                              {"method", method_name(meth)},
                                              {"status", status}};
                prom_sample_u64(t, "pli_http_requests_total", labels, 3, n);
            }
        }
}

static void write_latency(const struct metrics_shm *m, struct prom_text *t)
{
    prom_family(t, "pli_http_request_duration_seconds", "histogram",
                "Time from accepting a request to having written its answer, by route pattern "
                "and method.");
    for (size_t slot = 0; slot < m->n_slots; slot++)
        for (size_t meth = 0; meth < N_METHODS; meth++) {
            const struct cell *c = &m->cells[slot * N_METHODS + meth];
            uint64_t counts[N_BUCKETS], total = 0;
            for (size_t b = 0; b < N_BUCKETS; b++)
                total += counts[b] = load(&c->by_bucket[b]);
            if (total == 0)
                continue;
            struct prom_label labels[] = {
                {"route", route_name(m, slot)}, {"method", method_name(meth)}, {"le", NULL}};
            uint64_t cumulative = 0;
            for (size_t b = 0; b < N_BUCKETS; b++) {
                cumulative += counts[b];
                labels[2].value = bucket_le[b];
                prom_sample_u64(t, "pli_http_request_duration_seconds_bucket", labels, 3,
                                cumulative);
            }
            prom_sample_us(t, "pli_http_request_duration_seconds_sum", labels, 2, load(&c->sum_us));
            prom_sample_u64(t, "pli_http_request_duration_seconds_count", labels, 2, total);
        }
}

void metrics_shm_write(const struct metrics_shm *m, struct prom_text *t)
{
    write_requests(m, t);
    write_latency(m, t);
    prom_family(t, "pli_worker_restarts_total", "counter",
                "Workers the pli-fcgi master started in place of another, by reason: crash (the "
                "worker died) or roll (SIGHUP replaced it).");
    for (int r = 0; r < METRICS_RESTART__MAX; r++) {
        struct prom_label label = {"reason", restart_reasons[r]};
        prom_sample_u64(t, "pli_worker_restarts_total", &label, 1, load(&m->restarts[r]));
    }
    prom_family(t, "pli_database_errors_total", "counter",
                "Failed database calls of the pli-fcgi workers, by kind: unavailable (connection "
                "lost or refused), error (a server error), conflict, invalid (a rule of the "
                "data) and retry (serialization failure or deadlock).");
    for (int k = DB_OK + 1; k < DB__MAX; k++) {
        struct prom_label label = {"kind", db_failure_kinds[k]};
        prom_sample_u64(t, "pli_database_errors_total", &label, 1, load(&m->db_failures[k]));
    }
}
