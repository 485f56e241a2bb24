/* GET /metrics: the Prometheus text exposition of pli-fcgi's shared counters and of figures read
 * from the database at scrape time (job queue, deliveries, pli-jobs' own counters). */
#include <string.h>

#include "fcgi/metrics_shm.h"
#include "handlers/handlers.h"
#include "lib/log.h"
#include "lib/metric_counters.h"

/* The largest exposition a scrape writes (bytes); past it the scrape answers 500. */
#define METRICS_TEXT_MAX (4u * 1024u * 1024u)

/* What the database tells at scrape time; NULL results when it could not be read. */
struct db_figures {
    PGresult *jobs, *deliveries, *counters;
};

static bool read_figures(struct ctx *ctx, struct db_figures *f)
{
    struct {
        enum sql_statement stmt;
        PGresult **out;
    } reads[] = {{SQL_METRICS_JOBS, &f->jobs},
                 {SQL_METRICS_DELIVERIES, &f->deliveries},
                 {SQL_METRICS_COUNTERS, &f->counters}};
    for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
        if (db_exec(ctx->app->db, ctx->req.arena, reads[i].stmt, 0, NULL, reads[i].out) != DB_OK)
            return false;
    return true;
}

/* Columns of SQL_METRICS_JOBS. */
enum { JOBS_KIND, JOBS_STATE, JOBS_COUNT, JOBS_OLDEST_DUE };

static void write_jobs(struct prom_text *t, const PGresult *r)
{
    prom_family(t, "pli_job_queue_jobs", "gauge",
                "Jobs of pli-jobs not done, by kind and state (queued, running or dead).");
    for (int i = 0; i < PQntuples(r); i++) {
        struct prom_label labels[] = {{"kind", PQgetvalue(r, i, JOBS_KIND)},
                                      {"state", PQgetvalue(r, i, JOBS_STATE)}};
        prom_sample(t, "pli_job_queue_jobs", labels, 2, PQgetvalue(r, i, JOBS_COUNT));
    }
    prom_family(t, "pli_job_queue_oldest_due_seconds", "gauge",
                "Age of the oldest queued job whose time has come, by kind (0 when none is due "
                "yet).");
    for (int i = 0; i < PQntuples(r); i++) {
        if (PQgetisnull(r, i, JOBS_OLDEST_DUE))
            continue;
        struct prom_label label = {"kind", PQgetvalue(r, i, JOBS_KIND)};
        prom_sample(t, "pli_job_queue_oldest_due_seconds", &label, 1,
                    PQgetvalue(r, i, JOBS_OLDEST_DUE));
    }
}

static void write_deliveries(struct prom_text *t, const PGresult *r)
{
    prom_family(t, "pli_deliveries", "gauge", "Deliveries of letters by channel and status.");
    for (int i = 0; i < PQntuples(r); i++) {
        struct prom_label labels[] = {{"channel", PQgetvalue(r, i, 0)},
                                      {"status", PQgetvalue(r, i, 1)}};
        prom_sample(t, "pli_deliveries", labels, 2, PQgetvalue(r, i, 2));
    }
}

/* Columns of SQL_METRICS_COUNTERS. */
enum { COUNTER_NAME, COUNTER_LABEL, COUNTER_VALUE };

static void write_counters(struct prom_text *t, const PGresult *r)
{
    for (int c = 0; c < METRIC_COUNTER__MAX; c++) {
        const struct metric_counter_info *info = metric_counter_info((enum metric_counter)c);
        prom_family(t, info->family, "counter", info->help);
        for (int i = 0; i < PQntuples(r); i++) {
            if (strcmp(PQgetvalue(r, i, COUNTER_NAME), info->family) != 0)
                continue;
            struct prom_label label = {info->label, PQgetvalue(r, i, COUNTER_LABEL)};
            prom_sample(t, info->family, &label, info->label ? 1 : 0,
                        PQgetvalue(r, i, COUNTER_VALUE));
        }
    }
}

void metrics_get(struct ctx *ctx)
{
    if (!addr_allow_match(&ctx->app->cfg.metrics_allow, request_param(&ctx->req, "REMOTE_ADDR"))) {
        problem_set(&ctx->resp, PROBLEM_FORBIDDEN,
                    "Metrics are served only to the addresses PLI_METRICS_ALLOW lists");
        return;
    }
    struct db_figures f = {0};
    bool database_up = read_figures(ctx, &f);
    struct prom_text t;
    prom_text_init(&t, ctx->req.arena, METRICS_TEXT_MAX);
    metrics_shm_write(ctx->app->metrics, &t);
    prom_family(&t, "pli_metrics_database_up", "gauge",
                "1 when this scrape read the job queue, the deliveries and the counters of "
                "pli-jobs from the database; 0 when it could not (those families are then left "
                "out).");
    prom_sample(&t, "pli_metrics_database_up", NULL, 0, database_up ? "1" : "0");
    if (database_up) {
        write_jobs(&t, f.jobs);
        write_deliveries(&t, f.deliveries);
        write_counters(&t, f.counters);
    }
    if (t.overflow) {
        log_error("metrics: the exposition exceeds %u bytes", METRICS_TEXT_MAX);
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
        return;
    }
    response_bytes(&ctx->resp, 200, PROM_TEXT_CONTENT_TYPE, t.buf, t.len);
}
