/* pli-jobs: runs queued work outside requests, woken by LISTEN/NOTIFY, with periodic chores. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "jobs/job_kinds.h"
#include "lib/crypto.h"
#include "lib/log.h"

/* The longest sleep between looks at the queue, whatever NOTIFY says. */
#define JOBS_POLL_SECONDS 30
#define JOBS_RECONNECT_SECONDS 1

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Periodic work, queued once per period across all runners: the de-duplication key names the
 * period (UTC). Mailboxes are looked at every minute (each is polled when its own interval is
 * over). The monthly close runs from 00:00 UTC on the 1st, when the month that ended
 * (French time) is over. */
enum period { MINUTELY, HOURLY, MONTHLY };
static const struct {
    const char *kind;
    enum period period;
} periodic[] = {
    {"poll_mailboxes", MINUTELY},
    {"purge_expired", HOURLY},
    {"delivery_deadlines", HOURLY},
    {"close_invoices", MONTHLY},
};
#define PERIODIC_KINDS (sizeof(periodic) / sizeof(periodic[0]))

static void schedule_periodic(struct db *db)
{
    static char queued[PERIODIC_KINDS][64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    for (size_t i = 0; i < PERIODIC_KINDS; i++) {
        char period[32], key[64];
        if (periodic[i].period == MINUTELY)
            strftime(period, sizeof(period), "%Y-%m-%dT%H:%M", &tm);
        else if (periodic[i].period == HOURLY)
            strftime(period, sizeof(period), "%Y-%m-%dT%H", &tm);
        else
            strftime(period, sizeof(period), "%Y-%m", &tm);
        snprintf(key, sizeof(key), "%s:%s", periodic[i].kind, period);
        if (strcmp(key, queued[i]) != 0 && job_enqueue_once(db, periodic[i].kind, key) == DB_OK)
            memcpy(queued[i], key, sizeof(queued[i]));
    }
}

static double next_due_seconds(struct db *db)
{
    PGresult *r;
    double wait = JOBS_POLL_SECONDS;
    char names[JOB_KIND_NAMES_MAX];
    job_kind_names(job_kinds, job_kinds_count, names, sizeof(names));
    const char *params[] = {names};
    if (db_exec(db, NULL, SQL_JOB_NEXT_DUE, 1, params, &r) != DB_OK)
        return JOBS_RECONNECT_SECONDS;
    if (!PQgetisnull(r, 0, 0)) {
        double due = strtod(PQgetvalue(r, 0, 0), NULL);
        if (due < wait)
            wait = due > 0 ? due : 0;
    }
    PQclear(r);
    return wait;
}

/* Sleeps until a NOTIFY arrives or the timeout passes; false when the connection broke. */
static bool wait_for_work(PGconn *conn, double seconds)
{
    int fd = PQsocket(conn);
    if (fd < 0)
        return false;
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(fd, &fds);
    struct timeval tv = {(time_t)seconds, (suseconds_t)((seconds - (long)seconds) * 1e6)};
    if (select(fd + 1, &fds, NULL, NULL, &tv) < 0 && errno != EINTR)
        return false;
    if (!PQconsumeInput(conn))
        return false;
    PGnotify *n;
    while ((n = PQnotifies(conn)) != NULL)
        PQfreemem(n);
    return true;
}

int main(void)
{
    static struct config cfg;
    static struct job_env env = {.cfg = &cfg};
    log_set_role("jobs");
    if (!config_load(&cfg))
        return 2;
    if (!crypto_setup())
        return 1;
    if (!crypto_master_key_load(cfg.master_key_path, env.master_key)) {
        log_error("cannot load the master key %s (run: pli keygen)", cfg.master_key_path);
        return 1;
    }
    if (!crypto_signing_key_load(cfg.signing_key_path, &env.key)) {
        log_error("cannot load the signing key %s (run: pli keygen)", cfg.signing_key_path);
        return 1;
    }
    install_signals();
    struct db *db = db_open(cfg.database_url, "pli-jobs");
    if (!db)
        return 1;
    PGconn *listening_on = NULL;
    log_info("started with %d job kind(s)", job_kinds_count);
    while (!stopping) {
        if (!db_ensure(db)) {
            listening_on = NULL;
            struct timespec pause = {JOBS_RECONNECT_SECONDS, 0};
            nanosleep(&pause, NULL);
            continue;
        }
        if (listening_on != db_conn(db)) {
            PGresult *r;
            if (db_exec(db, NULL, SQL_JOBS_LISTEN, 0, NULL, &r) != DB_OK)
                continue;
            PQclear(r);
            listening_on = db_conn(db);
        }
        schedule_periodic(db);
        while (!stopping && job_run_one(db, &env, job_kinds, job_kinds_count))
            ;
        if (stopping)
            break;
        double wait = next_due_seconds(db);
        if (!db_conn(db) || !wait_for_work(db_conn(db), wait))
            listening_on = NULL;
    }
    log_info("stopped");
    db_close(db);
    return 0;
}
