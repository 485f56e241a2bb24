/* The PDF archive of an e-mail: an A4 document in French (cairo + pango) with the headers, the
 * text body and the list of attachments. */
#ifndef PLI_MESSAGE_PDF_H
#define PLI_MESSAGE_PDF_H

#include <stdbool.h>
#include <stddef.h>

/* The most text of a body rendered, in bytes and in lines; the rest is left out with a note. */
#define MESSAGE_PDF_TEXT_MAX (1024u * 1024u)
#define MESSAGE_PDF_LINES_MAX 20000u
/* Header values (subject, addresses, attachment lines) longer than this are shortened. */
#define MESSAGE_PDF_HEADER_MAX 2000u

struct message_pdf_input {
    const char *subject;     /* or NULL */
    const char *from;        /* "Name <address>" or the address, or NULL */
    const char *to;          /* addresses joined with ", ", or NULL */
    const char *cc;          /* or NULL */
    const char *sent_at;     /* RFC 3339, or NULL */
    const char *received_at; /* RFC 3339: the PDF's own date */
    const char *folder;      /* "inbox" or "sent" */
    const char *text;        /* the text body (UTF-8) */
    bool text_from_html;
    const char *const *attachments; /* "name (type, size)" lines */
    size_t n_attachments;
};

/* Renders the message; on success *pdf is malloc'ed (the caller frees it). */
bool message_pdf_render(const struct message_pdf_input *in, unsigned char **pdf, size_t *len);

#endif
