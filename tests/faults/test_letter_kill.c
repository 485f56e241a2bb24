/* The worker creating a letter killed with SIGKILL after its transaction committed and before
 * it answered: nginx answers a 502 problem, the letter exists exactly once, and the retry with
 * the same Idempotency-Key returns it. The window is narrow and nothing in the server opens it
 * wider, so the scenario is run until it is hit (bounded); every round's assertions hold
 * whichever way it went. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "support/letter_post.h"
#include "support/letters.h"
#include "support/stack.h"
#include "support/testdb.h"

#define ROUNDS_MAX 100
#define KILLS_MAX 5
#define COMMIT_WAIT_SECONDS 10.0

/* Workers held with SIGSTOP so that one chosen worker serves the request. */
static pid_t held[STACK_WORKERS_MAX];
static int n_held;

static void release_workers(void)
{
    for (int i = 0; i < n_held; i++)
        kill(held[i], SIGCONT);
    n_held = 0;
}

struct sender {
    const char *session, *team;
    struct letter_post *post;
    atomic_bool answered;
};

static void *send_letter(void *arg)
{
    struct sender *s = arg;
    letter_post_send(s->session, s->team, s->post, 15.0);
    atomic_store(&s->answered, true);
    return NULL;
}

struct round {
    struct letter_post post;
    bool committed; /* its idempotency record was seen in the database */
    bool killed;    /* the serving worker was killed before the answer reached us */
};

/* Freezes the worker as soon as the commit shows; kills it when no answer follows. */
static void watch_and_kill(pid_t worker, struct sender *s, struct round *r)
{
    const char *params[] = {r->post.key};
    double deadline = stack_now() + COMMIT_WAIT_SECONDS;
    const char *sql = "SELECT count(*) FROM idempotency_keys WHERE key = $1";
    bool answered = false;
    while (!r->committed && !answered && stack_now() < deadline) {
        answered = atomic_load(&s->answered);
        r->committed = testdb_long(sql, 1, params) > 0;
    }
    if (!r->committed || answered || atomic_load(&s->answered))
        return;
    kill(worker, SIGSTOP);
    stack_sleep(0.05); /* an answer already on its way still arrives */
    if (atomic_load(&s->answered)) {
        kill(worker, SIGCONT);
        return;
    }
    kill(worker, SIGKILL);
    kill(worker, SIGCONT);
    r->killed = true;
}

static void run_round(const char *session, const char *team, struct round *r)
{
    pid_t master = stack_master_pid();
    int n = stack_configured_workers();
    pid_t workers[STACK_WORKERS_MAX];
    cr_assert_geq(stack_wait_children(master, n, NULL, 0, 3.0, workers), 0,
                  "the master does not have its %d workers", n);
    memset(r, 0, sizeof(*r));
    letter_post_prepare(&r->post);
    for (int i = 1; i < n; i++)
        if (kill(workers[i], SIGSTOP) == 0)
            held[n_held++] = workers[i];
    struct sender s = {session, team, &r->post, false};
    pthread_t thread;
    cr_assert_eq(pthread_create(&thread, NULL, send_letter, &s), 0);
    watch_and_kill(workers[0], &s, r);
    pthread_join(thread, NULL);
    release_workers();
}

/* Assertions that hold in every branch: 201, or 502 problem when killed; one letter; the
 * retry replays it. */
static void check_round(struct lt_user *admin, const char *team, struct round *r)
{
    struct letter_post *p = &r->post;
    cr_assert(r->committed, "key %s: never committed (answer %ld %s %s)", p->key, p->status,
              p->code, p->error);
    if (r->killed && p->status != 201) {
        cr_assert_eq(p->status, 502, "killed after the commit: %ld %s", p->status, p->error);
        cr_assert_str_eq(p->content_type, "application/problem+json");
        cr_assert_str_eq(p->code, "upstream_unavailable");
    } else {
        cr_assert_eq(p->status, 201, "key %s: %ld %s %s", p->key, p->status, p->code, p->error);
    }
    char subject[LETTER_POST_KEY_MAX + 8];
    snprintf(subject, sizeof(subject), "fault %s", p->key);
    const char *params[] = {team, subject};
    PGresult *rows =
        testdb_exec("SELECT id FROM letters WHERE team_id = $1 AND subject = $2", 2, params);
    cr_assert_eq(PQntuples(rows), 1, "key %s: %d letters", p->key, PQntuples(rows));
    char stored[64];
    snprintf(stored, sizeof(stored), "%s", PQgetvalue(rows, 0, 0));
    PQclear(rows);
    if (p->status == 201)
        cr_assert_str_eq(p->id, stored, "key %s: answered %s, stored %s", p->key, p->id, stored);

    struct letter_post retry = *p;
    letter_post_send(admin->c.session, team, &retry, 15.0);
    cr_assert_eq(retry.status, 201, "retry of %s: %ld %s %s", p->key, retry.status, retry.code,
                 retry.error);
    cr_assert(retry.replayed, "the retry of %s was not answered as a replay", p->key);
    cr_assert_str_eq(retry.id, stored, "the retry of %s returned %s, the letter is %s", p->key,
                     retry.id, stored);
}

Test(letter_kill, worker_killed_between_commit_and_answer, .timeout = 180,
     .fini = release_workers)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    lt_admin(&admin, team);
    int rounds = 0, kills = 0, bad_gateway = 0;
    while (rounds < ROUNDS_MAX && kills < KILLS_MAX && bad_gateway == 0) {
        struct round r;
        run_round(admin.c.session, team, &r);
        rounds++;
        kills += r.killed;
        bad_gateway += r.post.status == 502;
        check_round(&admin, team, &r);
    }
    cr_log_info("%d round(s), %d kill(s), %d answered 502 after the commit", rounds, kills,
                bad_gateway);
    pid_t master = stack_master_pid();
    cr_assert(stack_process_alive(master), "the master died");
    cr_assert_geq(stack_wait_children(master, stack_configured_workers(), NULL, 0, 3.0, NULL), 0,
                  "the workers were not all back");
    cr_assert_geq(stack_wait_ok("/api/v1/health", 2.0), 0, "no 200 after the test");
}
