/* The pli-fcgi process tree seen from a test: the master (PLI_PID_FILE) and its workers. */
#ifndef PLI_TEST_STACK_H
#define PLI_TEST_STACK_H

#include <stdbool.h>
#include <sys/types.h>

#define STACK_WORKERS_MAX 256

/* The master's pid from PLI_PID_FILE; fails the test when it cannot be read. */
pid_t stack_master_pid(void);
/* True while pid names a live (not zombie) process. */
bool stack_process_alive(pid_t pid);
/* The configured worker count (PLI_WORKERS, default 4). */
int stack_configured_workers(void);
/* The TCP port an environment variable names (exported by scripts/test); fails the test when it
 * is unset or not a number from 1 to 65535. */
int stack_env_port(const char *name);
/* Live (not zombie) children of parent, at most max, in out; returns how many. */
int stack_children(pid_t parent, pid_t *out, int max);
/* True when pid is one of list[0..n). */
bool stack_pid_in(pid_t pid, const pid_t *list, int n);
/* Polls until parent has exactly `count` live children, none of them in avoid[0..n_avoid),
 * for at most `seconds`; fills out (may be NULL) and returns the seconds it took, or -1. */
double stack_wait_children(pid_t parent, int count, const pid_t *avoid, int n_avoid,
                           double seconds, pid_t *out);
/* Polls GET path until it answers 200, for at most `seconds`; the seconds it took, or -1. */
double stack_wait_ok(const char *path, double seconds);
/* Seconds on the monotonic clock. */
double stack_now(void);
/* Takes the named lock shared by the test processes (a file under PLI_TEST_RUNTIME), for tests
 * whose work would disturb each other's; returns a descriptor for stack_unlock. */
int stack_lock(const char *name);
/* Gives a lock from stack_lock back. */
void stack_unlock(int fd);
/* Sleeps for `seconds`. */
void stack_sleep(double seconds);

#endif
