/* pli-jobs processes seen from a fault test: the stack's runner (recorded by scripts/test in
 * PLI_TEST_RUNTIME/pli-jobs.spawned, driven by PLI_TEST_JOBS_CONTROL) and extra runners the
 * test starts itself from PLI_TEST_BUILD_DIR with its own environment. */
#ifndef PLI_TEST_JOBS_PROC_H
#define PLI_TEST_JOBS_PROC_H

#include <sys/types.h>

/* The pid recorded for the stack's runner; fails the test when there is none. */
pid_t jobs_runner_pid(void);
/* Leaves the stack's runner recorded and running whatever a test did (a .fini). */
void jobs_runner_ensure(void);
/* Runs scripts/lib/jobs-control with action (start, stop, kill); fails the test on error. */
void jobs_control(const char *action);
/* True when pid is a live pli-jobs process. */
int jobs_is_runner(pid_t pid);
/* Waits up to `seconds` for pid to be a live pli-jobs process (a process just spawned may not
 * have executed it yet); returns jobs_is_runner(pid). */
int jobs_wait_runner(pid_t pid, double seconds);

/* Starts n extra runners (output appended to PLI_LOG_DIR/pli-jobs-extra.log, else discarded);
 * fills pids and returns how many started. Never fails the test. */
int jobs_extra_start(int n, pid_t *pids);
/* Sends SIGTERM to every extra runner and reaps them; those still there after `seconds` are
 * killed. Returns how many left by themselves. Clears pids. */
int jobs_extra_stop(pid_t *pids, int n, double seconds);

#endif
