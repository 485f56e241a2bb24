#include "fcgi/worker.h"

#include <fcgiapp.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "fcgi/dispatch.h"
#include "lib/log.h"

/* The per-request memory cap: bodies, JSON and results together. */
#define WORKER_ARENA_CAP (64u * 1024u * 1024u)

static volatile sig_atomic_t worker_stopping;

static void on_term(int sig)
{
    (void)sig;
    worker_stopping = 1;
}

static void install_signals(sigset_t *term_only)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_term; /* no SA_RESTART: a blocked accept() returns at once */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigemptyset(term_only);
    sigaddset(term_only, SIGTERM);
    sigaddset(term_only, SIGINT);
    sigprocmask(SIG_UNBLOCK, term_only, NULL);
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
    response_write(&ctx.resp, r->out);
    log_info("%s %s %d %ldus user=%s auth=%s", ctx.req.method, ctx.req.path, ctx.resp.status,
             elapsed_us(&start), ctx.req.who.user_id ? ctx.req.who.user_id : "-",
             ctx.req.who.method == AUTH_SESSION   ? "session"
             : ctx.req.who.method == AUTH_API_KEY ? "api_key"
                                                  : "-");
    log_set_request_id(NULL);
}

int worker_run(struct app *app, int listen_fd)
{
    sigset_t term_only;
    install_signals(&term_only);
    struct arena *arena = arena_new(WORKER_ARENA_CAP);
    if (!arena || FCGX_Init() != 0)
        return 1;
    app->db = db_open(app->cfg.database_url, "pli-fcgi");
    if (!app->db)
        return 1;
    FCGX_Request request;
    FCGX_InitRequest(&request, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
    while (!worker_stopping) {
        if (FCGX_Accept_r(&request) < 0)
            break;
        /* A stop signal that arrives mid-request waits until the answer is out. */
        sigprocmask(SIG_BLOCK, &term_only, NULL);
        serve(app, arena, &request);
        FCGX_Finish_r(&request);
        arena_reset(arena);
        sigprocmask(SIG_UNBLOCK, &term_only, NULL);
    }
    db_close(app->db);
    arena_free(arena);
    return 0;
}
