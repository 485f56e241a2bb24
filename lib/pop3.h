/* A POP3 session with libcurl: one connection kept for the list (UIDL), the retrievals and the
 * deletions of a poll; deletions take effect when the session ends (QUIT). */
#ifndef PLI_POP3_H
#define PLI_POP3_H

#include <stdbool.h>
#include <stddef.h>

enum pop3_tls {
    POP3_TLS_NONE,     /* plain text: loopback only unless the operator allows it */
    POP3_TLS_STARTTLS, /* STLS upgrade, required */
    POP3_TLS_IMPLICIT, /* pop3s */
    POP3_TLS__MAX
};

struct pop3_server {
    const char *host;
    int port;
    enum pop3_tls tls;
    const char *username;
    const char *password;
    const char *ca_file; /* extra trusted certificates, or NULL */
};

/* One message on the server: its number in this session and its unique id. */
struct pop3_entry {
    long number;
    char uidl[72];
};

struct pop3_session;

/* Opens a session (nothing is sent until the first command). NULL when libcurl fails. */
struct pop3_session *pop3_open(const struct pop3_server *server);
/* Lists the messages with their unique ids (UIDL); *entries is malloc'd (free it). False with
 * the reason in error. */
bool pop3_list(struct pop3_session *s, struct pop3_entry **entries, size_t *n, char *error,
               size_t error_size);
/* Retrieves message number (RETR) into a malloc'd buffer of at most max bytes; a bigger message
 * is read to its end and dropped (the session goes on), *too_large set and false returned. */
bool pop3_retrieve(struct pop3_session *s, long number, size_t max, char **data, size_t *len,
                   bool *too_large, char *error, size_t error_size);
/* Marks message number for deletion (DELE). */
bool pop3_delete(struct pop3_session *s, long number, char *error, size_t error_size);
/* Ends the session (QUIT, which makes the deletions final) and frees it. */
void pop3_close(struct pop3_session *s);
/* Parses "none", "starttls" or "implicit"; false otherwise. */
bool pop3_tls_parse(const char *name, enum pop3_tls *out);

#endif
