/* Reading archived e-mails with GMime: the committed corpus of tests/fixtures/mail (one test per
 * file, everything read checked exactly), messages built here for the limits and odd shapes,
 * and hostile bytes that must still come out as valid UTF-8. */
#include <criterion/criterion.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/crypto.h"
#include "lib/html_text.h"
#include "lib/mime_message.h"
/* fixture_read and fixture_free: defined once in the unit binary, by test_xlsx_reader.c. */
#include "tests/api/support/fixtures.h"

static struct arena *arena;
/* Large (the address and attachment arrays): one for the process. */
static struct mime_message m;

/* scripts/test exports PLI_TEST_FIXTURES; a bare run of the unit binary finds the folder from
 * this file's own path (tests/unit/ -> tests/fixtures). */
static void fixtures_default(void)
{
    if (getenv("PLI_TEST_FIXTURES"))
        return;
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", __FILE__);
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(dir, '/');
        cr_assert_not_null(slash, "cannot find tests/ from %s", __FILE__);
        *slash = '\0';
    }
    strncat(dir, "/fixtures", sizeof(dir) - strlen(dir) - 1);
    setenv("PLI_TEST_FIXTURES", dir, 0);
}

static void setup(void)
{
    fixtures_default();
    mime_message_init();
    arena = arena_new(64u * 1024u * 1024u);
    cr_assert_not_null(arena);
}

static void teardown(void)
{
    arena_free(arena);
}

TestSuite(mime_message, .init = setup, .fini = teardown);

/* Reads a corpus file into m; the raw bytes are freed before anything is checked, so that what
 * was read must live in the arena. */
static void read_fixture(const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "mail/%s", name);
    struct fixture f = fixture_read(path);
    char error[160] = "";
    bool ok = mime_message_parse((const char *)f.data, f.len, arena, &m, error, sizeof(error));
    memset(f.data, 0, f.len);
    fixture_free(&f);
    cr_assert(ok, "%s refused: %s", name, error);
}

/* Reads a message built by a test (its bytes, NUL-terminated). */
static void read_text(const char *raw)
{
    char error[160] = "";
    cr_assert(mime_message_parse(raw, strlen(raw), arena, &m, error, sizeof(error)), "refused: %s",
              error);
}

static void expect_address(const struct mime_address *a, const char *address, const char *name)
{
    cr_assert_not_null(a->address);
    cr_expect_str_eq(a->address, address);
    if (name) {
        cr_assert_not_null(a->name, "no display name for %s (expected %s)", address, name);
        cr_expect_str_eq(a->name, name);
    } else {
        cr_expect_null(a->name, "%s has display name \"%s\"", address, a->name);
    }
}

static bool utf8(const char *s)
{
    return g_utf8_validate(s, -1, NULL);
}

/* Every string of m is there where the header promises one, and valid UTF-8. */
static void expect_utf8_everywhere(void)
{
    cr_assert_not_null(m.text);
    cr_expect(utf8(m.text), "text is not UTF-8");
    cr_expect(!m.subject || utf8(m.subject), "subject is not UTF-8");
    cr_expect(!m.date || utf8(m.date));
    cr_expect(!m.message_id || utf8(m.message_id), "Message-ID is not UTF-8");
    cr_expect(!m.in_reply_to || utf8(m.in_reply_to), "In-Reply-To is not UTF-8");
    const struct mime_address *lists[] = {&m.from, m.to, m.cc};
    const size_t counts[] = {m.from.address ? 1 : 0, m.n_to, m.n_cc};
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            cr_assert_not_null(lists[l][i].address, "list %d, address %zu", l, i);
            cr_expect(utf8(lists[l][i].address), "list %d, address %zu", l, i);
            cr_expect(!lists[l][i].name || utf8(lists[l][i].name), "list %d, name %zu", l, i);
        }
    for (size_t i = 0; i < m.n_references; i++)
        cr_expect(utf8(m.references[i]), "reference %zu", i);
    for (size_t i = 0; i < m.n_attachments; i++) {
        const struct mime_attachment *a = &m.attachments[i];
        cr_assert_not_null(a->filename, "attachment %zu has no name", i);
        cr_assert_not_null(a->content_type, "attachment %zu has no type", i);
        cr_assert_not_null(a->data, "attachment %zu has no data", i);
        cr_expect(utf8(a->filename), "attachment %zu: name is not UTF-8", i);
        cr_expect(utf8(a->content_type), "attachment %zu: type is not UTF-8", i);
    }
}

static void expect_no_threading(void)
{
    cr_expect_null(m.in_reply_to);
    cr_expect_eq(m.n_references, 0);
}

static void expect_sha256(const struct mime_attachment *a, const char *hex)
{
    char got[65];
    crypto_sha256_hex(a->data, a->len, got);
    cr_expect_str_eq(got, hex, "bytes of %s", a->filename);
}

/* The same text with every CR LF as LF (malloc'ed). */
static char *lf_only(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    cr_assert_not_null(out);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
            out[n++] = s[i];
    out[n] = '\0';
    return out;
}

/* The forwarded message of 06, as the file holds it: from the blank line after its part's
 * headers to the CR LF before the closing boundary. */
static char *forwarded_in_fixture(size_t *len)
{
    struct fixture f = fixture_read("mail/06-forwarded-sent.eml");
    static const char start[] = "Content-Disposition: attachment\r\n\r\n";
    char *text = malloc(f.len + 1);
    cr_assert_not_null(text);
    memcpy(text, f.data, f.len);
    text[f.len] = '\0';
    fixture_free(&f);
    char *from = strstr(text, start), *end = strstr(text, "\r\n--f1--");
    cr_assert(from && end && end > from, "06 no longer has its forwarded part");
    from += sizeof(start) - 1;
    *len = (size_t)(end - from);
    memmove(text, from, *len);
    text[*len] = '\0';
    return text;
}

/* The corpus: one file each, every field. */

Test(mime_message, plain_utf8_message)
{
    read_fixture("01-plain-utf8.eml");
    cr_expect_str_eq(m.subject, "[DOS-2024-001] Pièces du dossier");
    expect_address(&m.from, "jean.dupont@client.example", "Jean Dupont");
    cr_assert_eq(m.n_to, 1);
    expect_address(&m.to[0], "archive-mm@cabinet.example", "Maître Martin");
    cr_expect_eq(m.n_cc, 0);
    cr_expect_str_eq(m.date, "2025-03-10T08:15:00Z", "+01:00 moved to UTC");
    cr_expect_str_eq(m.message_id, "plain-001@client.example");
    expect_no_threading();
    cr_expect_str_eq(m.text, "Bonjour Maître,\r\n\r\nVeuillez trouver ci-joint les pièces "
                             "demandées.\r\n\r\nCordialement,\r\nJean Dupont\r\n");
    cr_expect_not(m.text_from_html);
    cr_expect_eq(m.n_attachments, 0);
}

Test(mime_message, quoted_printable_latin1_with_encoded_headers)
{
    read_fixture("02-quoted-printable-latin1.eml");
    cr_expect_str_eq(m.subject, "Reçu de paiement été");
    expect_address(&m.from, "renee.levy@client.example", "Renée Lévy");
    cr_assert_eq(m.n_to, 1);
    expect_address(&m.to[0], "archive-mm@cabinet.example", NULL);
    cr_expect_eq(m.n_cc, 0);
    cr_expect_str_eq(m.date, "2025-03-11T13:02:00Z");
    cr_expect_str_eq(m.message_id, "qp-002@client.example");
    expect_no_threading();
    /* The soft line break "r=" CR LF "eporter" joins the word again. */
    cr_expect_str_eq(m.text, "Le reçu de l'été est joint. Merci de vérifier les montants à "
                             "reporter.\r\n");
    cr_expect_not(m.text_from_html);
    cr_expect_eq(m.n_attachments, 0);
}

Test(mime_message, base64_body_and_encoded_subject)
{
    read_fixture("03-base64-encoded-subject.eml");
    cr_expect_str_eq(m.subject, "Échéancier des loyers");
    expect_address(&m.from, "paul@client.example", "Paul Bernard");
    cr_assert_eq(m.n_to, 1);
    expect_address(&m.to[0], "archive-mm@cabinet.example", NULL);
    cr_expect_str_eq(m.date, "2025-03-12T08:00:00Z");
    cr_expect_str_eq(m.message_id, "b64-003@client.example");
    expect_no_threading();
    cr_expect_str_eq(m.text, "Le loyer de mars est réglé. Échéance suivante : 1er avril.\n");
    cr_expect_not(m.text_from_html);
    cr_expect_eq(m.n_attachments, 0);
}

Test(mime_message, html_only_message_gives_its_text)
{
    read_fixture("04-html-only.eml");
    cr_expect_str_eq(m.subject, "Relevé disponible");
    expect_address(&m.from, "noreply@banque.example", "Banque");
    cr_assert_eq(m.n_to, 1);
    expect_address(&m.to[0], "archive-mm@cabinet.example", NULL);
    cr_expect_str_eq(m.date, "2025-03-13T06:30:00Z");
    cr_expect_str_eq(m.message_id, "html-004@banque.example");
    expect_no_threading();
    /* No style, no script; a line per block; &nbsp; as U+00A0 and &euro; as the sign. */
    cr_expect_str_eq(m.text, "Votre relevé\nLe relevé de février est disponible.\n"
                             "Montant : 1\u00a0250,00\u00a0€");
    cr_expect(m.text_from_html);
    cr_expect_eq(m.n_attachments, 0, "the HTML body is not an attachment");
}

Test(mime_message, alternative_body_and_attachments)
{
    read_fixture("05-attachments.eml");
    cr_expect_str_eq(m.subject, "Facture et photo");
    expect_address(&m.from, "jean.dupont@client.example", "Jean Dupont");
    cr_assert_eq(m.n_to, 1);
    expect_address(&m.to[0], "archive-mm@cabinet.example", NULL);
    cr_assert_eq(m.n_cc, 1);
    expect_address(&m.cc[0], "compta@client.example", "Comptable");
    cr_expect_str_eq(m.date, "2025-03-14T09:00:00Z");
    cr_expect_str_eq(m.message_id, "att-005@client.example");
    expect_no_threading();
    cr_expect_str_eq(m.text, "Facture jointe, ainsi qu'une photo du chantier.",
                     "the plain part of the alternative, not the HTML one");
    cr_expect_not(m.text_from_html);
    cr_assert_eq(m.n_attachments, 2, "the HTML alternative is not an attachment");

    const struct mime_attachment *pdf = &m.attachments[0];
    cr_expect_str_eq(pdf->filename, "facture n°12.pdf", "RFC 2047 filename decoded");
    cr_expect_str_eq(pdf->content_type, "application/pdf");
    cr_expect_not(pdf->forwarded);
    cr_assert_eq(pdf->len, 142);
    cr_expect(memcmp(pdf->data, "%PDF-1.4\n", 9) == 0, "the PDF decodes to a PDF file");
    cr_expect(memcmp(pdf->data + pdf->len - 6, "%%EOF\n", 6) == 0);
    expect_sha256(pdf, "554f5147984d75fe7e43c6f15d08e3d52097907a122299c06613e84b3b4c8749");

    const struct mime_attachment *png = &m.attachments[1];
    cr_expect_str_eq(png->filename, "chantier.png");
    cr_expect_str_eq(png->content_type, "image/png");
    cr_expect_not(png->forwarded);
    cr_assert_eq(png->len, 70);
    cr_expect(memcmp(png->data, "\x89PNG\r\n\x1a\n", 8) == 0);
    expect_sha256(png, "497790947d4666760ce38f3c00e852c71fdb66cae849bae8e9ede352719e1581");
}

Test(mime_message, forwarded_message_is_kept_whole)
{
    read_fixture("06-forwarded-sent.eml");
    cr_expect_str_eq(m.subject, "Fwd: Convocation");
    expect_address(&m.from, "mm@cabinet.example", "Maître Martin");
    cr_assert_eq(m.n_to, 1);
    expect_address(&m.to[0], "archive-mm@cabinet.example", NULL);
    cr_expect_eq(m.n_cc, 0);
    cr_expect_str_eq(m.date, "2025-03-15T10:00:00Z");
    cr_expect_str_eq(m.message_id, "fwd-006@cabinet.example");
    cr_expect_str_eq(m.in_reply_to, "plain-001@client.example");
    cr_assert_eq(m.n_references, 1);
    cr_expect_str_eq(m.references[0], "plain-001@client.example");
    cr_expect_str_eq(m.text, "Pour information, voir le message transféré.",
                     "the forwarded message's text is not the body");
    cr_expect_not(m.text_from_html);
    cr_assert_eq(m.n_attachments, 1);
    const struct mime_attachment *a = &m.attachments[0];
    cr_expect_str_eq(a->filename, "Convocation.eml", "named after its subject");
    cr_expect_str_eq(a->content_type, "message/rfc822");
    cr_expect(a->forwarded);

    /* Every header and the whole body, in order (line ends aside: see the next test). */
    size_t len;
    char *inner = forwarded_in_fixture(&len);
    char *want = lf_only(inner, len), *got = lf_only((const char *)a->data, a->len);
    cr_expect_str_eq(got, want);
    free(inner);
    free(want);
    free(got);

    /* And it reads again as the message it was. */
    read_text(arena_strndup(arena, (const char *)a->data, a->len));
    cr_expect_str_eq(m.subject, "Convocation");
    expect_address(&m.from, "greffe@tribunal.example", "Greffe");
    cr_expect_str_eq(m.date, "2025-03-14T15:00:00Z");
    cr_expect_str_eq(m.message_id, "inner-006@tribunal.example");
    cr_expect_str_eq(m.text, "Vous êtes convoqué le 2 avril à 14 h.");
}

/* A forwarded message is kept whole with CR LF line ends: for a part written that way, the bytes
 * of the part (a DKIM signature of the forwarded message depends on them). */
Test(mime_message, forwarded_message_keeps_its_bytes)
{
    read_fixture("06-forwarded-sent.eml");
    cr_assert_eq(m.n_attachments, 1);
    const struct mime_attachment *a = &m.attachments[0];
    size_t len;
    char *inner = forwarded_in_fixture(&len);
    cr_expect_eq(a->len, len, "forwarded message of %zu bytes kept as %zu bytes", len, a->len);
    cr_expect(a->len == len && memcmp(a->data, inner, len) == 0,
              "the forwarded message is not byte for byte the part of the original");
    free(inner);
}

Test(mime_message, binary_garbage_is_refused)
{
    struct fixture f = fixture_read("mail/07-broken-binary.eml");
    char error[160] = "";
    cr_expect_not(mime_message_parse((const char *)f.data, f.len, arena, &m, error, sizeof(error)));
    fixture_free(&f);
    cr_expect_str_eq(error, "not a message: no header could be read");
    /* Nothing left over from a message read before. */
    cr_expect_null(m.subject);
    cr_expect_str_eq(m.text, "");
    cr_expect_eq(m.n_attachments, 0);
}

Test(mime_message, broken_multipart_is_still_read_as_utf8)
{
    read_fixture("08-broken-multipart.eml");
    expect_utf8_everywhere();
    cr_expect_not_null(m.subject, "an undecodable encoded word is still a subject");
    cr_expect_str_eq(m.from.address, "broken");
    cr_expect_null(m.from.name);
    cr_expect_eq(m.n_to, 0);
    cr_expect_null(m.date);
    cr_expect_null(m.message_id);
    /* The part of the never-closed multipart is read; its unknown charset's byte 0xE8 becomes
     * U+FFFD. */
    cr_expect_str_eq(m.text, "Texte avec un jeu de caract\uFFFDres inconnu.\r\n");
    cr_expect_not(m.text_from_html);
    cr_expect_eq(m.n_attachments, 0);
}

/* The corpus again: every string of every file is valid UTF-8 wherever it is promised. */
Test(mime_message, corpus_is_utf8_everywhere)
{
    static const char *const names[] = {
        "01-plain-utf8.eml",
        "02-quoted-printable-latin1.eml",
        "03-base64-encoded-subject.eml",
        "04-html-only.eml",
        "05-attachments.eml",
        "06-forwarded-sent.eml",
        "08-broken-multipart.eml",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        read_fixture(names[i]);
        expect_utf8_everywhere();
    }
}

/* Messages built here: limits, address groups, shapes of bodies. */

Test(mime_message, attachments_beyond_the_cap_are_left_out)
{
    GString *raw = g_string_new("From: a@b.example\r\nSubject: many\r\n"
                                "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                                "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n");
    for (int i = 1; i <= MIME_ATTACHMENTS_MAX + 5; i++)
        g_string_append_printf(raw,
                               "--b\r\nContent-Type: application/octet-stream\r\n"
                               "Content-Disposition: attachment; filename=\"f%03d.bin\"\r\n\r\n"
                               "part %d\r\n",
                               i, i);
    g_string_append(raw, "--b--\r\n");
    read_text(raw->str);
    g_string_free(raw, TRUE);
    cr_expect_str_eq(m.text, "body");
    cr_assert_eq(m.n_attachments, MIME_ATTACHMENTS_MAX);
    for (size_t i = 0; i < m.n_attachments; i++) {
        char name[32], data[32];
        snprintf(name, sizeof(name), "f%03zu.bin", i + 1);
        snprintf(data, sizeof(data), "part %zu", i + 1);
        cr_assert_str_eq(m.attachments[i].filename, name, "the first ones are kept, in order");
        cr_assert_eq(m.attachments[i].len, strlen(data));
        cr_assert(memcmp(m.attachments[i].data, data, strlen(data)) == 0);
    }
}

Test(mime_message, groups_are_opened_and_addresses_lower_cased)
{
    read_text("From: \"Dupont, Jean\" <Jean.DUPONT@Client.Example>\r\n"
              "To: =?UTF-8?Q?=C3=89quipe?=: A <A@X.example>, b@x.example;, "
              "C <c@Y.EXAMPLE>\r\n"
              "Cc: Personne:;, d@z.example\r\n"
              "Subject: groupes\r\n\r\nok\r\n");
    expect_address(&m.from, "jean.dupont@client.example", "Dupont, Jean");
    cr_assert_eq(m.n_to, 3, "the group's two members and the mailbox after it");
    expect_address(&m.to[0], "a@x.example", "A");
    expect_address(&m.to[1], "b@x.example", NULL);
    expect_address(&m.to[2], "c@y.example", "C");
    cr_assert_eq(m.n_cc, 1, "an empty group adds nobody");
    expect_address(&m.cc[0], "d@z.example", NULL);
}

/* RFC 5322 allows several authors in From: the first is the one kept. (fuzz_mime found that
 * read_headers gives add_addresses a one-entry array that it fills up to MIME_ADDRESSES_MAX.) */
Test(mime_message, several_authors_keep_the_first)
{
    read_text("From: Un <un@x.example>, deux@y.example\r\nTo: t@z.example\r\n"
              "Subject: deux auteurs\r\n\r\nok\r\n");
    expect_address(&m.from, "un@x.example", "Un");
    cr_assert_eq(m.n_to, 1);
    expect_address(&m.to[0], "t@z.example", NULL);
    cr_expect_str_eq(m.subject, "deux auteurs");
    cr_expect_str_eq(m.text, "ok\r\n");

    GString *raw = g_string_new("From: ");
    for (int i = 0; i < MIME_ADDRESSES_MAX; i++)
        g_string_append_printf(raw, "%sAuteur %d <a%d@x.example>", i ? ", " : "", i, i);
    g_string_append(raw, "\r\nSubject: beaucoup\r\n\r\nok\r\n");
    read_text(raw->str);
    g_string_free(raw, TRUE);
    expect_address(&m.from, "a0@x.example", "Auteur 0");
    cr_expect_eq(m.n_to, 0);
    cr_expect_str_eq(m.subject, "beaucoup");
}

Test(mime_message, headers_without_a_body)
{
    read_text("From: a@b.example\r\nSubject: que des en-têtes\r\n");
    cr_expect_str_eq(m.subject, "que des en-têtes");
    cr_expect_str_eq(m.text, "");
    cr_expect_not(m.text_from_html);
    cr_expect_eq(m.n_attachments, 0);
    /* The same with the blank line, and with a header nobody reads. */
    read_text("From: a@b.example\r\nSubject: vide\r\n\r\n");
    cr_expect_str_eq(m.text, "");
    cr_expect_eq(m.n_attachments, 0);
    read_text("X-Only: 1\r\n");
    cr_expect_null(m.subject);
    cr_expect_null(m.from.address);
    cr_expect_str_eq(m.text, "");
}

Test(mime_message, long_header_lines_and_list_caps)
{
    GString *raw = g_string_new("From: a@b.example\r\nTo: ");
    for (int i = 0; i < MIME_ADDRESSES_MAX + 50; i++)
        g_string_append_printf(raw, "%su%d@x.example", i ? ", " : "", i);
    g_string_append(raw, "\r\nSubject: ");
    GString *subject = g_string_new(NULL);
    for (int i = 0; i < 3000; i++)
        g_string_append(subject, "mot ");
    g_string_append(subject, "fin");
    g_string_append(raw, subject->str); /* 12,003 bytes on one line */
    g_string_append(raw, "\r\nReferences:");
    for (int i = 0; i < MIME_REFERENCES_MAX + 10; i++)
        g_string_append_printf(raw, " <r%d@x.example>", i);
    g_string_append(raw, "\r\nIn-Reply-To: <first@x.example> <second@x.example>\r\n"
                         "Date: Sun, 30 Mar 2025 03:30:00 -0700\r\n\r\nok\r\n");
    read_text(raw->str);
    g_string_free(raw, TRUE);
    cr_expect_str_eq(m.subject, subject->str);
    g_string_free(subject, TRUE);
    cr_assert_eq(m.n_to, MIME_ADDRESSES_MAX);
    cr_expect_str_eq(m.to[0].address, "u0@x.example");
    cr_expect_str_eq(m.to[MIME_ADDRESSES_MAX - 1].address, "u199@x.example");
    cr_assert_eq(m.n_references, MIME_REFERENCES_MAX);
    cr_expect_str_eq(m.references[0], "r0@x.example");
    cr_expect_str_eq(m.references[MIME_REFERENCES_MAX - 1], "r49@x.example");
    cr_expect_str_eq(m.in_reply_to, "first@x.example", "the first id of In-Reply-To");
    cr_expect_str_eq(m.date, "2025-03-30T10:30:00Z");
    cr_expect_str_eq(m.text, "ok\r\n");
}

Test(mime_message, alternative_nested_in_related)
{
    read_text("From: A <A@B.EXAMPLE>\r\nSubject: related\r\n"
              "Content-Type: multipart/related; boundary=\"r\"\r\n\r\n"
              "--r\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n"
              "--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
              "<p>Texte <img src=\"cid:logo@x\"> HTML</p>\r\n"
              "--a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTexte brut\r\n"
              "--a--\r\n"
              "--r\r\nContent-Type: IMAGE/PNG\r\nContent-ID: <logo@x>\r\n"
              "Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
              "--r--\r\n");
    expect_address(&m.from, "a@b.example", "A");
    cr_expect_str_eq(m.text, "Texte brut", "the plain part wins, wherever it stands");
    cr_expect_not(m.text_from_html);
    cr_assert_eq(m.n_attachments, 1, "the inline image only");
    cr_expect_str_eq(m.attachments[0].filename, "piece-jointe-1");
    cr_expect_str_eq(m.attachments[0].content_type, "image/png", "type lower-cased");
    cr_assert_eq(m.attachments[0].len, 8);
    cr_expect(memcmp(m.attachments[0].data, "\x89PNG\r\n\x1a\n", 8) == 0);
}

Test(mime_message, nameless_parts_and_odd_headers)
{
    read_text("From: a@b.example\r\nSubject: divers\r\nDate: not a date\r\n"
              "Message-ID: no-brackets@x.example\r\n"
              "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
              "--m\r\nContent-Type: text/plain; charset=utf-8\r\n"
              "Content-Disposition: attachment; filename=\"notes.txt\"\r\n\r\npièce texte\r\n"
              "--m\r\nContent-Type: application/octet-stream\r\n\r\nsans nom\r\n"
              "--m\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@y.example\r\n\r\nsans objet\r\n"
              "--m\r\nContent-Type: application/pdf\r\n"
              "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n\r\n"
              "%PDF-1.4\r\n--m--\r\n");
    cr_expect_null(m.date, "an unreadable date is no date");
    cr_expect_str_eq(m.message_id, "no-brackets@x.example");
    cr_expect_str_eq(m.text, "", "a text/plain attachment is not the body");
    cr_assert_eq(m.n_attachments, 4);
    cr_expect_str_eq(m.attachments[0].filename, "notes.txt");
    cr_expect_str_eq(m.attachments[0].content_type, "text/plain");
    cr_assert_eq(m.attachments[0].len, strlen("pièce texte"));
    cr_expect(memcmp(m.attachments[0].data, "pièce texte", m.attachments[0].len) == 0);
    cr_expect_str_eq(m.attachments[1].filename, "piece-jointe-2", "named after its rank");
    cr_expect_str_eq(m.attachments[2].filename, "piece-jointe-3.eml",
                     "a forwarded message without a subject");
    cr_expect(m.attachments[2].forwarded);
    cr_expect_str_eq(m.attachments[3].filename, "résumé.pdf", "RFC 2231 filename decoded");
}

/* An attachment of no bytes is still listed (fuzz_mime: part_bytes then copies from GMime's
 * NULL buffer, memcpy(copy, NULL, 0), which UBSan reports). */
Test(mime_message, empty_attachment_is_kept)
{
    read_text("From: a@x.example\r\nSubject: vide\r\n"
              "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
              "--b\r\nContent-Type: text/plain\r\n\r\nok\r\n"
              "--b\r\nContent-Type: application/pdf\r\n"
              "Content-Disposition: attachment; filename=\"vide.pdf\"\r\n\r\n\r\n--b--\r\n");
    cr_expect_str_eq(m.text, "ok");
    cr_assert_eq(m.n_attachments, 1);
    cr_expect_str_eq(m.attachments[0].filename, "vide.pdf");
    cr_expect_str_eq(m.attachments[0].content_type, "application/pdf");
    cr_expect_eq(m.attachments[0].len, 0);
    cr_expect_not_null(m.attachments[0].data);
}

Test(mime_message, html_meta_charset_does_not_override_utf8)
{
    /* GMime has made the part UTF-8 already: a <meta> naming Latin-1 must not read it twice. */
    read_text("From: a@b.example\r\nSubject: meta\r\n"
              "Content-Type: text/html; charset=UTF-8\r\n\r\n"
              "<html><head><meta http-equiv=\"Content-Type\" "
              "content=\"text/html; charset=iso-8859-1\"></head>"
              "<body><p>été à Orléans</p></body></html>\r\n");
    cr_expect(m.text_from_html);
    cr_expect_str_eq(m.text, "été à Orléans");
}

/* Bytes that are not UTF-8 anywhere a string comes from: every string still is. */
Test(mime_message, hostile_bytes_come_out_as_utf8)
{
    read_text("From: \xff\xfeNom \xe9 <A\xe9@B.example>\r\n"
              "To: \"\xc3\x28\" <b@x.example>, \xed\xa0\x80@x.example\r\n"
              "Subject: \xff\xfe sujet \xc3\r\n"
              "Message-ID: <\xff\xfe@x>\r\n"
              "In-Reply-To: <\xc0\xaf@x>\r\n"
              "References: <\xe9@x> <ok@x>\r\n"
              "Content-Type: multipart/mixed; boundary=z\r\n\r\n"
              "--z\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbad \xff\xfe\xc3 text\r\n"
              "--z\r\nContent-Type: application/x-\xff\r\n"
              "Content-Disposition: attachment; filename=\"\xff\xe9.bin\"\r\n\r\nxx\r\n"
              "--z\r\nContent-Type: text/html; charset=x-unknown\r\n"
              "Content-Disposition: attachment; filename=\"=?utf-8?b?/w==?=\"\r\n\r\n"
              "<p>\xe9</p>\r\n"
              "--z\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>\xc3\xa9\xff</p>\r\n"
              "--z--\r\n");
    expect_utf8_everywhere();
    cr_expect_eq(m.n_attachments, 2);
    cr_expect_str_eq(m.attachments[1].content_type, "text/html");
}

/* An arena too small for the message: refused, or read with every promised string. The job
 * that archives mail dereferences content_type and filename without checking them. */
Test(mime_message, small_arena_never_gives_missing_strings)
{
    struct fixture f = fixture_read("mail/05-attachments.eml");
    bool missing = false;
    for (size_t cap = 64; cap <= 4096 && !missing; cap += 64) {
        struct arena *small = arena_new(cap);
        cr_assert_not_null(small);
        char error[160];
        if (mime_message_parse((const char *)f.data, f.len, small, &m, error, sizeof(error))) {
            missing = !m.text;
            cr_expect_not_null(m.text, "arena of %zu bytes: no text", cap);
            for (size_t i = 0; i < m.n_attachments; i++) {
                const struct mime_attachment *a = &m.attachments[i];
                missing = missing || !a->filename || !a->content_type;
                cr_expect_not_null(
                    a->filename, "arena of %zu bytes: attachment %zu read without a name", cap, i);
                cr_expect_not_null(a->content_type,
                                   "arena of %zu bytes: attachment %zu read without a type", cap,
                                   i);
            }
        }
        arena_free(small);
    }
    fixture_free(&f);
}

/* lib/html_text on its own: blocks, folded white space, what is left out. */
Test(mime_message, html_text_blocks_and_white_space)
{
    static const char html[] = "<div>Un\n\t  deux<br>trois</div><ul><li>quatre</li><li>cinq"
                               "</li></ul><table><tr><td>a</td><td>b</td></tr></table>"
                               "<style>x{}</style><script>y()</script>&lt;fin&gt; &amp; "
                               "&#x20AC;&#233;";
    cr_expect_str_eq(html_text(html, strlen(html), arena),
                     "Un deux\ntrois\nquatre\ncinq\nab\n<fin> & €é");
    cr_expect_str_eq(html_text("", 0, arena), "");
    cr_expect_str_eq(html_text("<p> </p><br><br>", 16, arena), "");
    /* Only the first len bytes are read. */
    cr_expect_str_eq(html_text("<b>gras</b> et plus", 11, arena), "gras");
}
