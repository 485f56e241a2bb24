/* The PDF archive of an e-mail, read back with pdftotext: French labels and accents, the
 * headers, the attachments, long bodies over several pages, the MESSAGE_PDF_TEXT_MAX cut and
 * its note, empty and HTML bodies, and the same bytes for the same message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/message_pdf.h"
#include "lib/pdf_document.h"
#include "pdf_text.h"

static const char *const attachment_lines[] = {
    "facture n°12.pdf (application/pdf, 142 octets)",
    "chantier.png (image/png, 70 octets)",
};

/* A received message with every field, accents and typographic signs everywhere. */
static struct message_pdf_input full(void)
{
    return (struct message_pdf_input){
        .subject = "Convocation à l'audience — Orléans",
        .from = "Maître Hélène Durand <helene.durand@cabinet.example>",
        .to = "greffe@tribunal.example, zoe.lefevre@client.example",
        .cc = "Comptable <compta@client.example>",
        .sent_at = "2025-03-14T15:00:00Z",
        .received_at = "2025-03-14T15:01:02Z",
        .folder = "inbox",
        .text = "Bonjour,\r\n\r\nVous êtes convoquée le 2 avril à 14 h, salle « Molière ».\r\n"
                "Ça se passe à l'Hôtel de Ville, cœur de la cité.\r\n",
        .attachments = attachment_lines,
        .n_attachments = 2,
    };
}

static void render(const struct message_pdf_input *in, unsigned char **pdf, size_t *len)
{
    cr_assert(message_pdf_render(in, pdf, len), "the message was not rendered");
    pdf_expect_header(*pdf, *len);
}

/* The text of the rendered message (malloc'ed); skips the test without pdftotext. */
static char *rendered_text(const struct message_pdf_input *in)
{
    if (!pdf_text_available())
        cr_skip_test("pdftotext is not installed (poppler-utils)");
    unsigned char *pdf;
    size_t len;
    render(in, &pdf, &len);
    char *text = pdf_text_extract(pdf, len);
    free(pdf);
    return text;
}

static void expect_all(const char *text, const char *const *expected, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_expect(strstr(text, expected[i]), "missing from the PDF text: %s", expected[i]);
}

/* pdftotext ends every page with a form feed. */
static int pages_of(const char *text)
{
    int n = 0;
    for (const char *p = text; (p = strchr(p, '\f')); p++)
        n++;
    return n;
}

#define LINE_FORMAT                                                                                \
    "Ligne %07d : un texte assez long pour occuper une bonne partie de la largeur.\n"
/* The bytes of one LINE_FORMAT line. */
#define LINE_BYTES (sizeof(LINE_FORMAT) - 1 + 7 - 4)

/* A body of n numbered lines of LINE_BYTES each, from "Ligne 0000001" (malloc'ed). */
static char *numbered_lines(size_t n)
{
    size_t cap = n * LINE_BYTES + 1;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(snprintf(text + i * LINE_BYTES, cap - i * LINE_BYTES, LINE_FORMAT, (int)i + 1),
                     (int)LINE_BYTES);
    return text;
}

TestSuite(message_pdf, .timeout = 120);

/* Headers, body and attachments. */

Test(message_pdf, headers_body_and_attachments_in_french)
{
    struct message_pdf_input in = full();
    char *text = rendered_text(&in);
    static const char *const expected[] = {
        "Convocation à l'audience — Orléans",
        "Dossier",
        "Reçus",
        "De",
        "Maître Hélène Durand <helene.durand@cabinet.example>",
        "À",
        "greffe@tribunal.example, zoe.lefevre@client.example",
        "Cc",
        "Comptable <compta@client.example>",
        "Date",
        "2025-03-14T15:00:00Z",
        "Archivé le",
        "2025-03-14T15:01:02Z",
        "Vous êtes convoquée le 2 avril à 14 h, salle « Molière ».",
        "Ça se passe à l'Hôtel de Ville, cœur de la cité.",
        "Pièces jointes",
        "facture n°12.pdf (application/pdf, 142 octets)",
        "chantier.png (image/png, 70 octets)",
        "Page 1",
    };
    expect_all(text, expected, sizeof(expected) / sizeof(expected[0]));
    cr_expect_null(strstr(text, "Envoyés"));
    cr_expect_null(strstr(text, "(Texte extrait"), "no HTML note for a plain body");
    cr_expect_null(strstr(text, "pas de texte"));
    cr_expect_null(strstr(text, "\r"), "CR LF line ends draw no stray character");
    /* The body comes after the headers, the attachments after the body. */
    const char *archived = strstr(text, "Archivé le"), *body = strstr(text, "Vous êtes"),
               *files = strstr(text, "Pièces jointes");
    cr_expect(archived && body && files && archived < body && body < files);
    cr_expect_eq(pages_of(text), 1);
    free(text);
}

Test(message_pdf, sent_message_with_missing_headers)
{
    struct message_pdf_input in = {
        .received_at = "2025-03-14T15:01:02Z",
        .folder = "sent",
        .text = "Texte seul.",
    };
    char *text = rendered_text(&in);
    static const char *const expected[] = {"(sans objet)", "Envoyés", "—", "Texte seul."};
    expect_all(text, expected, sizeof(expected) / sizeof(expected[0]));
    cr_expect_null(strstr(text, "Reçus"));
    cr_expect_null(strstr(text, "Cc"), "no Cc row without Cc");
    cr_expect_null(strstr(text, "Pièces jointes"), "no attachment section without attachments");
    /* From, To and Date are each shown as missing. */
    int dashes = 0;
    for (const char *p = text; (p = strstr(p, "—")); p += strlen("—"))
        dashes++;
    cr_expect_eq(dashes, 3);
    free(text);
}

/* Bodies: empty, from HTML, long, too long. */

Test(message_pdf, empty_body_says_so)
{
    struct message_pdf_input in = full();
    in.text = "";
    char *text = rendered_text(&in);
    cr_expect(strstr(text, "(Ce message n'a pas de texte.)"));
    cr_expect(strstr(text, "Pièces jointes"));
    free(text);
    in.text = NULL;
    text = rendered_text(&in);
    cr_expect(strstr(text, "(Ce message n'a pas de texte.)"));
    free(text);
}

Test(message_pdf, text_from_html_is_noted)
{
    struct message_pdf_input in = full();
    in.text_from_html = true;
    in.text = "Votre relevé\nLe relevé de février est disponible.";
    char *text = rendered_text(&in);
    const char *note = strstr(text, "(Texte extrait de la version HTML du message.)");
    const char *body = strstr(text, "Le relevé de février est disponible.");
    cr_expect(note && body && note < body, "the note comes before the text");
    free(text);
}

Test(message_pdf, long_body_runs_over_pages)
{
    /* 2,000 lines: well over one page, well under the cap. */
    size_t lines = 2000;
    char *body = numbered_lines(lines);
    struct message_pdf_input in = full();
    in.text = body;
    char *text = rendered_text(&in);
    int pages = pages_of(text);
    cr_expect_gt(pages, 10, "%d pages", pages);
    char last_page[32];
    snprintf(last_page, sizeof(last_page), "Page %d", pages);
    cr_expect(strstr(text, last_page), "no footer \"%s\"", last_page);
    /* Every line, in order, and the attachments after the last one. */
    const char *at = text;
    for (size_t i = 1; i <= lines; i++) {
        char number[24];
        snprintf(number, sizeof(number), "Ligne %07zu :", i);
        const char *found = strstr(at, number);
        cr_assert(found, "%s missing or out of order", number);
        at = found;
    }
    cr_expect(strstr(at, "Pièces jointes"));
    cr_expect_null(strstr(text, "Le reste du texte"), "no note under the cap");
    free(text);
    free(body);
}

Test(message_pdf, text_beyond_the_cap_is_cut_with_a_note)
{
    /* The cap falls inside line k + 1 (numbered from 1): lines up to k are whole, the line
     * after the cut one is not drawn at all. */
    size_t k = MESSAGE_PDF_TEXT_MAX / LINE_BYTES;
    cr_assert_neq(MESSAGE_PDF_TEXT_MAX % LINE_BYTES, 0);
    char *body = numbered_lines(k + 2000);
    char last_shown[24], first_hidden[24];
    snprintf(last_shown, sizeof(last_shown), "Ligne %07zu :", k);
    snprintf(first_hidden, sizeof(first_hidden), "Ligne %07zu :", k + 2);
    struct message_pdf_input in = full();
    in.text = body;
    char *text = rendered_text(&in);
    cr_expect(strstr(text, last_shown), "%s is under the cap", last_shown);
    cr_expect_null(strstr(text, first_hidden), "%s is beyond the cap", first_hidden);
    const char *note = strstr(text, "[…] Le reste du texte n'est pas reproduit dans cette "
                                    "archive ; le message d'origine est conservé");
    cr_expect(note, "no note about the text left out");
    const char *files = strstr(text, "Pièces jointes");
    cr_expect(note && files && note < files, "the attachments still follow the note");
    free(text);
    free(body);
}

Test(message_pdf, text_of_exactly_the_cap_has_no_note)
{
    char *body = numbered_lines(MESSAGE_PDF_TEXT_MAX / LINE_BYTES + 1);
    body[MESSAGE_PDF_TEXT_MAX] = '\0';
    struct message_pdf_input in = full();
    in.text = body;
    char *text = rendered_text(&in);
    cr_expect_null(strstr(text, "Le reste du texte"));
    free(text);
    free(body);
}

/* The cap falls inside a three-byte character: the cut goes back to the character's start
 * rather than hand pdf_document half a character (which would fail the whole document). */
Test(message_pdf, cut_inside_a_character_still_renders)
{
    static const char line[] = "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€\n"; /* 91 bytes */
    size_t n = MESSAGE_PDF_TEXT_MAX + 4096, unit = sizeof(line) - 1;
    cr_assert_neq((MESSAGE_PDF_TEXT_MAX % unit) % 3, 0, "the cap must fall inside a €");
    char *body = malloc(n + unit + 1);
    cr_assert_not_null(body);
    for (size_t at = 0; at < n; at += unit)
        memcpy(body + at, line, unit + 1);
    struct message_pdf_input in = full();
    in.text = body;
    char *text = rendered_text(&in);
    cr_expect(strstr(text, "Le reste du texte n'est pas reproduit"));
    free(text);
    free(body);
}

/* One paragraph of more than pdf_document's own cap, without a line end to cut it at. */
Test(message_pdf, one_long_paragraph_is_drawn_in_pieces)
{
    size_t n = 3 * PDF_DOCUMENT_TEXT_MAX;
    char *body = malloc(n + 16);
    cr_assert_not_null(body);
    for (size_t at = 0; at < n; at += 4)
        memcpy(body + at, "mot ", 4);
    memcpy(body + n, "FIN", sizeof("FIN"));
    struct message_pdf_input in = full();
    in.text = body;
    char *text = rendered_text(&in);
    cr_expect(strstr(text, "FIN"), "the end of the paragraph is drawn");
    cr_expect_null(strstr(text, "Le reste du texte"));
    free(text);
    free(body);
}

/* Many short lines, far below MESSAGE_PDF_TEXT_MAX (a body GMime reads with CR LF ends): the
 * archive is still made, cut with the note if it cannot hold them all. */
Test(message_pdf, many_short_lines_under_the_cap_still_render)
{
    size_t lines = 200000;
    char *body = malloc(2 * lines + 1);
    cr_assert_not_null(body);
    for (size_t i = 0; i < lines; i++)
        memcpy(body + 2 * i, "\r\n", 2);
    body[2 * lines] = '\0';
    cr_assert_lt(2 * lines, MESSAGE_PDF_TEXT_MAX);
    struct message_pdf_input in = full();
    in.text = body;
    unsigned char *pdf = NULL;
    size_t len = 0;
    cr_expect(message_pdf_render(&in, &pdf, &len),
              "%zu blank lines (%zu bytes) could not be rendered", lines, 2 * lines);
    free(pdf);
    free(body);
}

/* A subject longer than pdf_document's text cap: message_pdf.c falls back to the title
 * "(objet illisible)", so the message is archived rather than refused. */
Test(message_pdf, subject_beyond_the_text_cap_still_renders)
{
    char *subject = malloc(PDF_DOCUMENT_TEXT_MAX + 2);
    cr_assert_not_null(subject);
    memset(subject, 'a', PDF_DOCUMENT_TEXT_MAX + 1);
    subject[PDF_DOCUMENT_TEXT_MAX + 1] = '\0';
    struct message_pdf_input in = full();
    in.subject = subject;
    unsigned char *pdf = NULL;
    size_t len = 0;
    cr_expect(message_pdf_render(&in, &pdf, &len), "a subject of %d bytes made the whole PDF fail",
              PDF_DOCUMENT_TEXT_MAX + 1);
    free(pdf);
    free(subject);
}

/* The same message gives the same bytes; the archive date is the PDF's own date. */
Test(message_pdf, same_message_same_bytes)
{
    struct message_pdf_input in = full();
    unsigned char *a, *b, *c;
    size_t alen, blen, clen;
    render(&in, &a, &alen);
    render(&in, &b, &blen);
    cr_assert_eq(alen, blen);
    cr_expect(memcmp(a, b, alen) == 0, "two renders of one message differ");
    cr_expect(pdf_bytes_contain(a, alen, "20250314150102"), "CreationDate is received_at");
    in.received_at = "2025-03-15T09:00:00Z";
    render(&in, &c, &clen);
    cr_expect(clen != alen || memcmp(a, c, alen) != 0, "received_at does not reach the PDF");
    free(a);
    free(b);
    free(c);
}
