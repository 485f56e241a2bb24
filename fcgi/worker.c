#include "fcgi/worker.h"

#include <fcgiapp.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "fcgi/dispatch.h"
#include "fcgi/metrics_shm.h"
#include "lib/log.h"

/* The per-request memory cap: bodies, JSON and results together. */
#define WORKER_ARENA_CAP (128u * 1024u * 1024u)

static volatile sig_atomic_t worker_stopping;

static void on_term(int sig)
{
    (void)sig;
    worker_stopping = 1;
}

/* Stop signals stay blocked except while waiting for a connection (ppoll unblocks them
 * atomically): a request, once accepted, is always read and answered before the worker leaves. */
static void install_signals(sigset_t *waiting_mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, waiting_mask);
    sigdelset(waiting_mask, SIGTERM);
    sigdelset(waiting_mask, SIGINT);
}

static long elapsed_us(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000000L + (now.tv_nsec - start->tv_nsec) / 1000L;
}

static const char *param_or(FCGX_Request *r, const char *name, const char *fallback)
{
    const char *v = FCGX_GetParam(name, r->envp);
    return v ? v : fallback;
}

static void serve(struct app *app, struct arena *arena, FCGX_Request *r)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.app = app;
    ctx.req.arena = arena;
    ctx.req.envp = r->envp;
    ctx.req.id = param_or(r, "REQUEST_ID", "-");
    ctx.req.method = param_or(r, "REQUEST_METHOD", "GET");
    ctx.req.path = param_or(r, "DOCUMENT_URI", "/");
    ctx.req.query = param_or(r, "QUERY_STRING", "");
    log_set_request_id(ctx.req.id);
    response_init(&ctx.resp, arena, ctx.req.id);
    dispatch(&ctx, r->in);
    response_write(&ctx.resp, r->out, strcmp(ctx.req.method, "HEAD") != 0);
    long us = elapsed_us(&start);
    metrics_shm_record(app->metrics, ctx.req.route, ctx.req.method, ctx.resp.status, us);
    log_info("%s %s %d %ldus user=%s auth=%s", ctx.req.method, ctx.req.path, ctx.resp.status,
             us, ctx.req.who.user_id ? ctx.req.who.user_id : "-",
             ctx.req.who.method == AUTH_SESSION   ? "session"
             : ctx.req.who.method == AUTH_API_KEY ? "api_key"
                                                  : "-");
    log_set_request_id(NULL);
}

int worker_run(struct app *app, int listen_fd)
{
    sigset_t waiting_mask;
    install_signals(&waiting_mask);
    struct arena *arena = arena_new(WORKER_ARENA_CAP);
    if (!arena || FCGX_Init() != 0)
        return 1;
    app->db = db_open(app->cfg.database_url, "pli-fcgi");
    if (!app->db)
        return 1;
    db_count_failures(app->db, metrics_shm_db_failures(app->metrics));
    FCGX_Request request;
    FCGX_InitRequest(&request, listen_fd, 0);
    while (!worker_stopping) {
        struct pollfd pending = {.fd = listen_fd, .events = POLLIN};
        if (ppoll(&pending, 1, NULL, &waiting_mask) <= 0 || worker_stopping)
            continue;
        /* The listening socket is non-blocking: another worker may have taken the
         * connection, and then accept fails at once with EAGAIN. */
        if (FCGX_Accept_r(&request) < 0)
            continue;
        serve(app, arena, &request);
        FCGX_Finish_r(&request);
        /* After a large request, hand the freed heap back to the system: otherwise one big
         * letter keeps the worker's memory up for the rest of its life. */
        if (arena_reset(arena))
            malloc_trim(0);
    }
    FCGX_Finish_r(&request);
    db_close(app->db);
    arena_free(arena);
    return 0;
}
