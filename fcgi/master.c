#include "fcgi/master.h"

#include <errno.h>
#include <fcntl.h>
#include <fcgiapp.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fcgi/metrics_shm.h"
#include "fcgi/worker.h"
#include "lib/log.h"

#define MASTER_BACKLOG 1024
#define MASTER_WORKERS_MAX 256
#define MASTER_TICK_MS 200
#define MASTER_STOP_GRACE_SECONDS 30
/* More deaths than this within CRASH_WINDOW seconds means a crash loop: respawns slow down. */
#define MASTER_CRASH_WINDOW 10
#define MASTER_CRASH_BACKOFF_MAX 30

struct master {
    struct app *app;
    int listen_fd;
    pid_t workers[MASTER_WORKERS_MAX];
    pid_t retiring[MASTER_WORKERS_MAX]; /* rolled out, finishing their last request */
    time_t recent_deaths[MASTER_WORKERS_MAX];
    int n_deaths;
    int backoff_seconds;
    time_t respawn_not_before;
};

static time_t now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

static int open_socket(const struct config *cfg)
{
    unlink(cfg->socket_path);
    mode_t old = umask(0117); /* the socket is born 0660 */
    int fd = FCGX_OpenSocket(cfg->socket_path, MASTER_BACKLOG);
    umask(old);
    if (fd < 0) {
        log_error("cannot listen on %s: %s", cfg->socket_path, strerror(errno));
        return -1;
    }
    if (cfg->socket_group) {
        struct group *g = getgrnam(cfg->socket_group);
        if (!g || chown(cfg->socket_path, (uid_t)-1, g->gr_gid) != 0) {
            log_error("cannot give %s to group %s", cfg->socket_path, cfg->socket_group);
            close(fd);
            return -1;
        }
    }
    /* Workers wait in ppoll and then accept: a connection another worker took must not block. */
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        log_error("cannot make the socket non-blocking: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (chmod(cfg->socket_path, 0660) != 0) {
        log_error("cannot chmod %s: %s", cfg->socket_path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static pid_t spawn(struct master *m)
{
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        log_set_role("fcgi-worker");
        _exit(worker_run(m->app, m->listen_fd));
    }
    if (pid < 0)
        log_error("fork failed: %s", strerror(errno));
    return pid;
}

static void fill_slots(struct master *m)
{
    if (now_seconds() < m->respawn_not_before)
        return;
    for (int i = 0; i < m->app->cfg.workers; i++)
        if (m->workers[i] <= 0)
            m->workers[i] = spawn(m);
}

/* Records a death; too many recent ones delay the next respawns, doubling up to a cap. */
static void note_death(struct master *m)
{
    time_t now = now_seconds();
    int kept = 0;
    for (int i = 0; i < m->n_deaths; i++)
        if (now - m->recent_deaths[i] < MASTER_CRASH_WINDOW)
            m->recent_deaths[kept++] = m->recent_deaths[i];
    m->n_deaths = kept;
    if (m->n_deaths < MASTER_WORKERS_MAX)
        m->recent_deaths[m->n_deaths++] = now;
    if (m->n_deaths > 2 * m->app->cfg.workers + 2) {
        m->backoff_seconds = m->backoff_seconds ? m->backoff_seconds * 2 : 1;
        if (m->backoff_seconds > MASTER_CRASH_BACKOFF_MAX)
            m->backoff_seconds = MASTER_CRASH_BACKOFF_MAX;
        m->respawn_not_before = now + m->backoff_seconds;
        log_warn("workers are dying in a loop; next respawn in %ds", m->backoff_seconds);
    } else {
        m->backoff_seconds = 0;
    }
}

static void reap(struct master *m)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < MASTER_WORKERS_MAX; i++)
            if (m->retiring[i] == pid)
                m->retiring[i] = 0;
        for (int i = 0; i < m->app->cfg.workers; i++) {
            if (m->workers[i] != pid)
                continue;
            m->workers[i] = 0;
            if (WIFSIGNALED(status))
                log_warn("worker %d killed by signal %d; replacing it", (int)pid,
                         WTERMSIG(status));
            else
                log_warn("worker %d exited with %d; replacing it", (int)pid,
                         WEXITSTATUS(status));
            note_death(m);
            metrics_shm_worker_restart(m->app->metrics, METRICS_RESTART_CRASH);
        }
    }
}

/* Starts a fresh set of workers, then asks the old ones to finish their request and leave. */
static void roll(struct master *m)
{
    pid_t old[MASTER_WORKERS_MAX];
    int n = m->app->cfg.workers;
    memcpy(old, m->workers, sizeof(old[0]) * (size_t)n);
    for (int i = 0; i < n; i++)
        m->workers[i] = spawn(m);
    for (int i = 0; i < n; i++) {
        if (old[i] <= 0)
            continue;
        kill(old[i], SIGTERM);
        metrics_shm_worker_restart(m->app->metrics, METRICS_RESTART_ROLL);
        for (int j = 0; j < MASTER_WORKERS_MAX; j++) {
            if (m->retiring[j] <= 0) {
                m->retiring[j] = old[i];
                break;
            }
        }
    }
    log_info("rolled %d workers", n);
}

/* Sends sig to every worker still alive, current or retiring; returns how many there are. */
static int signal_workers(struct master *m, int sig)
{
    int alive = 0;
    for (int i = 0; i < MASTER_WORKERS_MAX; i++) {
        pid_t *slots[] = {i < m->app->cfg.workers ? &m->workers[i] : NULL, &m->retiring[i]};
        for (int k = 0; k < 2; k++) {
            if (slots[k] && *slots[k] > 0) {
                kill(*slots[k], sig);
                alive++;
            }
        }
    }
    return alive;
}

static void stop_all(struct master *m)
{
    log_info("stopping: letting in-flight requests finish");
    time_t deadline = now_seconds() + MASTER_STOP_GRACE_SECONDS;
    for (;;) {
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
            for (int i = 0; i < MASTER_WORKERS_MAX; i++) {
                if (i < m->app->cfg.workers && m->workers[i] == pid)
                    m->workers[i] = 0;
                if (m->retiring[i] == pid)
                    m->retiring[i] = 0;
            }
        /* Repeated: a worker busy with a request only sees the signal once it is done. */
        if (signal_workers(m, now_seconds() >= deadline ? SIGKILL : SIGTERM) == 0)
            break;
        struct timespec tick = {0, MASTER_TICK_MS * 1000000L};
        nanosleep(&tick, NULL);
    }
}

static void write_pid_file(const char *path)
{
    if (!path)
        return;
    FILE *f = fopen(path, "w");
    if (!f) {
        log_warn("cannot write %s: %s", path, strerror(errno));
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
}

int master_run(struct app *app)
{
    static struct master m;
    m.app = app;
    if (app->cfg.workers > MASTER_WORKERS_MAX)
        app->cfg.workers = MASTER_WORKERS_MAX;
    /* Before any fork: every worker, and every replacement, shares these counters. */
    app->metrics = metrics_shm_create();
    if (!app->metrics)
        return 1;
    m.listen_fd = open_socket(&app->cfg);
    if (m.listen_fd < 0)
        return 1;
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGCHLD);
    sigaddset(&watched, SIGTERM);
    sigaddset(&watched, SIGINT);
    sigaddset(&watched, SIGHUP);
    sigprocmask(SIG_BLOCK, &watched, NULL);
    signal(SIGPIPE, SIG_IGN);
    write_pid_file(app->cfg.pid_file);
    log_info("listening on %s with %d workers", app->cfg.socket_path, app->cfg.workers);
    fill_slots(&m);
    for (;;) {
        struct timespec tick = {0, MASTER_TICK_MS * 1000000L};
        siginfo_t info;
        int sig = sigtimedwait(&watched, &info, &tick);
        if (sig == SIGTERM || sig == SIGINT)
            break;
        if (sig == SIGHUP)
            roll(&m);
        reap(&m);
        fill_slots(&m);
    }
    stop_all(&m);
    close(m.listen_fd);
    unlink(app->cfg.socket_path);
    if (app->cfg.pid_file)
        unlink(app->cfg.pid_file);
    log_info("stopped");
    return 0;
}
