/* POST /api/v1/teams/{team}/letters with an Idempotency-Key, safe to call from any thread (it
 * never fails the test), and a background stream of such posts for fault tests. */
#ifndef PLI_TEST_LETTER_POST_H
#define PLI_TEST_LETTER_POST_H

#include <stdbool.h>

#define LETTER_POST_KEY_MAX 48

/* One request and what came back. */
struct letter_post {
    char key[LETTER_POST_KEY_MAX]; /* the Idempotency-Key; the subject is "fault <key>" */
    char body[512];                /* the JSON body, kept for the retry */
    long status;                   /* 0 when no answer came */
    char error[128];               /* curl's error when no (whole) answer came */
    char id[64];                   /* the letter id of a 201 */
    char content_type[96];
    char code[64]; /* the problem "code", "" when none */
    bool replayed; /* Idempotent-Replayed: true */
};

/* Fills key (random) and body: an lre letter to one e-mail recipient, subject "fault <key>". */
void letter_post_prepare(struct letter_post *p);
/* Sends p with session (a pli_session cookie value) and fills its answer fields. */
void letter_post_send(const char *session, const char *team, struct letter_post *p,
                      double timeout_seconds);

struct letter_load;

/* Starts `threads` threads posting fresh letters back to back (pausing 20 ms after an answer
 * other than 201) until letter_load_stop, at most per_thread each and max_seconds in all. */
struct letter_load *letter_load_start(const char *session, const char *team, int threads,
                                      int per_thread, double max_seconds);
/* Stops the threads; *out receives every post made (caller frees), the count is returned. */
int letter_load_stop(struct letter_load *l, struct letter_post **out);

#endif
