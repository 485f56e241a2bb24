/* Reading what the stack's SMTP server received (a Maildir under PLI_TEST_MAILDIR). */
#ifndef PLI_TEST_MAILDIR_H
#define PLI_TEST_MAILDIR_H

#include <stddef.h>

/* Waits up to timeout_ms for messages to `to` and returns how many there are. */
int maildir_count_for(const char *to, int timeout_ms, int expected);
/* Waits up to timeout_ms for the newest message to `to` whose decoded text contains `needle`
 * (NULL: any); returns its decoded text parts (quoted-printable undone), to free, or NULL. */
char *maildir_wait_for(const char *to, const char *needle, int timeout_ms);
/* The raw message (headers and body) most recently delivered to `to`, to free, or NULL. */
char *maildir_raw_for(const char *to);
/* Finds "<marker><token>" in text and copies the token (base64url characters) into out. */
int maildir_extract_token(const char *text, const char *marker, char *out, size_t size);

#endif
