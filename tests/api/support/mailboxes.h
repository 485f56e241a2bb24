/* Shared steps of the archive-mailbox tests (the Communicator): mailboxes on accounts of the
 * stack's POP3 server (support/pop3.h) whose SMTP settings are the stack's SMTP server, polls
 * asked for and awaited until their job is over, and the messages listed, fetched and
 * changed. Every name starts with mb_. */
#ifndef PLI_TEST_MAILBOXES_H
#define PLI_TEST_MAILBOXES_H

#include <jansson.h>

#include "support/client.h"
#include "support/pop3.h"
#include "support/teams.h"

/* How long a poll, or the PDF of a message, is awaited (milliseconds): one pli-jobs runner
 * serves every test at once. */
#define MB_WAIT_MS 120000
#define MB_ADDRESS_MAX 128

/* A mailbox of a team and the POP3 account it empties. */
struct mb_box {
    char team[TEAMS_ID_MAX];
    char id[TEAMS_ID_MAX];
    char address[MB_ADDRESS_MAX]; /* its address */
    char primary[MB_ADDRESS_MAX]; /* its primary address: what it sends is in "sent" */
    struct p3_account pop3;
};

/* The port of the stack's SMTP server (PLI_SMTP_PORT). */
int mb_smtp_port(void);
/* A creation body for owner: address and primary address, active, leave_on_server, POP3 on
 * account a of the stack's server in this tls mode ("none", "starttls", "implicit") with its
 * password, SMTP the stack's server without TLS nor authentication. Caller owns it. */
json_t *mb_body(const char *owner, const char *address, const char *primary,
                const struct p3_account *a, const char *tls, int leave_on_server);
/* POST .../mailboxes with body (stolen) as c. */
struct reply *mb_create(struct client *c, const char *team, json_t *body);
/* Creates a POP3 account and, as c, a mailbox on it for owner with these addresses (tls mode
 * as in mb_body); fails unless 201. Fills box. */
void mb_new_at(struct client *c, const char *team, const char *owner, const char *address,
               const char *primary, const char *tls, int leave_on_server, struct mb_box *box);
/* The same with fresh addresses. */
void mb_new(struct client *c, const char *team, const char *owner, const char *tls,
            int leave_on_server, struct mb_box *box);
/* The path of the mailbox plus suffix ("", "/poll", "/messages/<id>"...): a tpath buffer. */
const char *mb_path(const struct mb_box *b, const char *suffix);
/* PATCH of the mailbox with body (stolen) as c. */
struct reply *mb_patch(struct client *c, const struct mb_box *b, json_t *body);
/* PUT (put) or DELETE .../grants/{user} as c; returns the reply. */
struct reply *mb_grant(struct client *c, const struct mb_box *b, const char *user, int put);

/* Asks for a poll as c (asserts 202 {queued: true}) and waits until no poll of the mailbox is
 * due or running any more: the one asked for is over (done, or put off after an error). */
void mb_poll_once(struct client *c, const struct mb_box *b);
/* Polls (mb_poll_once) until the mailbox archived at least `expected` messages; fails after
 * MB_WAIT_MS with the last error of its polls. Returns the number archived. */
long mb_poll_until(struct client *c, const struct mb_box *b, long expected);
/* The number of messages the database holds for the mailbox. */
long mb_count(const struct mb_box *b);
/* The mailbox's last_poll_error in the database, into out ("" when none). */
const char *mb_poll_error(const struct mb_box *b, char *out, size_t size);

/* Drops into the mailbox's POP3 account a small UTF-8 text message with these headers
 * (in_reply_to and cc NULL: none; message_id without <>) and body. */
void mb_drop_mail(const struct mb_box *b, const char *from, const char *cc, const char *subject,
                  const char *message_id, const char *in_reply_to, const char *body);
/* Drops a committed corpus file (tests/fixtures/mail/<name>) into the account. */
void mb_drop_fixture(const struct mb_box *b, const char *name);

/* GET .../messages?<query> (query NULL: none) as c; asserts 200 and returns the reply. */
struct reply *mb_list(struct client *c, const struct mb_box *b, const char *query);
/* The item of a list reply whose message_id is this one (borrowed), or NULL. */
json_t *mb_item(const struct reply *list, const char *message_id);
/* The id of the mailbox's message with this Message-ID, from the database; fails when there
 * is not exactly one. */
const char *mb_message_id(const struct mb_box *b, const char *message_id, char out[TEAMS_ID_MAX]);
/* GET .../messages/{message} as c with this Accept header (NULL: JSON). */
struct reply *mb_get(struct client *c, const struct mb_box *b, const char *message,
                     const char *accept);
/* PATCH .../messages/{message} with body (stolen) as c. */
struct reply *mb_patch_message(struct client *c, const struct mb_box *b, const char *message,
                               json_t *body);
/* Waits until the message's JSON says pdf: true, then fetches the PDF; asserts 200
 * application/pdf and returns the reply. */
struct reply *mb_wait_pdf(struct client *c, const struct mb_box *b, const char *message);

#endif
