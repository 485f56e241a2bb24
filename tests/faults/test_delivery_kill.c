/* pli-jobs killed with SIGKILL while it carries out a registered letter to many recipients,
 * then started again: every delivery still reaches `notified`, each with exactly one deposit
 * and one notification proof, chained; repeated notification e-mails are the same message. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/jobs_proc.h"
#include "support/letters.h"
#include "support/mail_ids.h"
#include "support/stack.h"
#include "support/testdb.h"

#define RECIPIENTS 30
#define MAIL_WAIT_MS 60000

/* How many of the letter's deliveries are in that status. */
static long deliveries_in(const char *letter, const char *status)
{
    const char *params[] = {letter, status};
    return testdb_long("SELECT count(*) FROM deliveries WHERE letter_id = $1 AND status = $2", 2,
                       params);
}

/* Sends an lre to RECIPIENTS fresh addresses; fills emails and letter. */
static void send_letter(struct lt_user *admin, const char *team, char emails[][128],
                        char letter[LT_ID_MAX])
{
    json_t *recipients = json_array();
    for (int i = 0; i < RECIPIENTS; i++) {
        client_unique_email(emails[i], sizeof(emails[i]), "killed-dispatch");
        json_array_append_new(recipients, lt_email_recipient("Durand", emails[i]));
    }
    struct reply *r = lt_create(&admin->c, team,
                                json_pack("{s:s, s:s, s:s, s:o}", "kind", "lre", "subject",
                                          "Relance", "body", "Madame, Monsieur,", "recipients",
                                          recipients),
                                NULL);
    cr_assert_eq(r->status, 201, "%ld %s", r->status, r->body);
    snprintf(letter, LT_ID_MAX, "%s", lt_str(r->json, "id"));
    reply_free(r);
    lt_reauth(&admin->c);
    r = lt_action(&admin->c, team, letter, "submit");
    cr_assert_eq(r->status, 200, "submit: %ld %s", r->status, r->body);
    reply_free(r);
}

Test(delivery_kill, deliveries_survive_a_killed_runner, .timeout = 150,
     .fini = jobs_runner_ensure)
{
    struct lt_user admin;
    char team[LT_ID_MAX], letter[LT_ID_MAX];
    lt_admin(&admin, team);
    lt_payment_method(&admin.c, team);
    pid_t old = jobs_runner_pid();
    static char emails[RECIPIENTS][128];
    send_letter(&admin, team, emails, letter);

    /* Killed once the first recipient is notified, while the others are on their way. */
    double deadline = stack_now() + 20;
    while (deliveries_in(letter, "notified") == 0 && stack_now() < deadline)
        stack_sleep(0.005);
    cr_assert_eq(kill(old, SIGKILL), 0);
    long notified_before = deliveries_in(letter, "notified");
    jobs_control("start");

    deadline = stack_now() + MAIL_WAIT_MS / 1000;
    while (deliveries_in(letter, "notified") < RECIPIENTS && stack_now() < deadline)
        stack_sleep(0.2);
    cr_log_info("killed with %ld of %d notified", notified_before, RECIPIENTS);
    cr_assert_eq(deliveries_in(letter, "notified"), RECIPIENTS,
                 "%ld of %d deliveries notified after the restart",
                 deliveries_in(letter, "notified"), RECIPIENTS);

    const char *params[] = {letter};
    cr_assert_eq(testdb_long("SELECT count(*) FROM proofs WHERE letter_id = $1", 1, params),
                 2 * RECIPIENTS, "each delivery has exactly a deposit and a notification proof");
    cr_assert_eq(testdb_long("SELECT count(*) FROM proofs n JOIN proofs d "
                             "ON d.delivery_id = n.delivery_id AND d.seq = 1 "
                             "WHERE n.letter_id = $1 AND n.seq = 2 AND n.type = 'notification' "
                             "AND d.type = 'deposit' AND n.previous_sha256 = d.sha256",
                             1, params),
                 RECIPIENTS, "every notification proof follows its deposit proof");

    static struct mail_ids mails[RECIPIENTS];
    for (int i = 0; i < RECIPIENTS; i++)
        mails[i].to = emails[i];
    cr_assert_eq(mail_ids_wait(mails, RECIPIENTS, MAIL_WAIT_MS), 0, "a recipient got no e-mail");
    for (int i = 0; i < RECIPIENTS; i++) {
        int shown = mails[i].count < MAIL_IDS_PER_ADDRESS ? mails[i].count : MAIL_IDS_PER_ADDRESS;
        for (int k = 1; k < shown; k++)
            cr_assert_str_eq(mails[i].ids[k], mails[i].ids[0],
                             "copies to %s differ: <%s> and <%s>", emails[i], mails[i].ids[0],
                             mails[i].ids[k]);
    }
}
