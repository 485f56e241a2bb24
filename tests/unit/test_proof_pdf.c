/* The PDF rendering of signed proofs, and the document writer underneath it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/pdf_document.h"
#include "lib/proof_pdf.h"
#include "pdf_text.h"

/* A canonical record (keys sorted, non-ASCII escaped) as the signer writes it. */
static const char full_record[] =
    "{\"content_sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
    "\"delivery_id\":\"6f1c1b0e-7d1e-4c9a-9a51-0d3f1e2a4b5c\","
    "\"details\":{\"address\":\"zoe.lefevre@example.fr\",\"channel\":\"email\","
    "\"deadline_at\":\"2026-12-08T23:59:59.000000Z\",\"identity\":\"one_time_code\","
    "\"x_custom\":\"valeur libre\"},"
    "\"event\":\"AcceptanceByRecipient\","
    "\"evidence_id\":\"3b0d6c2e-58f4-4f7e-9d0a-1c2b3a4d5e6f\","
    "\"issued_at\":\"2026-11-23T14:05:09.654321Z\","
    "\"key_id\":\"k-2026-01\","
    "\"kind\":\"lre\","
    "\"letter_id\":\"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d\","
    "\"occurred_at\":\"2026-11-23T14:05:07.123456Z\","
    "\"previous_sha256\":\"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\","
    "\"recipient\":{\"address\":{\"city\":\"Saint-\\u00c9tienne\",\"country\":\"FR\","
    "\"line1\":\"12, rue de l'\\u00c9glise\",\"line2\":\"B\\u00e2timent C\","
    "\"postal_code\":\"42000\"},\"company\":\"\\u00c9tudes & Associ\\u00e9s\","
    "\"email\":\"zoe.lefevre@example.fr\",\"first_name\":\"Zo\\u00e9\","
    "\"last_name\":\"Lef\\u00e8vre-Ch\\u00e2telain\",\"status\":\"accepted\"},"
    "\"sender\":{\"email\":\"helene.durand@cabinet-durand.fr\","
    "\"name\":\"Ma\\u00eetre H\\u00e9l\\u00e8ne Durand\",\"team\":\"Cabinet Durand\","
    "\"team_id\":\"0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f\"},"
    "\"seq\":3,"
    "\"team_id\":\"0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f\","
    "\"type\":\"acceptance\","
    "\"v\":1}";

static const char minimal_record[] =
    "{\"occurred_at\":\"2026-01-01T00:30:00+01:00\",\"previous_sha256\":null,\"recipient\":null,"
    "\"type\":\"deposit\"}";

static const char signature[] = "u3Jq0S0x8pXw1Hk2bC4dE6fG8hI0jK2lM4nO6pQ8rS0tU2vW4xY6zA8bC0dE2fG4h"
                                "I6jK8lM0nO2pQ4rS6tU8vWA==";
static const char digest[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

static void render(const char *record, unsigned char **pdf, size_t *len)
{
    cr_assert(proof_pdf_render(record, strlen(record), signature, digest, pdf, len));
    pdf_expect_header(*pdf, *len);
}

TestSuite(proof_pdf);

Test(proof_pdf, full_record_renders_a_pdf)
{
    unsigned char *pdf;
    size_t len;
    render(full_record, &pdf, &len);
    cr_assert(pdf_bytes_contain(pdf, len, "%%EOF"));
    free(pdf);
}

Test(proof_pdf, rendering_is_byte_identical)
{
    unsigned char *a, *b, *c;
    size_t alen, blen, clen;
    render(full_record, &a, &alen);
    render(full_record, &b, &blen);
    cr_assert_eq(alen, blen);
    cr_assert(memcmp(a, b, alen) == 0, "two renders of one proof differ");
    /* Neither the clock nor the local time zone reaches the output. */
    setenv("TZ", "Pacific/Chatham", 1);
    tzset();
    render(full_record, &c, &clen);
    cr_assert_eq(alen, clen);
    cr_assert(memcmp(a, c, alen) == 0, "the time zone changed the output");
    free(a);
    free(b);
    free(c);
}

Test(proof_pdf, minimal_record_renders_deterministically)
{
    unsigned char *a, *b;
    size_t alen, blen;
    render(minimal_record, &a, &alen);
    render(minimal_record, &b, &blen);
    cr_assert_eq(alen, blen);
    cr_assert(memcmp(a, b, alen) == 0);
    free(a);
    free(b);
    /* Nothing but an object, no signature, no digest. */
    cr_assert(proof_pdf_render("{}", 2, NULL, NULL, &a, &alen));
    cr_assert(memcmp(a, "%PDF-", 5) == 0);
    free(a);
    /* Fields of the wrong types are shown as missing. */
    static const char odd[] =
        "{\"type\":7,\"seq\":\"x\",\"sender\":[],\"recipient\":{\"address\":1},"
        "\"details\":{\"channel\":null,\"deadline_at\":5,\"n\":1.5,"
        "\"o\":{\"b\":[1,true]},\"t\":false}}";
    cr_assert(proof_pdf_render(odd, strlen(odd), "", "", &a, &alen));
    free(a);
}

Test(proof_pdf, metadata_dates_come_from_the_record)
{
    unsigned char *pdf;
    size_t len;
    render(full_record, &pdf, &len);
    /* cairo 1.16 writes the date without its "D:" prefix, later versions with it. */
    cr_assert(pdf_bytes_contain(pdf, len, "20261123140509"), "CreationDate is issued_at");
    free(pdf);
}

Test(proof_pdf, extracted_text_holds_the_proof)
{
    if (!pdf_text_available())
        cr_skip_test("pdftotext is not installed (poppler-utils)");
    unsigned char *pdf;
    size_t len;
    render(full_record, &pdf, &len);
    char *text = pdf_text_extract(pdf, len);
    free(pdf);
    static const char *const expected[] = {
        "Preuve d'acceptation",
        "Zoé Lefèvre-Châtelain",
        "3b0d6c2e-58f4-4f7e-9d0a-1c2b3a4d5e6f",
        "23/11/2026 à 14:05:07 UTC",
        "Lettre recommandée électronique",
        "Maître Hélène Durand",
        "12, rue de l'Église",
        "42000 Saint-Étienne",
        "courrier électronique",
        "code à usage unique envoyé à l'adresse du destinataire",
        "Date limite de réponse",
        "08/12/2026 à 23:59:59 UTC",
        "x_custom",
        "valeur libre",
        "n° 3",
        "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
        "Page 1",
        /* Neither the command nor the path is cut across lines. */
        "pli verify-proof",
        "/api/v1/keys",
    };
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
        cr_expect(strstr(text, expected[i]), "missing from the PDF text: %s", expected[i]);
    free(text);
}

Test(proof_pdf, missing_fields_are_dashes)
{
    if (!pdf_text_available())
        cr_skip_test("pdftotext is not installed (poppler-utils)");
    unsigned char *pdf;
    size_t len;
    render(minimal_record, &pdf, &len);
    char *text = pdf_text_extract(pdf, len);
    free(pdf);
    cr_expect(strstr(text, "Preuve de dépôt"));
    cr_expect(strstr(text, "\xe2\x80\x94"), "no dash for missing fields");
    cr_expect(strstr(text, "aucune (premier maillon)"));
    /* The offset is brought back to UTC. */
    cr_expect(strstr(text, "31/12/2025 à 23:30:00 UTC"));
    free(text);
}

Test(proof_pdf, malformed_payload_is_refused)
{
    static const char *const bad[] = {
        "", "{", "[]", "\"text\"", "{\"type\":\"deposit\",\"type\":\"refusal\"}", "{} trailing",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        unsigned char *pdf = (unsigned char *)"x";
        size_t len = 1;
        cr_expect(!proof_pdf_render(bad[i], strlen(bad[i]), signature, digest, &pdf, &len),
                  "accepted: %s", bad[i]);
        cr_expect_null(pdf);
        cr_expect_eq(len, 0);
    }
    unsigned char *pdf;
    size_t len;
    cr_expect(!proof_pdf_render(NULL, 0, signature, digest, &pdf, &len));
    /* An invalid UTF-8 signature is refused rather than drawn. */
    cr_expect(!proof_pdf_render(full_record, strlen(full_record), "\xff\xfe", digest, &pdf, &len));
    cr_expect_null(pdf);
}

TestSuite(proof_pdf_document);

Test(proof_pdf_document, long_text_breaks_pages_with_footers)
{
    struct pdf_document *doc = pdf_document_new("Essai", "2026-01-02T03:04:05Z");
    cr_assert_not_null(doc);
    cr_assert(pdf_document_heading(doc, PDF_HEADING_TITLE, "Essai de mise en page"));
    char *text = malloc(PDF_DOCUMENT_TEXT_MAX + 1);
    cr_assert_not_null(text);
    size_t n = 0;
    while (n + 12 <= PDF_DOCUMENT_TEXT_MAX) {
        memcpy(text + n, "élève café ", 13);
        n += 13;
    }
    text[n] = '\0';
    cr_assert(pdf_document_paragraph(doc, text));
    cr_assert(pdf_document_row(doc, "Libellé", text));
    cr_assert(pdf_document_mono(doc, "00112233445566778899aabbccddeeff"));
    cr_assert(pdf_document_space(doc, 10.0));
    unsigned char *pdf;
    size_t len;
    cr_assert(pdf_document_finish(doc, &pdf, &len));
    cr_assert(memcmp(pdf, "%PDF-", 5) == 0);
    if (pdf_text_available()) {
        char *extracted = pdf_text_extract(pdf, len);
        cr_expect(strstr(extracted, "Page 2"));
        cr_expect(strstr(extracted, "Page 20"));
        free(extracted);
    }
    free(pdf);
    free(text);
}

Test(proof_pdf_document, caps_and_bad_input_are_refused)
{
    cr_expect_null(pdf_document_new("Essai", "hier"));
    cr_expect_null(pdf_document_new("Essai", "2026-13-01T00:00:00Z"));
    cr_expect_null(pdf_document_new("\xc3", "2026-01-01T00:00:00Z"));
    cr_expect_null(pdf_document_new(NULL, "2026-01-01T00:00:00Z"));

    char *big = malloc(PDF_DOCUMENT_TEXT_MAX + 2);
    cr_assert_not_null(big);
    memset(big, 'a', PDF_DOCUMENT_TEXT_MAX + 1);
    big[PDF_DOCUMENT_TEXT_MAX + 1] = '\0';
    struct pdf_document *doc = pdf_document_new("Essai", "2026-01-01T00:00:00.5+02:00");
    cr_assert_not_null(doc);
    cr_expect(!pdf_document_paragraph(doc, big));
    /* The failure sticks: nothing more is drawn and finishing fails. */
    cr_expect(!pdf_document_paragraph(doc, "court"));
    unsigned char *pdf = (unsigned char *)"x";
    size_t len = 1;
    cr_expect(!pdf_document_finish(doc, &pdf, &len));
    cr_expect_null(pdf);
    free(big);

    doc = pdf_document_new("Essai", "2026-01-01T00:00:00Z");
    cr_assert_not_null(doc);
    cr_expect(!pdf_document_row(doc, "Libellé", "\xe2\x82"));
    pdf_document_free(doc);

    doc = pdf_document_new("Essai", "2026-01-01T00:00:00Z");
    cr_assert_not_null(doc);
    cr_expect(!pdf_document_space(doc, -1.0));
    pdf_document_free(doc);
}
