/* PostgreSQL restarted while letters are being created: what was acknowledged exists once,
 * what failed failed as a 503 (or nginx's 502) problem, and a retry with the same
 * Idempotency-Key creates each letter at most once. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/letter_post.h"
#include "support/letters.h"
#include "support/stack.h"
#include "support/testdb.h"

#define THREADS 4
#define PER_THREAD 2500
#define OUTAGE_SECONDS 1.0
#define RECOVERY_SECONDS 20.0

/* Runs pg-control; a start is tried again a few times: while the database was down, its port
 * may have been taken for a moment as the local port of some outgoing connection. */
static void pg_control(const char *action)
{
    const char *tool = getenv("PLI_TEST_PG_CONTROL");
    cr_assert_not_null(tool, "PLI_TEST_PG_CONTROL is not set");
    char command[1024];
    snprintf(command, sizeof(command), "'%s' %s", tool, action);
    int tries = strcmp(action, "start") == 0 ? 5 : 1, rc = -1;
    for (int i = 0; i < tries && rc != 0; i++) {
        if (i > 0)
            stack_sleep(1.0);
        rc = system(command);
    }
    cr_assert_eq(rc, 0, "%s failed", command);
}

/* Posts fresh letters until one is created; the seconds it took, or -1. */
static double wait_for_letters(const char *session, const char *team, double seconds)
{
    double start = stack_now();
    while (stack_now() - start <= seconds) {
        struct letter_post p;
        letter_post_prepare(&p);
        letter_post_send(session, team, &p, 5.0);
        if (p.status == 201)
            return stack_now() - start;
        stack_sleep(0.1);
    }
    return -1;
}

/* The team's letters grouped by subject. */
struct stored {
    PGresult *rows; /* subject, how many letters, one of their ids */
};

static void stored_load(struct stored *s, const char *team)
{
    const char *params[] = {team};
    s->rows = testdb_exec("SELECT subject, count(*), min(id::text) FROM letters "
                          "WHERE team_id = $1 GROUP BY subject",
                          1, params);
}

/* How many letters carry the subject of p (0 when none); *id receives one of their ids. */
static long stored_count(const struct stored *s, const struct letter_post *p, const char **id)
{
    char subject[LETTER_POST_KEY_MAX + 8];
    snprintf(subject, sizeof(subject), "fault %s", p->key);
    for (int i = 0; i < PQntuples(s->rows); i++) {
        if (strcmp(PQgetvalue(s->rows, i, 0), subject) == 0) {
            *id = PQgetvalue(s->rows, i, 2);
            return strtol(PQgetvalue(s->rows, i, 1), NULL, 10);
        }
    }
    *id = "";
    return 0;
}

static bool outage_answer(const struct letter_post *p)
{
    bool problem = strcmp(p->content_type, "application/problem+json") == 0;
    return problem && ((p->status == 503 && strcmp(p->code, "database_unavailable") == 0) ||
                       (p->status == 502 && strcmp(p->code, "upstream_unavailable") == 0));
}

Test(database_restart, letters_across_a_restart_exist_once, .timeout = 180)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    lt_admin(&admin, team);

    struct letter_load *load = letter_load_start(admin.c.session, team, THREADS, PER_THREAD, 90);
    stack_sleep(0.5);
    pg_control("stop");
    stack_sleep(OUTAGE_SECONDS);
    pg_control("start");
    double back = wait_for_letters(admin.c.session, team, RECOVERY_SECONDS);
    stack_sleep(0.5); /* the stream goes on against the restarted database */
    struct letter_post *posts;
    int n = letter_load_stop(load, &posts);
    cr_assert_geq(back, 0, "no letter could be created %.0f s after PostgreSQL came back",
                  RECOVERY_SECONDS);

    struct stored s;
    stored_load(&s, team);
    int acknowledged = 0, failed = 0;
    for (int i = 0; i < n; i++) {
        const struct letter_post *p = &posts[i];
        const char *id;
        long count = stored_count(&s, p, &id);
        if (p->status == 201) {
            acknowledged++;
            cr_assert_eq(count, 1, "letter %s (key %s) was acknowledged but exists %ld times",
                         p->id, p->key, count);
            cr_assert_str_eq(id, p->id, "key %s: acknowledged %s, stored %s", p->key, p->id,
                             id);
            continue;
        }
        failed++;
        cr_assert(outage_answer(p),
                  "key %s: %ld (Content-Type '%s', code '%s'%s%s), expected a 503 "
                  "database_unavailable or 502 upstream_unavailable problem",
                  p->key, p->status, p->content_type, p->code, p->error[0] ? ", " : "",
                  p->error);
        cr_assert_leq(count, 1, "key %s failed yet its letter exists %ld times", p->key, count);
    }
    PQclear(s.rows);
    cr_log_info("%d posts: %d created, %d failed during the outage; service back in %.2f s", n,
                acknowledged, failed, back);
    cr_assert_gt(acknowledged, 0, "no letter was created around the restart");
    cr_assert_gt(failed, 0, "no request met the outage, so this proves nothing");

    /* Every failed request again, same key and body: one letter each, never two. */
    for (int i = 0; i < n; i++) {
        if (posts[i].status == 201)
            continue;
        letter_post_send(admin.c.session, team, &posts[i], 15.0);
        cr_assert_eq(posts[i].status, 201, "retry of key %s: %ld %s", posts[i].key,
                     posts[i].status, posts[i].error);
    }
    stored_load(&s, team);
    for (int i = 0; i < n; i++) {
        const char *id;
        long count = stored_count(&s, &posts[i], &id);
        cr_assert_eq(count, 1, "key %s: %ld letters after the retry", posts[i].key, count);
        cr_assert_str_eq(id, posts[i].id, "key %s: answered %s, stored %s", posts[i].key,
                         posts[i].id, id);
    }
    PQclear(s.rows);
    free(posts);
}
