/* Outbound HTTPS with libcurl for talking to providers (the postal carrier) and to the endpoints
 * integrators choose (webhooks): https only, no redirects, bounded time and answer size, and on
 * request a guard that refuses, at connect time, any address that is not public. */
#ifndef PLI_HTTP_CLIENT_H
#define PLI_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

/* The largest answer kept; a longer one fails the call. */
#define HTTP_RESPONSE_MAX (16L * 1024 * 1024)
#define HTTP_TIMEOUT_SECONDS 60

struct http_call {
    const char *method;          /* "GET" or "POST" */
    const char *url;             /* https:// only */
    const char *bearer;          /* Authorization: Bearer, or NULL */
    const char *idempotency_key; /* Idempotency-Key header, or NULL */
    const char *ca_file;         /* extra trusted certificate(s), or NULL for the system's */
    const char *body;            /* JSON, or NULL */
    size_t body_len;
    const char *const *headers;  /* more header lines ("Name: value"), NULL-terminated, or NULL */
    long timeout_seconds;        /* the whole call; 0: HTTP_TIMEOUT_SECONDS */
    size_t response_max;         /* the largest answer read (a longer one fails the call);
                                  * 0: HTTP_RESPONSE_MAX */
    bool public_only;            /* connect to public addresses only (net_address.h), no proxy */
    bool allow_loopback;         /* with public_only: loopback as well (test mode) */
};

struct http_answer {
    long status;     /* 0 when no answer came */
    char *body;      /* NUL-terminated, malloc'ed; free with http_answer_free */
    size_t body_len;
    char error[256]; /* why the call failed, when status is 0 */
    long duration_ms; /* from the start of the call to its end */
};

/* Makes one call; false when no HTTP answer came (network, TLS, timeout, too large). */
bool http_call(const struct http_call *call, struct http_answer *answer);
/* Releases an answer's body. */
void http_answer_free(struct http_answer *answer);

#endif
