#include "lib/message_pdf.h"

#include <stdlib.h>
#include <string.h>

#include "lib/pdf_document.h"

#define MISSING "\xe2\x80\x94" /* — */
/* A paragraph is cut at a line end below this size (pdf_document's text cap). */
#define CHUNK_MAX (PDF_DOCUMENT_TEXT_MAX - 1024)

static const char *or_missing(const char *s)
{
    return s && *s ? s : MISSING;
}

/* The length of the next piece of text to draw: up to a line end before CHUNK_MAX bytes, else
 * the last whole UTF-8 character before it. */
static size_t next_chunk(const char *text, size_t left)
{
    if (left <= CHUNK_MAX)
        return left;
    size_t n = CHUNK_MAX;
    while (n > CHUNK_MAX / 2 && text[n - 1] != '\n')
        n--;
    if (text[n - 1] != '\n') {
        n = CHUNK_MAX;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    return n;
}

/* The length of a prefix of text of at most max bytes that does not split a UTF-8 character. */
static size_t utf8_prefix(const char *text, size_t len, size_t max)
{
    size_t n = len > max ? max : len;
    while (n > 0 && n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* A header value shortened to MESSAGE_PDF_HEADER_MAX bytes (with "…"), in buf. */
static const char *shortened(const char *value, char buf[MESSAGE_PDF_HEADER_MAX + 4])
{
    if (!value)
        return NULL;
    size_t len = strlen(value), n = utf8_prefix(value, len, MESSAGE_PDF_HEADER_MAX);
    if (n == len)
        return value;
    memcpy(buf, value, n);
    memcpy(buf + n, "\xe2\x80\xa6", 4);
    return buf;
}

/* Draws the body in paragraphs that each fit pdf_document's cap. */
static void body(struct pdf_document *doc, const char *text)
{
    size_t len = strlen(text), shown = utf8_prefix(text, len, MESSAGE_PDF_TEXT_MAX), lines = 0;
    for (size_t i = 0; i < shown; i++)
        if (text[i] == '\n' && ++lines >= MESSAGE_PDF_LINES_MAX) {
            shown = i;
            break;
        }
    char *piece = malloc(CHUNK_MAX + 1);
    if (!piece)
        return;
    for (size_t at = 0; at < shown;) {
        size_t n = next_chunk(text + at, shown - at);
        memcpy(piece, text + at, n);
        piece[n] = '\0';
        pdf_document_paragraph(doc, piece);
        at += n;
    }
    free(piece);
    if (shown < len)
        pdf_document_paragraph(doc, "[…] Le reste du texte n'est pas reproduit dans cette "
                                    "archive ; le message d'origine est conservé en entier.");
}

bool message_pdf_render(const struct message_pdf_input *in, unsigned char **pdf, size_t *len)
{
    *pdf = NULL;
    static char subject[MESSAGE_PDF_HEADER_MAX + 4], from[MESSAGE_PDF_HEADER_MAX + 4],
        to[MESSAGE_PDF_HEADER_MAX + 4], cc[MESSAGE_PDF_HEADER_MAX + 4],
        line[MESSAGE_PDF_HEADER_MAX + 4];
    const char *title = in->subject && *in->subject ? shortened(in->subject, subject)
                                                    : "(sans objet)";
    struct pdf_document *doc = pdf_document_new(title, in->received_at);
    if (!doc)
        return false;
    pdf_document_set_pages_max(doc, PDF_DOCUMENT_PAGES_LIMIT);
    pdf_document_heading(doc, PDF_HEADING_TITLE, title);
    pdf_document_row(doc, "Dossier", strcmp(in->folder, "sent") == 0 ? "Envoyés" : "Reçus");
    pdf_document_row(doc, "De", or_missing(shortened(in->from, from)));
    pdf_document_row(doc, "À", or_missing(shortened(in->to, to)));
    if (in->cc && *in->cc)
        pdf_document_row(doc, "Cc", shortened(in->cc, cc));
    pdf_document_row(doc, "Date", or_missing(in->sent_at));
    pdf_document_row(doc, "Archivé le", in->received_at);
    pdf_document_rule(doc);
    if (in->text_from_html)
        pdf_document_paragraph(doc, "(Texte extrait de la version HTML du message.)");
    if (in->text && *in->text)
        body(doc, in->text);
    else
        pdf_document_paragraph(doc, "(Ce message n'a pas de texte.)");
    if (in->n_attachments > 0) {
        pdf_document_heading(doc, PDF_HEADING_SECTION, "Pièces jointes");
        for (size_t i = 0; i < in->n_attachments; i++)
            pdf_document_paragraph(doc, shortened(in->attachments[i], line));
    }
    return pdf_document_finish(doc, pdf, len);
}
