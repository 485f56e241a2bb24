/* A small HTTP client for API tests: talks to nginx like the web app does. */
#ifndef PLI_TEST_CLIENT_H
#define PLI_TEST_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CLIENT_TOKEN_MAX 256

/* One caller: a browser session (cookie + same Origin) or an integration (Bearer key). */
struct client {
    char session[CLIENT_TOKEN_MAX]; /* session cookie value, "" when signed out */
    char bearer[CLIENT_TOKEN_MAX];  /* API key, "" when none */
    bool send_origin;               /* browsers send Origin on unsafe requests */
    const char *base_url;           /* what paths are relative to; NULL: client_base_url() */
    const char *ca_file;            /* CA bundle trusted over https; NULL or "": libcurl's */
};

struct reply {
    long status;
    char *body;
    size_t body_len;
    char *headers; /* raw header block */
    json_t *json;  /* parsed body when it is JSON, else NULL */
};

/* The base URL of the stack under test (PLI_TEST_BASE_URL). */
const char *client_base_url(void);
/* A browser-like client with no session, talking to client_base_url(). */
void client_init(struct client *c);
/* Sends a request; body may be NULL. extra_headers is a NULL-terminated list or NULL.
 * A Set-Cookie of the session updates c->session. */
struct reply *client_send(struct client *c, const char *method, const char *path,
                          const char *body, const char *const *extra_headers);
/* Same with a body of len bytes (binary-safe: uploads). */
struct reply *client_send_bytes(struct client *c, const char *method, const char *path,
                                const void *body, size_t len, const char *const *extra_headers);
/* Same with a JSON body built by json_pack-style format (Content-Type: application/json). */
struct reply *client_json(struct client *c, const char *method, const char *path,
                          const char *fmt, ...);
/* The value of a response header (case-insensitive), copied; NULL when absent. */
char *reply_header(const struct reply *r, const char *name);
/* The "code" of a problem reply, or "" when the reply is not a problem. */
const char *reply_code(const struct reply *r);
/* Frees a reply. */
void reply_free(struct reply *r);
/* A fresh e-mail address no other test uses. */
void client_unique_email(char *out, size_t size, const char *prefix);
/* Signs up a new user with a unique e-mail; fills email (if not NULL) and returns the user id
 * (static storage per client call site: copy it). Fails the test on error. */
const char *client_signup(struct client *c, char *email, size_t email_size);

/* Signs in with an e-mail and a password (a session cookie on success). */
struct reply *client_login(struct client *c, const char *email, const char *password);
/* Creates an API key with c's session; copies its token and id (either may be NULL).
 * Fails the test on error. */
void client_create_api_key(struct client *c, const char *name, char *token, size_t token_size,
                           char *id, size_t id_size);
/* A string member of the JSON reply by dotted path ("user.email"); NULL when absent. */
const char *reply_string(const struct reply *r, const char *path);
/* Fails the test unless r is an application/problem+json answer with this status and code. */
void reply_expect_problem(const struct reply *r, long status, const char *code);

#define CLIENT_PASSWORD "correct horse battery"

#endif
