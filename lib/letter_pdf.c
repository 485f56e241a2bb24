#include "lib/letter_pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pdf_document.h"

/* Body text goes in pieces below the document's per-text cap, cut after a line when possible
 * and never inside a UTF-8 character. */
#define LETTER_PDF_PIECE (PDF_DOCUMENT_TEXT_MAX - 1024)

static size_t piece_length(const char *text, size_t left)
{
    if (left <= LETTER_PDF_PIECE)
        return left;
    size_t cut = LETTER_PDF_PIECE;
    for (size_t i = cut; i > LETTER_PDF_PIECE / 2; i--) {
        if (text[i - 1] == '\n')
            return i;
    }
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}

bool letter_pdf_render(const char *subject, const char *body, const char *sender,
                       const char *team, const char *created_at, unsigned char **pdf,
                       size_t *len)
{
    *pdf = NULL;
    struct pdf_document *doc = pdf_document_new(subject, created_at);
    if (!doc)
        return false;
    char from[1024];
    snprintf(from, sizeof(from), "%s — %s", sender, team);
    pdf_document_paragraph(doc, from);
    pdf_document_space(doc, 6);
    pdf_document_heading(doc, PDF_HEADING_SECTION, subject);
    pdf_document_space(doc, 4);
    size_t left = strlen(body);
    char *piece = malloc(LETTER_PDF_PIECE + 1);
    bool ok = piece != NULL;
    while (ok && left > 0) {
        size_t n = piece_length(body, left);
        memcpy(piece, body, n);
        piece[n] = '\0';
        ok = pdf_document_paragraph(doc, piece);
        body += n;
        left -= n;
    }
    free(piece);
    if (!ok) {
        pdf_document_free(doc);
        return false;
    }
    return pdf_document_finish(doc, pdf, len);
}
