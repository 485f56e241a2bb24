#include "support/jobs_proc.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/stack.h"

/* The pid in PLI_TEST_RUNTIME/pli-jobs.spawned, or 0 when there is none. */
static long recorded_pid(void)
{
    const char *dir = getenv("PLI_TEST_RUNTIME");
    char path[1024];
    snprintf(path, sizeof(path), "%s/pli-jobs.spawned", dir ? dir : ".");
    FILE *f = fopen(path, "r");
    long pid = 0;
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return pid > 1 ? pid : 0;
}

pid_t jobs_runner_pid(void)
{
    cr_assert_not_null(getenv("PLI_TEST_RUNTIME"), "PLI_TEST_RUNTIME is not set");
    long pid = recorded_pid();
    cr_assert(pid > 1, "no pli-jobs pid recorded in PLI_TEST_RUNTIME: %s", strerror(errno));
    return (pid_t)pid;
}

void jobs_runner_ensure(void)
{
    long pid = recorded_pid();
    if (pid <= 1 || !jobs_wait_runner((pid_t)pid, 2.0))
        jobs_control("start");
}

void jobs_control(const char *action)
{
    const char *tool = getenv("PLI_TEST_JOBS_CONTROL");
    cr_assert_not_null(tool, "PLI_TEST_JOBS_CONTROL is not set");
    char command[1024];
    snprintf(command, sizeof(command), "'%s' %s", tool, action);
    cr_assert_eq(system(command), 0, "%s failed", command);
}

int jobs_is_runner(pid_t pid)
{
    char path[64], comm[64] = "";
    snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char *got = fgets(comm, sizeof(comm), f);
    fclose(f);
    return got && strncmp(comm, "pli-jobs", 8) == 0 && stack_process_alive(pid);
}

int jobs_wait_runner(pid_t pid, double seconds)
{
    double deadline = stack_now() + seconds;
    while (!jobs_is_runner(pid) && stack_process_alive(pid) && stack_now() < deadline)
        stack_sleep(0.01);
    return jobs_is_runner(pid);
}

int jobs_extra_start(int n, pid_t *pids)
{
    const char *build = getenv("PLI_TEST_BUILD_DIR"), *logs = getenv("PLI_LOG_DIR");
    char binary[1024], log[1024] = "/dev/null";
    snprintf(binary, sizeof(binary), "%s/pli-jobs", build ? build : ".");
    if (logs)
        snprintf(log, sizeof(log), "%s/pli-jobs-extra.log", logs);
    int started = 0;
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
            int null = open("/dev/null", O_RDONLY);
            if (fd >= 0 && null >= 0) {
                dup2(null, 0);
                dup2(fd, 1);
                dup2(fd, 2);
                execl(binary, "pli-jobs", (char *)NULL);
            }
            _exit(127);
        }
        if (pid < 0)
            break;
        pids[started++] = pid;
    }
    return started;
}

int jobs_extra_stop(pid_t *pids, int n, double seconds)
{
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGTERM);
    int clean = 0, left = 0;
    double deadline = stack_now() + seconds;
    do {
        left = 0;
        for (int i = 0; i < n; i++) {
            int status;
            if (pids[i] <= 0)
                continue;
            if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
                clean += WIFEXITED(status) && WEXITSTATUS(status) == 0;
                pids[i] = 0;
            } else {
                left++;
            }
        }
        if (left)
            stack_sleep(0.05);
    } while (left && stack_now() < deadline);
    for (int i = 0; i < n; i++) {
        if (pids[i] > 0) {
            kill(pids[i], SIGKILL);
            waitpid(pids[i], NULL, 0);
            pids[i] = 0;
        }
    }
    return clean;
}
