/* Traffic for fault tests: a background stream of GETs on threads, and a parallel batch. */
#ifndef PLI_TEST_LOAD_H
#define PLI_TEST_LOAD_H

#include <stdbool.h>

/* What a background stream saw. */
struct load_result {
    long answered;        /* requests that got an HTTP answer */
    long ok;              /* 200 */
    long bad_gateway;     /* 502 */
    long bad_gateway_raw; /* 502 that is not a problem+json with code upstream_unavailable */
    long other;           /* any other status, or no answer at all */
    long first_other;     /* the first such status (0: no answer) */
    char first_other_body[256];
};

struct load;

/* Starts `threads` threads sending GET path back to back until load_stop, or for at most
 * max_seconds (a safety bound). */
struct load *load_start(const char *path, int threads, double max_seconds);
/* Stops the threads, fills out and frees the load. */
void load_stop(struct load *l, struct load_result *out);

/* One request of a batch. body may be NULL; a body is sent as application/json. */
struct batch_request {
    const char *method;
    const char *path;
    const char *body;
};

struct batch_reply {
    long status; /* 0 when no answer came */
    char content_type[96];
    char retry_after[32];
    char code[64]; /* the problem "code", "" when none */
};

/* Sends n requests with up to `parallel` in flight at once (curl multi), all within
 * timeout_seconds; out[i] answers requests[i]. */
void load_batch(const struct batch_request *requests, struct batch_reply *out, int n,
                int parallel, double timeout_seconds);
/* True when a reply is a problem+json with the given code. */
bool batch_reply_is_problem(const struct batch_reply *r, const char *code);

#endif
