/* Reading an archived e-mail with GMime: headers decoded (RFC 2047) and bodies converted to
 * UTF-8, the text body (or the text of the HTML part when there is no plain one), attachments
 * and forwarded messages. */
#ifndef PLI_MIME_MESSAGE_H
#define PLI_MIME_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"

/* The most attachments, addresses and references kept of one message. */
#define MIME_ATTACHMENTS_MAX 100
#define MIME_ADDRESSES_MAX 200
#define MIME_REFERENCES_MAX 50

struct mime_attachment {
    const char *filename;     /* UTF-8; a name made up when the part has none */
    const char *content_type; /* type/subtype, lower-case */
    const unsigned char *data; /* decoded content */
    size_t len;
    bool forwarded; /* a message/rfc822 part: data is the whole forwarded message */
};

struct mime_address {
    const char *address; /* lower-cased addr-spec */
    const char *name;    /* display name, or NULL */
};

struct mime_message {
    const char *subject; /* NULL when absent; every text is UTF-8 */
    struct mime_address from;
    struct mime_address to[MIME_ADDRESSES_MAX];
    size_t n_to;
    struct mime_address cc[MIME_ADDRESSES_MAX];
    size_t n_cc;
    const char *date;        /* RFC 3339 in UTC, or NULL */
    const char *message_id;  /* without angle brackets, or NULL */
    const char *in_reply_to; /* the first id of In-Reply-To, or NULL */
    const char *references[MIME_REFERENCES_MAX];
    size_t n_references;
    const char *text; /* the text body, "" when there is none */
    bool text_from_html;
    struct mime_attachment attachments[MIME_ATTACHMENTS_MAX];
    size_t n_attachments;
};

/* Starts GMime once for the process. */
void mime_message_init(void);
/* Reads raw message bytes into out, everything copied into arena. False, with the reason in
 * error, when the bytes are not a message at all (no header can be read). */
bool mime_message_parse(const char *raw, size_t len, struct arena *arena, struct mime_message *out,
                        char *error, size_t error_size);

#endif
