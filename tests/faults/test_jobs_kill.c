/* pli-jobs killed with SIGKILL while it sends a batch of invitation e-mails, then started
 * again: the job it held is taken over at once (its database session is gone) rather than
 * after its 5-minute lease, every e-mail arrives, and a message sent twice is the same message
 * (same Message-ID) so that mail clients fold the copies. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/jobs_proc.h"
#include "support/mail_ids.h"
#include "support/stack.h"
#include "support/teams.h"
#include "support/testdb.h"

#define BATCH 50
#define MAIL_WAIT_MS 60000

/* Invites BATCH fresh addresses in one request; fills emails and invitation ids. */
static void invite_batch(struct client *admin, const char *team, char emails[][128],
                         char ids[][TEAMS_ID_MAX])
{
    json_t *list = json_array();
    for (int i = 0; i < BATCH; i++) {
        client_unique_email(emails[i], sizeof(emails[i]), "killed-runner");
        json_array_append_new(list, json_string(emails[i]));
    }
    struct reply *r = client_json(admin, "POST", tpath("/api/v1/teams/%s/invitations", team),
                                  "{s:o}", "emails", list);
    cr_assert_eq(r->status, 200, "invite %d: %ld %s", BATCH, r->status, r->body);
    json_t *results = json_object_get(r->json, "results");
    cr_assert_eq(json_array_size(results), BATCH, "%s", r->body);
    for (int i = 0; i < BATCH; i++) {
        json_t *item = json_array_get(results, (size_t)i);
        cr_assert_str_eq(teams_str(item, "status"), "invited", "%s", r->body);
        cr_assert_str_eq(teams_str(item, "email"), emails[i], "results are out of order");
        snprintf(ids[i], TEAMS_ID_MAX, "%s", teams_str(item, "invitation_id"));
    }
    reply_free(r);
}

/* How many of the team's invitation e-mail jobs are in that state. */
static long team_jobs(const char *team, const char *state)
{
    const char *params[] = {team, state};
    return testdb_long("SELECT count(*) FROM jobs j JOIN invitations i "
                       "ON i.id::text = j.payload->>'invitation_id' "
                       "WHERE i.team_id = $1 AND j.kind = 'invitation_email' AND j.state = $2",
                       2, params);
}

Test(jobs_kill, invitation_mails_survive_a_killed_runner, .timeout = 120, .fini = jobs_runner_ensure)
{
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    teams_admin(&admin, team);
    pid_t old = jobs_runner_pid();
    cr_assert(jobs_is_runner(old), "pid %d recorded for pli-jobs is not pli-jobs", (int)old);

    static char emails[BATCH][128], ids[BATCH][TEAMS_ID_MAX];
    invite_batch(&admin.c, team, emails, ids);
    /* Killed as soon as it is sending: the first e-mail of the batch is out. */
    long sent = 0;
    double deadline = stack_now() + 10;
    while ((sent = team_jobs(team, "done")) == 0 && stack_now() < deadline)
        ;
    cr_assert_eq(kill(old, SIGKILL), 0);
    double start = stack_now();
    while (stack_process_alive(old) && stack_now() - start < 5)
        stack_sleep(0.01);
    cr_assert(!stack_process_alive(old), "pli-jobs %d survived SIGKILL", (int)old);

    static struct mail_ids mails[BATCH];
    for (int i = 0; i < BATCH; i++)
        mails[i].to = emails[i];
    int before = BATCH - mail_ids_wait(mails, BATCH, 0);
    long running = team_jobs(team, "running");

    jobs_control("start");
    pid_t now = jobs_runner_pid();
    cr_assert_neq(now, old, "the restarted runner was not recorded");
    cr_assert(jobs_wait_runner(now, 5.0), "pid %d recorded after the restart is not pli-jobs",
              (int)now);

    int missing = mail_ids_wait(mails, BATCH, MAIL_WAIT_MS);
    int duplicated = 0;
    for (int i = 0; i < BATCH; i++)
        duplicated += mails[i].count > 1;
    cr_log_info("killed with %ld job(s) done and %ld running; %d of %d e-mails in just after; "
                "%d sent more than once; all in within %.1f s",
                sent, running, before, BATCH, duplicated, stack_now() - start);
    for (int i = 0; i < BATCH; i++)
        cr_expect_gt(mails[i].count, 0, "no invitation e-mail reached %s (invitation %s)",
                     emails[i], ids[i]);
    cr_assert_eq(missing, 0, "%d of %d invitation e-mails never arrived (waited %d s)", missing,
                 BATCH, MAIL_WAIT_MS / 1000);
    for (int i = 0; i < BATCH; i++) {
        char expected[160];
        snprintf(expected, sizeof(expected), "invitation-%.63s-v1@", ids[i]);
        int shown = mails[i].count < MAIL_IDS_PER_ADDRESS ? mails[i].count : MAIL_IDS_PER_ADDRESS;
        for (int k = 0; k < shown; k++)
            cr_assert(strncmp(mails[i].ids[k], expected, strlen(expected)) == 0,
                      "copy %d of %d to %s has Message-ID <%s>, expected <%s...>", k + 1,
                      mails[i].count, emails[i], mails[i].ids[k], expected);
    }
    /* The job the killed runner held was taken over, not left to its 5-minute lease. */
    long done = 0;
    deadline = stack_now() + 10;
    while ((done = team_jobs(team, "done")) < BATCH && stack_now() < deadline)
        stack_sleep(0.1);
    cr_assert_eq(done, BATCH, "%ld of %d e-mail jobs are done (%ld still running)", done, BATCH,
                 team_jobs(team, "running"));
    cr_assert(jobs_is_runner(now), "the restarted runner died");
}
