/* pli-jobs and the archive mailboxes, with the runner killed or restarted: killed with SIGKILL
 * in the middle of a poll of many messages, then started again, it archives every message
 * exactly once (one PDF job each) and, for a mailbox that does not leave messages on the
 * server, deletes nothing before it is archived. Restarted with a small
 * PLI_POP3_MESSAGE_MAX_BYTES, it records a bigger message without its bytes, leaves it on the
 * server and never takes it twice; with a small PLI_POP3_BATCH, one poll asked for takes a
 * batch per run and queues the rest at once. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/jobs_proc.h"
#include "support/mailboxes.h"
#include "support/stack.h"
#include "support/teams.h"
#include "support/testdb.h"

#define MESSAGES 300

/* Drops MESSAGES small messages, Message-IDs kill-000@client.example and on. */
static void drop_many(const struct mb_box *b)
{
    for (int i = 0; i < MESSAGES; i++)
        mb_drop_mail(b, "Client <client@client.example>", NULL, tpath("Pièce %03d", i),
                     tpath("kill-%03d@client.example", i), NULL,
                     "Veuillez trouver la pièce suivante du dossier.");
}

/* Queries on the mailbox's messages ($1 the mailbox id). */
static long box_long(const struct mb_box *b, const char *sql)
{
    const char *params[] = {b->id};
    return testdb_long(sql, 1, params);
}

Test(mailbox_kill, a_killed_poll_loses_and_duplicates_nothing, .timeout = 400,
     .fini = jobs_runner_ensure)
{
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    teams_admin(&admin, team);
    struct mb_box box;
    mb_new(&admin.c, team, admin.id, "none", 0, &box);
    drop_many(&box);
    pid_t old = jobs_runner_pid();

    /* Killed once the poll has archived a few, while the others are on their way. */
    struct reply *r = client_send(&admin.c, "POST", mb_path(&box, "/poll"), NULL, NULL);
    cr_assert_eq(r->status, 202, "%s", r->body);
    reply_free(r);
    double deadline = stack_now() + 60;
    while (mb_count(&box) < 10 && stack_now() < deadline)
        stack_sleep(0.005);
    cr_assert_eq(kill(old, SIGKILL), 0);
    long archived_before = mb_count(&box);
    cr_log_info("killed with %ld of %d archived", archived_before, MESSAGES);
    cr_assert_geq(archived_before, 10, "the poll did not start in 60 s");
    cr_assert_lt(archived_before, MESSAGES, "the poll was over before the kill");
    while (stack_process_alive(old))
        stack_sleep(0.01);
    /* Deletions become final at QUIT only: the killed session deleted nothing. */
    cr_assert_eq(p3_count(&box.pop3), MESSAGES, "messages left the server with the killed poll");
    jobs_control("start");

    cr_assert_eq(mb_poll_until(&admin.c, &box, MESSAGES), MESSAGES);
    cr_assert_eq(p3_wait_count(&box.pop3, 0, 30000), 0, "archived messages left on the server");
    mb_poll_once(&admin.c, &box);
    cr_assert_eq(mb_count(&box), MESSAGES, "archived twice");
    cr_assert_eq(box_long(&box, "SELECT count(DISTINCT uidl) FROM messages WHERE mailbox_id = $1"),
                 MESSAGES);
    cr_assert_eq(box_long(&box, "SELECT count(DISTINCT message_id) FROM messages "
                                "WHERE mailbox_id = $1 AND message_id ~ '^kill-[0-9]{3}@client"
                                "\\.example$' AND raw_sha256 IS NOT NULL "
                                "AND subject = 'Pièce ' || substr(message_id, 6, 3)"),
                 MESSAGES, "every message, whole and read");
    cr_assert_eq(box_long(&box, "SELECT count(*) FROM jobs j JOIN messages g "
                                "ON g.id::text = j.payload ->> 'message_id' "
                                "WHERE j.kind = 'message_pdf' AND g.mailbox_id = $1"),
                 MESSAGES, "one PDF job per message");

    deadline = stack_now() + MB_WAIT_MS / 1000.0;
    const char *pdfs = "SELECT count(*) FROM messages WHERE mailbox_id = $1 "
                       "AND pdf_sha256 IS NOT NULL";
    while (box_long(&box, pdfs) < MESSAGES && stack_now() < deadline)
        stack_sleep(0.5);
    cr_assert_eq(box_long(&box, pdfs), MESSAGES, "PDFs missing after the restart");
}

/* Restarts the stack's runner with these settings in its environment. */
static void restart_runner(const char *name, const char *value)
{
    setenv(name, value, 1);
    jobs_control("stop");
    jobs_control("start");
}

/* Leaves the stack's runner running with the default settings. */
static void runner_with_defaults(void)
{
    unsetenv("PLI_POP3_MESSAGE_MAX_BYTES");
    unsetenv("PLI_POP3_BATCH");
    jobs_control("stop");
    jobs_control("start");
}

/* A text message of about `bytes` bytes. */
static char *big_message(const struct mb_box *b, size_t bytes)
{
    static const char line[] = "Ligne de texte d'un très gros message, répétée pour grossir.\r\n";
    size_t cap = bytes + 1024;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    int w = snprintf(text, cap,
                     "From: client@client.example\r\nTo: %s\r\nSubject: Gros envoi\r\n"
                     "Message-ID: <big-1@client.example>\r\n"
                     "Content-Type: text/plain; charset=UTF-8\r\n\r\n",
                     b->address);
    cr_assert(w > 0 && (size_t)w < cap, "headers too long");
    size_t n = (size_t)w;
    while (n < bytes) {
        cr_assert_lt(n + sizeof(line), cap);
        memcpy(text + n, line, sizeof(line)); /* with its NUL, overwritten by the next line */
        n += sizeof(line) - 1;
    }
    return text;
}

/* The size cap the two size tests run pli-jobs with. */
#define SIZE_CAP 65536

/* Restarts pli-jobs with the size cap and gives a new administrator a mailbox. */
static void capped_mailbox(struct teams_user *admin, struct mb_box *box)
{
    restart_runner("PLI_POP3_MESSAGE_MAX_BYTES", tpath("%d", SIZE_CAP));
    char team[TEAMS_ID_MAX];
    teams_admin(admin, team);
    mb_new(&admin->c, team, admin->id, "none", 0, box);
}

Test(mailbox_runner, a_message_over_the_size_cap_stays_on_the_server, .timeout = 300,
     .fini = runner_with_defaults)
{
    struct teams_user admin;
    struct mb_box box;
    capped_mailbox(&admin, &box);
    mb_drop_mail(&box, "client@client.example", NULL, "Avant", "small-1@client.example", NULL, "1");
    char *big = big_message(&box, 100 * 1024), name[P3_NAME_MAX];
    p3_drop_text(&box.pop3, big, name, sizeof(name));
    free(big);
    mb_drop_mail(&box, "client@client.example", NULL, "Après", "small-2@client.example", NULL, "2");

    cr_assert_eq(mb_poll_until(&admin.c, &box, 3), 3);
    int left = p3_wait_count(&box.pop3, 1, 10000);
    cr_assert(p3_has(&box.pop3, name), "the big message left the server");
    cr_assert_eq(box_long(&box, "SELECT count(*) FROM messages WHERE mailbox_id = $1 "
                                "AND raw_sha256 IS NOT NULL"),
                 2);
    cr_assert_eq(box_long(&box, "SELECT count(*) FROM messages WHERE mailbox_id = $1 "
                                "AND raw_sha256 IS NULL AND parse_error LIKE 'too large%'"),
                 1);
    char id[TEAMS_ID_MAX];
    testdb_text("SELECT id FROM messages WHERE mailbox_id = $1 AND raw_sha256 IS NULL", 1,
                (const char *[]){box.id}, id, sizeof(id));
    struct reply *r = mb_get(&admin.c, &box, id, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_false(json_object_get(r->json, "raw")), "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "parse_error"), "too large to archive: left on the server");
    reply_free(r);
    r = mb_get(&admin.c, &box, id, "message/rfc822");
    teams_assert_problem(r, 409, "message_not_kept");
    reply_free(r);

    /* Polled again: not taken twice, still on the server, alone there. */
    mb_poll_once(&admin.c, &box);
    cr_assert_eq(mb_count(&box), 3);
    cr_assert(p3_has(&box.pop3, name), "the big message left the server");
    cr_assert_eq(p3_wait_count(&box.pop3, 1, 10000), 1, "archived messages stay on the server");
    /* The poll that met the big message deleted every other one already. */
    cr_assert_eq(left, 1,
                 "%d messages stayed on the server after the poll that took the big one (only it "
                 "should): the deletion of the one archived before it was lost",
                 left);
}

/* A message of exactly `bytes` bytes (big_message, cut to size with its last line ended). */
static char *message_of(const struct mb_box *b, size_t bytes)
{
    char *text = big_message(b, bytes);
    memcpy(text + bytes - 2, "\r\n", 3);
    return text;
}

Test(mailbox_runner, a_message_of_the_size_cap_is_archived_one_byte_more_is_not, .timeout = 300,
     .fini = runner_with_defaults)
{
    struct teams_user admin;
    struct mb_box box;
    capped_mailbox(&admin, &box);
    char *at = message_of(&box, SIZE_CAP), *past = message_of(&box, SIZE_CAP + 1);
    char at_name[P3_NAME_MAX], past_name[P3_NAME_MAX];
    p3_drop_text(&box.pop3, at, at_name, sizeof(at_name));
    p3_drop_text(&box.pop3, past, past_name, sizeof(past_name));
    free(at);
    free(past);

    cr_assert_eq(mb_poll_until(&admin.c, &box, 2), 2);
    const char *params[] = {box.id, tpath("%d", SIZE_CAP)};
    cr_assert_eq(testdb_long("SELECT count(*) FROM messages g JOIN blobs b "
                             "ON b.sha256 = g.raw_sha256 WHERE g.mailbox_id = $1 "
                             "AND length(b.data) = $2::integer",
                             2, params),
                 1, "the message of exactly the cap was not archived whole");
    cr_assert_eq(box_long(&box, "SELECT count(*) FROM messages WHERE mailbox_id = $1 "
                                "AND raw_sha256 IS NULL AND parse_error LIKE 'too large%'"),
                 1, "the message one byte over the cap was not left aside");
    cr_assert(p3_has(&box.pop3, past_name), "the message over the cap left the server");
    cr_assert_eq(p3_wait_count(&box.pop3, 1, 10000), 1, "the archived one stayed on the server");
}

Test(mailbox_runner, a_batch_per_run_then_the_rest_at_once, .timeout = 300,
     .fini = runner_with_defaults)
{
    restart_runner("PLI_POP3_BATCH", "2");
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    teams_admin(&admin, team);
    struct mb_box box;
    mb_new(&admin.c, team, admin.id, "none", 0, &box);
    for (int i = 0; i < 5; i++)
        mb_drop_mail(&box, "client@client.example", NULL, tpath("Lot %d", i),
                     tpath("batch-%d@client.example", i), NULL, "Texte.");
    /* One request: runs of two follow one another until the server is empty. */
    mb_poll_once(&admin.c, &box);
    cr_assert_eq(mb_count(&box), 5);
    cr_assert_eq(p3_wait_count(&box.pop3, 0, 10000), 0);
    cr_assert_geq(box_long(&box, "SELECT count(*) FROM jobs WHERE kind = 'mailbox_poll' "
                                 "AND payload ->> 'mailbox_id' = $1 AND state = 'done'"),
                  3, "five messages two at a time take three runs");
    cr_assert_eq(box_long(&box, "SELECT count(DISTINCT uidl) FROM messages WHERE mailbox_id = $1"),
                 5);
}
