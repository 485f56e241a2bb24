/* Sending e-mail over SMTP with libcurl: a plain-text part and an HTML alternative. */
#ifndef PLI_MAIL_H
#define PLI_MAIL_H

#include <stdbool.h>
#include <stddef.h>

struct mail_server {
    const char *url;      /* smtp://host:port (STARTTLS when starttls) or smtps://host:port */
    const char *username; /* NULL: no authentication */
    const char *password;
    bool starttls;
    const char *ca_file;  /* extra trusted certificates, or NULL */
};

struct mail_attachment {
    const char *filename;     /* ASCII */
    const char *content_type; /* e.g. application/pdf */
    const void *data;
    size_t len;
};

struct mail_message {
    const char *from_address;
    const char *from_name;
    const char *sender_address; /* the envelope sender and Sender: header; NULL: from_address */
    const char *to;
    const char *cc;             /* one address in copy, or NULL */
    const char *subject;    /* UTF-8; encoded per RFC 2047 */
    const char *message_id; /* without angle brackets; stable across retries */
    const char *text;       /* UTF-8 */
    const char *html;       /* UTF-8, or NULL for a text-only message */
    const struct mail_attachment *attachment; /* one file sent with the text, or NULL */
};

/* How a sending attempt ended. */
enum mail_result {
    MAIL_SENT,
    MAIL_TEMPORARY, /* no answer or a 4xx: worth trying again later */
    MAIL_REJECTED,  /* a 5xx answer: the server refuses this message for good */
    MAIL_RESULT__MAX
};

/* Sends one message; on failure error holds the reason (the server's answer when there is one).
 * A header value with a line break or an address that is not a plain addr-spec is refused
 * (MAIL_REJECTED) before anything is sent. */
enum mail_result mail_send(const struct mail_server *server, const struct mail_message *msg, char *error,
               size_t error_size);
/* Writes an RFC 2047 encoded-word form of UTF-8 text into out (plain when it is ASCII). */
void mail_encode_header(const char *text, char *out, size_t size);
/* Writes a display name for From/To: as is when it is plain ASCII words, as an RFC 5322
 * quoted-string when it holds specials, as RFC 2047 encoded words when it is not ASCII. */
void mail_encode_display_name(const char *name, char *out, size_t size);
/* Escapes &, <, >, " and ' for HTML; the result is written into out (truncated to size). */
void mail_html_escape(const char *text, char *out, size_t size);

#endif
