/* Standard Webhooks v1 signatures: HMAC-SHA256 over "id.timestamp.body" with a "whsec_" secret.
 *
 * A signature header holds one or more space-separated "v1,<base64>" entries (several during a
 * secret rotation); a message is authentic when any of them matches. The timestamp (Unix seconds)
 * must lie within WEBHOOK_TOLERANCE_SECONDS of now, so that a captured request cannot be replayed
 * later; replays inside the window are stopped by de-duplicating the webhook id. */
#ifndef PLI_WEBHOOK_SIGNATURE_H
#define PLI_WEBHOOK_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define WEBHOOK_TOLERANCE_SECONDS 300
/* Longest secret accepted, in bytes once decoded. */
#define WEBHOOK_SECRET_MAX 64
/* "v1," and the base64 of 32 bytes, with the NUL. */
#define WEBHOOK_SIGNATURE_MAX 48
/* Random bytes of the secrets pli makes for its own endpoints. */
#define WEBHOOK_SECRET_BYTES 32
/* "whsec_", the base64 of WEBHOOK_SECRET_BYTES, and the NUL. */
#define WEBHOOK_SECRET_TEXT_MAX 51
/* Most signature entries looked at in one header. */
#define WEBHOOK_SIGNATURES_MAX 8

enum webhook_check {
    WEBHOOK_OK,
    WEBHOOK_MALFORMED,     /* missing or unparsable id, timestamp or signature header */
    WEBHOOK_STALE,         /* timestamp further than the tolerance from now */
    WEBHOOK_BAD_SIGNATURE, /* no entry matches */
    WEBHOOK_CHECK__MAX
};

struct webhook_secret {
    unsigned char key[WEBHOOK_SECRET_MAX];
    size_t len;
};

/* Parses "whsec_<base64>" (the prefix is optional); false when it is not valid base64 or is
 * empty or longer than WEBHOOK_SECRET_MAX bytes. */
bool webhook_secret_parse(const char *text, struct webhook_secret *secret);
/* Writes a new secret, "whsec_" and the base64 of WEBHOOK_SECRET_BYTES random bytes, into out. */
void webhook_secret_generate(char out[WEBHOOK_SECRET_TEXT_MAX]);
/* Writes "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>" into out. id and timestamp are
 * NUL-terminated; body is body_len bytes (NULs included, NULL when body_len is 0). */
void webhook_sign(const struct webhook_secret *secret, const char *id, const char *timestamp,
                  const char *body, size_t body_len, char out[WEBHOOK_SIGNATURE_MAX]);
/* Checks a received message: the timestamp against now, then every "v1," entry of the
 * signature header in constant time. MALFORMED when the id is empty, longer than 256 bytes or
 * holds whitespace or control characters, when the timestamp is not 1 to 19 ASCII digits, or
 * when none of the first WEBHOOK_SIGNATURES_MAX space-separated entries reads as
 * "version,value" (a "v1" value must be the base64 of 32 bytes); entries of other versions are
 * skipped. Then STALE, then BAD_SIGNATURE (also for a NULL or empty secret). */
enum webhook_check webhook_verify(const struct webhook_secret *secret, const char *id,
                                  const char *timestamp, const char *body, size_t body_len,
                                  const char *signature_header, time_t now);

#endif
