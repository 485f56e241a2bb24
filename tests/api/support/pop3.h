/* Accounts and messages of the stack's POP3 server: Debian's dovecot on 127.0.0.1, serving the
 * Maildirs PLI_TEST_POP3_DIR/mail/USER of the accounts in PLI_TEST_POP3_DIR/passwd (added by
 * scripts/lib/pop3-account, found through PLI_TEST_POP3_ACCOUNT). Plain USER/PASS or STLS on
 * PLI_TEST_POP3_PORT, implicit TLS on PLI_TEST_POP3S_PORT, certificate PLI_TEST_POP3_CA_FILE.
 * UIDLs are stable across sessions. The helpers fail the test (Criterion) when the stack's
 * POP3 server is not there. */
#ifndef PLI_TEST_POP3_H
#define PLI_TEST_POP3_H

#include <stddef.h>

/* One account of the POP3 server. */
struct p3_account {
    char user[64];
    char password[64];
    char maildir[1024]; /* PLI_TEST_POP3_DIR/mail/<user>, with cur, new and tmp */
};

/* The host to give a mailbox: "127.0.0.1". */
const char *p3_host(void);
/* The port for a mailbox's tls mode: PLI_TEST_POP3S_PORT for "implicit", PLI_TEST_POP3_PORT
 * for "none" and "starttls". */
int p3_port(const char *tls);
/* The server's self-signed certificate (PEM), to trust: PLI_TEST_POP3_CA_FILE. */
const char *p3_ca_file(void);

/* Creates an account with a unique user name ("p3" and random hex) and its empty Maildir;
 * password NULL gives a random one (letters and digits). The account works at once. */
void p3_account_new(struct p3_account *a, const char *password);
/* Gives the account a new password (a wrong one for the mailbox, say); works at once. */
void p3_account_set_password(struct p3_account *a, const char *password);

/* Room for the file name of a dropped message. */
#define P3_NAME_MAX 128

/* Delivers a raw RFC 5322 message (bytes as given, CRLF or LF) into the account's Maildir/new
 * under a unique file name (written in tmp/, then moved), copied into name (P3_NAME_MAX).
 * Messages that the server has not seen yet get their UIDs in the order they were dropped. */
void p3_drop(const struct p3_account *a, const void *data, size_t len, char *name, size_t size);
/* Same as p3_drop for a NUL-terminated message. */
void p3_drop_text(const struct p3_account *a, const char *message, char *name, size_t size);

/* How many messages the server holds for the account now: the files in new/ and cur/. */
int p3_count(const struct p3_account *a);
/* Waits up to timeout_ms until the account holds exactly `expected` messages (after a poll
 * that deletes them, say); returns the last count. */
int p3_wait_count(const struct p3_account *a, int expected, int timeout_ms);
/* True when the message dropped under `name` is still on the server (in new/ or in cur/,
 * where dovecot moves it with ":2,<flags>" appended once a session has seen it). */
int p3_has(const struct p3_account *a, const char *name);
/* The bytes of the message dropped under `name` (new/ or cur/), NUL-terminated, to free;
 * *len (when not NULL) receives their number. NULL when the server no longer has it. */
char *p3_read(const struct p3_account *a, const char *name, size_t *len);

#endif
