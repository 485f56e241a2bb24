/* A letter's own text as a PDF (subject, sender, body), for the carrier to print. */
#ifndef PLI_LETTER_PDF_H
#define PLI_LETTER_PDF_H

#include <stdbool.h>
#include <stddef.h>

/* Renders the letter; created_at (RFC 3339) dates the document so that the same letter always
 * gives the same bytes. On success *pdf is malloc'ed (the caller frees it). */
bool letter_pdf_render(const char *subject, const char *body, const char *sender,
                       const char *team, const char *created_at, unsigned char **pdf,
                       size_t *len);

#endif
