#include "support/stack.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "support/client.h"

double stack_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void stack_sleep(double seconds)
{
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

pid_t stack_master_pid(void)
{
    const char *path = getenv("PLI_PID_FILE");
    cr_assert_not_null(path, "PLI_PID_FILE is not set");
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s: %s", path, strerror(errno));
    long pid = 0;
    int n = fscanf(f, "%ld", &pid);
    fclose(f);
    cr_assert(n == 1 && pid > 1, "no pid in %s", path);
    return (pid_t)pid;
}

/* Reads state and ppid from /proc/<pid>/stat; false when the process is gone. */
static bool read_stat(pid_t pid, char *state, pid_t *ppid)
{
    char path[64], line[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(line, sizeof(line), f) != NULL;
    fclose(f);
    const char *close_paren = ok ? strrchr(line, ')') : NULL; /* comm may hold spaces */
    int parent = 0;
    if (!close_paren || sscanf(close_paren + 1, " %c %d", state, &parent) != 2)
        return false;
    *ppid = (pid_t)parent;
    return true;
}

bool stack_process_alive(pid_t pid)
{
    char state;
    pid_t ppid;
    return pid > 0 && read_stat(pid, &state, &ppid) && state != 'Z' && state != 'X';
}

int stack_configured_workers(void)
{
    const char *v = getenv("PLI_WORKERS");
    int n = v && *v ? (int)strtol(v, NULL, 10) : 4;
    return n > 0 ? n : 4;
}

int stack_env_port(const char *name)
{
    const char *v = getenv(name);
    char *end = NULL;
    errno = 0;
    long port = v ? strtol(v, &end, 10) : 0;
    cr_assert(v && *v && !errno && !*end && port >= 1 && port <= 65535,
              "%s is not a port (run the API tests through scripts/test)", name);
    return (int)port;
}

int stack_children(pid_t parent, pid_t *out, int max)
{
    DIR *d = opendir("/proc");
    cr_assert_not_null(d, "cannot read /proc");
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        pid_t pid = (pid_t)strtol(e->d_name, NULL, 10);
        char state;
        pid_t ppid;
        if (!read_stat(pid, &state, &ppid) || ppid != parent || state == 'Z' || state == 'X')
            continue;
        if (n < max)
            out[n] = pid;
        n++;
    }
    closedir(d);
    return n < max ? n : max;
}

bool stack_pid_in(pid_t pid, const pid_t *list, int n)
{
    for (int i = 0; i < n; i++)
        if (list[i] == pid)
            return true;
    return false;
}

double stack_wait_children(pid_t parent, int count, const pid_t *avoid, int n_avoid,
                           double seconds, pid_t *out)
{
    double start = stack_now();
    for (;;) {
        pid_t now[STACK_WORKERS_MAX];
        int n = stack_children(parent, now, STACK_WORKERS_MAX);
        bool fresh = n == count;
        for (int i = 0; i < n && fresh; i++)
            fresh = !stack_pid_in(now[i], avoid, n_avoid);
        if (fresh) {
            if (out)
                memcpy(out, now, sizeof(now[0]) * (size_t)n);
            return stack_now() - start;
        }
        if (stack_now() - start > seconds)
            return -1;
        stack_sleep(0.01);
    }
}

static size_t discard(char *ptr, size_t size, size_t n, void *userdata)
{
    (void)ptr;
    (void)userdata;
    return size * n;
}

double stack_wait_ok(const char *path, double seconds)
{
    char url[1024];
    snprintf(url, sizeof(url), "%s%s", client_base_url(), path);
    CURL *curl = curl_easy_init();
    cr_assert_not_null(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 500L);
    double start = stack_now(), took = -1;
    while (stack_now() - start <= seconds) {
        long status = 0;
        if (curl_easy_perform(curl) == CURLE_OK &&
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
            status == 200) {
            took = stack_now() - start;
            break;
        }
        stack_sleep(0.01);
    }
    curl_easy_cleanup(curl);
    return took;
}

int stack_lock(const char *name)
{
    const char *dir = getenv("PLI_TEST_RUNTIME");
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.lock", dir && *dir ? dir : "/tmp", name);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    cr_assert(fd >= 0, "cannot open %s", path);
    cr_assert_eq(flock(fd, LOCK_EX), 0, "cannot lock %s", path);
    return fd;
}

void stack_unlock(int fd)
{
    flock(fd, LOCK_UN);
    close(fd);
}
