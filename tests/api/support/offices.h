/* Shared steps of the office tests: an office with its administrator and members, client
 * groups, matters, e-mail settings, client users welcomed by the real e-mail, and the automatic
 * e-mails (notifications) the office receives. */
#ifndef PLI_TEST_OFFICES_H
#define PLI_TEST_OFFICES_H

#include "support/client.h"
#include "support/teams.h"

#define OF_NAME_MAX 200
#define OF_MAIL_WAIT_MS 15000
/* How long a test waits before concluding that an e-mail is not coming. */
#define OF_NO_MAIL_WAIT_MS 2500

/* An office (a team of kind "office") and its administrator, who holds every permission. */
struct of_office {
    struct teams_user admin;
    char id[TEAMS_ID_MAX];
    char name[OF_NAME_MAX];
};

/* A client user of a matter: the row's id, the account and, once signed in, its session. */
struct of_client {
    struct client c;
    char email[128];
    char id[TEAMS_ID_MAX];
    char user_id[TEAMS_ID_MAX];
};

/* The system sender (PLI_MAIL_FROM, else pli's default): Sender of e-mails sent on an office's
 * behalf, From of the automatic ones. */
const char *of_system_address(void);
/* Signs up an administrator who creates an office with this name. */
void of_office(struct of_office *o, const char *name);
/* Signs up a user with these names, invites them with role_id (NULL: the member role) and has
 * them accept through the link of the real e-mail; fills m. */
void of_member(struct of_office *o, const char *first, const char *last, const char *role_id,
               struct teams_user *m);
/* The member leaves the office by themselves (DELETE .../members/{self}). */
void of_leave(const struct of_office *o, struct teams_user *m);
/* Creates a client group (email NULL: none) and fills id; fails unless 201. */
void of_client_group(struct of_office *o, const char *name, const char *email,
                     char id[TEAMS_ID_MAX]);
/* Creates a matter named "Dossier <reference>" (manager / group NULL: none) and fills id;
 * fails unless 201. */
void of_matter(struct of_office *o, const char *reference, const char *manager, const char *group,
               char id[TEAMS_ID_MAX]);
/* PUT .../email-settings with this body (stolen) as the administrator. */
struct reply *of_put_settings(struct of_office *o, json_t *body);
/* Sets the office's functional and communication e-mails (NULL: none), every type of
 * automatic e-mail on the standard routing; fails unless 200. */
void of_addresses(struct of_office *o, const char *functional, const char *communication);
/* Routes one type of automatic e-mail to the chosen members (recipients: a JSON array of user
 * ids, stolen), the other types on standard, keeping the two addresses given; fails unless 200. */
void of_route_custom(struct of_office *o, const char *type, json_t *recipients,
                     const char *functional, const char *communication);
/* GET .../matters/{matter}/sender as the administrator. */
struct reply *of_sender(struct of_office *o, const char *matter);
/* POST .../matters/{matter}/client-users as c. */
struct reply *of_create_client_user(struct client *c, const char *office, const char *matter,
                                    const char *email, const char *first, const char *last);
/* Creates a client user named Jeanne Petit with the administrator; fails unless 201 with this
 * status ("invited" or "active"); fills cu's email (a new address when cu->email is empty),
 * id and user_id. */
void of_add_client_user(struct of_office *o, const char *matter, const char *status,
                        struct of_client *cu);
/* One e-mail as the SMTP server stored it (raw: read its headers there) and its text with
 * quoted-printable undone (read the body there; maildir.c's decoding can join a header line
 * ending in "=" to the next one). */
struct of_mail {
    char *raw;
    char *text;
};

/* Frees both parts of an e-mail. */
void of_mail_free(struct of_mail *m);
/* Waits for that version of the welcome e-mail of this client user (by its Message-ID,
 * welcome-<id>-v<version>: 1, then one more each time a lapsed welcome is sent again); fails
 * the test when it does not come. */
void of_wait_welcome(const struct of_client *cu, int version, struct of_mail *m);
/* The token of the welcome link (<public URL>/welcome/<token>) in a welcome e-mail's text. */
void of_welcome_token(const char *text, char token[TEAMS_TOKEN_MAX]);
/* Follows the link of the first welcome e-mail of an invited client user and sets a password:
 * cu->c is then signed in as that client user. */
void of_welcome_sign_in(struct of_client *cu);
/* Creates an invited client user and signs them in through the welcome link. */
void of_signed_in_client(struct of_office *o, const char *matter, struct of_client *cu);
/* The value of a header of a raw message (continuation lines unfolded), copied into out;
 * with decode, RFC 2047 "B" encoded words are decoded to UTF-8. Returns 0 when absent. */
int of_header(const char *text, const char *name, int decode, char *out, size_t size);
/* Asserts that a raw message has this header with this value (decoded: see of_header). */
void of_expect_header(const char *text, const char *name, int decode, const char *expected);
/* Waits for the notification whose subject contains fragment to be recorded for `to`, then for
 * its e-mail to `to`; checks that the decoded Subject is "[<office>] ..." and holds fragment.
 * Fails the test when either does not come. */
void of_wait_notification(const struct of_office *o, const char *to, const char *fragment,
                          struct of_mail *m);
/* Whether an automatic e-mail (Message-ID notification-...) reached `to` within
 * OF_NO_MAIL_WAIT_MS. */
int of_got_notification(const char *to);
/* How many notifications of this type the office recorded. */
long of_notification_count(const struct of_office *o, const char *type);
/* Asserts the office's latest notification of a type: its rule and exactly these recipients
 * (a NULL-terminated list of addresses, in any order). */
void of_assert_notification(const struct of_office *o, const char *type, const char *rule,
                            const char *const *recipients);

#endif
