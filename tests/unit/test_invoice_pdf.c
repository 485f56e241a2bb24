/* The PDF of monthly invoices, and the table rows of the document writer it uses. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/invoice_pdf.h"
#include "lib/pdf_document.h"
#include "pdf_text.h"

/* Three lines, two kinds, two references and one null, one line of 400 (thousands shown):
 * 1 047 + 611 + 139 600 = 141 258 HT; VAT 209 + 122 + 27 920 = 28 251; 169 509 TTC. */
static const char full_invoice[] =
    "{\"number\":\"F000042\",\"month\":\"2026-10\","
    "\"issued_at\":\"2026-11-01T00:05:00.123456Z\","
    "\"team\":{\"id\":\"0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f\","
    "\"name\":\"\\u00c9tude Lef\\u00e8vre & Associ\\u00e9s\"},"
    "\"billed_to\":{\"name\":\"Anne Martin\",\"email\":\"anne@example.com\"},"
    "\"seller\":{\"name\":\"Pli SAS\",\"address\":\"12, rue de l'\\u00c9glise\\n75011 Paris\","
    "\"siren\":\"123456789\",\"vat_number\":\"FR12123456789\"},"
    "\"payment_method\":{\"provider\":\"stripe\",\"brand\":\"visa\",\"last4\":\"4242\"},"
    "\"lines\":["
    "{\"kind\":\"lre\",\"reference\":\"DOSSIER-12\",\"quantity\":3,\"unit_cents\":349,"
    "\"vat_rate_bp\":2000,\"total_excl_cents\":1047},"
    "{\"kind\":\"lrar\",\"reference\":null,\"quantity\":1,\"unit_cents\":611,"
    "\"vat_rate_bp\":2000,\"total_excl_cents\":611},"
    "{\"kind\":\"lre\",\"reference\":\"Succession Dupr\\u00e9\",\"quantity\":400,"
    "\"unit_cents\":349,\"vat_rate_bp\":2000,\"total_excl_cents\":139600}],"
    "\"total_excl_cents\":141258,\"vat_cents\":28251,\"total_incl_cents\":169509,"
    "\"currency\":\"EUR\"}";

static json_t *load(const char *text)
{
    json_error_t error;
    json_t *json = json_loads(text, JSON_REJECT_DUPLICATES, &error);
    cr_assert_not_null(json, "bad test JSON: %s", error.text);
    return json;
}

static void render(const json_t *invoice, unsigned char **pdf, size_t *len)
{
    cr_assert(invoice_pdf_render(invoice, pdf, len));
    pdf_expect_header(*pdf, *len);
}

/* Pages of a PDF written by cairo: "/Type /Page" objects, not "/Type /Pages". */
static int page_count(const unsigned char *data, size_t len)
{
    static const char needle[] = "/Type /Page";
    size_t n = sizeof(needle) - 1;
    int count = 0;
    for (size_t i = 0; i + n < len; i++)
        if (memcmp(data + i, needle, n) == 0 && data[i + n] != 's')
            count++;
    return count;
}

static size_t occurrences(const char *text, const char *needle)
{
    size_t count = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        count++;
    return count;
}

/* An invoice of n lines of kind, each with its own reference ("DOSSIER-<n>", or when long
 * that followed by x up to 100 characters, the most a letter's reference holds). */
static json_t *long_invoice(size_t n, const char *kind, bool long_references)
{
    json_t *invoice = load(full_invoice);
    json_t *lines = json_array();
    for (size_t i = 0; i < n; i++) {
        char reference[128];
        int len = snprintf(reference, sizeof(reference), "DOSSIER-%zu", i + 1);
        if (long_references) {
            memset(reference + len, 'x', 100 - (size_t)len);
            reference[100] = '\0';
        }
        json_array_append_new(lines, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i}", "kind", kind,
                                               "reference", reference, "quantity", 1, "unit_cents",
                                               349, "vat_rate_bp", 2000, "total_excl_cents", 349));
    }
    json_object_set_new(invoice, "lines", lines);
    return invoice;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

TestSuite(invoice_pdf);

Test(invoice_pdf, full_invoice_is_deterministic)
{
    json_t *invoice = load(full_invoice);
    unsigned char *a, *b, *c;
    size_t alen, blen, clen;
    render(invoice, &a, &alen);
    render(invoice, &b, &blen);
    cr_assert_eq(alen, blen);
    cr_assert(memcmp(a, b, alen) == 0, "two renders of one invoice differ");
    /* Neither the clock nor the local time zone reaches the output. */
    setenv("TZ", "Pacific/Chatham", 1);
    tzset();
    render(invoice, &c, &clen);
    cr_assert_eq(alen, clen);
    cr_assert(memcmp(a, c, alen) == 0, "the time zone changed the output");
    /* cairo 1.16 writes the date without its "D:" prefix, later versions with it. */
    cr_expect(pdf_bytes_contain(a, alen, "20261101000500"), "CreationDate is issued_at");
    cr_expect(pdf_bytes_contain(a, alen, "%%EOF"));
    cr_expect_eq(page_count(a, alen), 1);
    free(a);
    free(b);
    free(c);
    json_decref(invoice);
}

Test(invoice_pdf, extracted_text_holds_the_invoice)
{
    if (!pdf_text_available())
        cr_skip_test("pdftotext is not installed (poppler-utils)");
    json_t *invoice = load(full_invoice);
    unsigned char *pdf;
    size_t len;
    render(invoice, &pdf, &len);
    char *text = pdf_text_extract(pdf, len);
    free(pdf);
    static const char *const expected[] = {
        "Facture n° F000042",
        "Pli SAS",
        "12, rue de l'Église",
        "75011 Paris",
        "SIREN : 123456789",
        "TVA intracommunautaire : FR12123456789",
        "Facturé à",
        "Étude Lefèvre & Associés",
        "Anne Martin",
        "anne@example.com",
        "Date d'émission : 01/11/2026",
        "Période : octobre 2026",
        "Désignation",
        "Quantité",
        "Lettre recommandée électronique",
        "Lettre recommandée avec accusé de",
        "Réf. DOSSIER-12",
        "Réf. Succession Dupré",
        "Sans référence",
        "3,49 €",
        "10,47 €",
        "6,11 €",
        "1 396,00 €",
        "20 %",
        "Total HT",
        "1 412,58 €",
        "TVA 20 %",
        "282,51 €",
        "Total TTC",
        "1 695,09 €",
        ("Moyen de paiement : Visa se terminant par 4242 (stripe), prélevé à réception de la "
         "facture."),
        "indemnité forfaitaire pour frais de",
        "L441-10 du Code de commerce",
        "Page 1",
    };
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
        cr_expect(strstr(text, expected[i]), "missing from the PDF text: %s", expected[i]);
    cr_expect_null(strstr(text, "Aucun moyen de paiement"));
    cr_expect_null(strstr(text, "\xe2\x80\x94"), "a dash for a field that is there");
    free(text);
    json_decref(invoice);
}

Test(invoice_pdf, several_rates_are_broken_down)
{
    if (!pdf_text_available())
        cr_skip_test("pdftotext is not installed (poppler-utils)");
    json_t *invoice = load(full_invoice);
    /* The third line at 5,5 %: 139 600 × 5,5 % = 7 678; with 209 + 122 at 20 %, 8 009. */
    json_t *third = json_array_get(json_object_get(invoice, "lines"), 2);
    json_object_set_new(third, "vat_rate_bp", json_integer(550));
    json_object_set_new(invoice, "vat_cents", json_integer(8009));
    json_object_set_new(invoice, "total_incl_cents", json_integer(149267));
    unsigned char *pdf;
    size_t len;
    render(invoice, &pdf, &len);
    char *text = pdf_text_extract(pdf, len);
    free(pdf);
    cr_expect(strstr(text, "TVA 5,5 % sur 1 396,00 €"), "%s", text);
    cr_expect(strstr(text, "76,78 €"));
    cr_expect(strstr(text, "TVA 20 % sur 16,58 €"));
    cr_expect(strstr(text, "3,31 €"));
    cr_expect(strstr(text, "Total TVA"));
    cr_expect(strstr(text, "80,09 €"));
    cr_expect(strstr(text, "1 492,67 €"));
    free(text);
    json_decref(invoice);
}

Test(invoice_pdf, issue_date_is_taken_in_paris)
{
    if (!pdf_text_available())
        cr_skip_test("pdftotext is not installed (poppler-utils)");
    static const struct {
        const char *issued_at, *shown;
    } cases[] = {
        {"2026-10-31T23:30:00Z", "01/11/2026"},      /* UTC+1 in winter */
        {"2026-07-31T22:30:00Z", "01/08/2026"},      /* UTC+2 in summer */
        {"2026-07-31T21:59:59Z", "31/07/2026"},      /* not yet */
        {"2026-03-29T00:59:00Z", "29/03/2026"},      /* 01:59 just before the change */
        {"2026-10-25T00:30:00Z", "25/10/2026"},      /* 02:30 summer time */
        {"2026-12-31T23:00:00Z", "01/01/2027"},      /* across the year */
        {"2026-11-01T00:30:00+02:00", "31/10/2026"}, /* 22:30 UTC, 23:30 in Paris */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *invoice = load(full_invoice);
        json_object_set_new(invoice, "issued_at", json_string(cases[i].issued_at));
        unsigned char *pdf;
        size_t len;
        render(invoice, &pdf, &len);
        char *text = pdf_text_extract(pdf, len);
        char expected[64];
        snprintf(expected, sizeof(expected), "Date d'émission : %s", cases[i].shown);
        cr_expect(strstr(text, expected), "%s: %s not found", cases[i].issued_at, expected);
        free(text);
        free(pdf);
        json_decref(invoice);
    }
}

Test(invoice_pdf, three_hundred_lines_span_pages)
{
    json_t *invoice = long_invoice(300, "lre", false);
    unsigned char *a, *b;
    size_t alen, blen;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    render(invoice, &a, &alen);
    double elapsed = seconds_since(&start);
    cr_log_info("300 lines: %d pages, %zu bytes, %.3f s", page_count(a, alen), alen, elapsed);
    cr_expect_gt(page_count(a, alen), 3);
    render(invoice, &b, &blen);
    cr_assert_eq(alen, blen);
    cr_expect(memcmp(a, b, alen) == 0, "two renders of one long invoice differ");
    if (pdf_text_available()) {
        char *text = pdf_text_extract(a, alen);
        cr_expect(strstr(text, "Réf. DOSSIER-1\n"));
        cr_expect(strstr(text, "Réf. DOSSIER-300"));
        cr_expect(strstr(text, "Page 2"));
        cr_expect(strstr(text, "Total TTC"));
        /* The table's header is repeated at the top of every page it runs onto. */
        cr_expect_gt(occurrences(text, "Désignation"), 3);
        free(text);
    }
    free(a);
    free(b);
    json_decref(invoice);
}

Test(invoice_pdf, the_largest_invoice_renders, .timeout = 120)
{
    /* The worst case: lines of three text lines (the registered letter's name is wrapped), then
     * references that cannot be broken, about 1 100 pages. */
    json_t *invoice = long_invoice(INVOICE_PDF_LINES_MAX, "lrar", true);
    unsigned char *pdf;
    size_t len;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    render(invoice, &pdf, &len);
    cr_log_info("%d lines: %d pages, %zu bytes, %.3f s", INVOICE_PDF_LINES_MAX,
                page_count(pdf, len), len, seconds_since(&start));
    free(pdf);
    /* One more line is refused. */
    json_array_append(json_object_get(invoice, "lines"),
                      json_array_get(json_object_get(invoice, "lines"), 0));
    pdf = (unsigned char *)"x";
    len = 1;
    cr_expect(!invoice_pdf_render(invoice, &pdf, &len));
    cr_expect_null(pdf);
    cr_expect_eq(len, 0);
    json_decref(invoice);
}

Test(invoice_pdf, missing_fields_are_dashes)
{
    json_t *invoice = load("{\"number\":\"F000001\",\"lines\":[]}");
    unsigned char *pdf;
    size_t len;
    render(invoice, &pdf, &len);
    /* No date: the PDF is dated 1970, the same every time. */
    cr_expect(pdf_bytes_contain(pdf, len, "19700101000000"));
    if (pdf_text_available()) {
        char *text = pdf_text_extract(pdf, len);
        cr_expect(strstr(text, "Facture n° F000001"));
        cr_expect(strstr(text, "Date d'émission : \xe2\x80\x94"));
        cr_expect(strstr(text, "Période : \xe2\x80\x94"));
        cr_expect(strstr(text, "SIREN : \xe2\x80\x94"));
        cr_expect(strstr(text, "Aucune prestation facturée"));
        cr_expect(strstr(text, "Aucun moyen de paiement enregistré."));
        cr_expect(strstr(text, "Total TTC"));
        free(text);
    }
    free(pdf);
    json_decref(invoice);

    /* Fields of the wrong types, odd lines, odd values: shown as dashes or as they are. */
    invoice = load("{\"number\":\"F000002\",\"month\":\"octobre\",\"issued_at\":\"hier\","
                   "\"team\":[],\"billed_to\":{\"name\":5},\"seller\":\"Pli\","
                   "\"payment_method\":{\"brand\":\"maestro\"},\"currency\":\"USD\","
                   "\"lines\":[1,null,{},{\"kind\":\"express\",\"reference\":7,"
                   "\"quantity\":-2,\"unit_cents\":-9223372036854775807,"
                   "\"vat_rate_bp\":10001,\"total_excl_cents\":1.5}],"
                   "\"total_excl_cents\":\"12\",\"vat_cents\":null,"
                   "\"total_incl_cents\":-123456789}");
    render(invoice, &pdf, &len);
    if (pdf_text_available()) {
        char *text = pdf_text_extract(pdf, len);
        cr_expect(strstr(text, "Période : octobre"));
        cr_expect(strstr(text, "express"));
        /* A price too wide for its column is wrapped there rather than spill over. */
        cr_expect(strstr(text, "758,07"));
        cr_expect(strstr(text, "-1 234 567,89 USD"));
        cr_expect(strstr(text, "maestro se terminant par \xe2\x80\x94, prélevé"));
        free(text);
    }
    free(pdf);
    json_decref(invoice);
}

Test(invoice_pdf, long_texts_are_cut)
{
    json_t *invoice = load(full_invoice);
    size_t size = 200000;
    char *big = malloc(size + 1);
    cr_assert_not_null(big);
    for (size_t i = 0; i < size; i += 2)
        memcpy(big + i, "\xc3\xa9", 2); /* é */
    big[size] = '\0';
    json_object_set_new(json_object_get(invoice, "seller"), "address", json_string(big));
    json_object_set_new(invoice, "number", json_string(big));
    json_t *line = json_array_get(json_object_get(invoice, "lines"), 0);
    json_object_set_new(line, "reference", json_string(big));
    json_object_set_new(line, "kind", json_string(big));
    unsigned char *pdf;
    size_t len;
    render(invoice, &pdf, &len);
    free(pdf);
    free(big);
    json_decref(invoice);
}

Test(invoice_pdf, malformed_input_is_refused)
{
    static const char *const bad[] = {
        "[]",
        "\"F000042\"",
        "12",
        "null",
        "{}",
        "{\"lines\":[]}",
        "{\"number\":\"\",\"lines\":[]}",
        "{\"number\":42,\"lines\":[]}",
        "{\"number\":null,\"lines\":[]}",
        "{\"number\":\"F000042\"}",
        "{\"number\":\"F000042\",\"lines\":null}",
        "{\"number\":\"F000042\",\"lines\":{}}",
        "{\"number\":\"F000042\",\"lines\":\"x\"}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_error_t error;
        json_t *invoice = json_loads(bad[i], JSON_DECODE_ANY, &error);
        cr_assert_not_null(invoice, "bad test JSON: %s", bad[i]);
        unsigned char *pdf = (unsigned char *)"x";
        size_t len = 1;
        cr_expect(!invoice_pdf_render(invoice, &pdf, &len), "accepted: %s", bad[i]);
        cr_expect_null(pdf);
        cr_expect_eq(len, 0);
        json_decref(invoice);
    }
    unsigned char *pdf = (unsigned char *)"x";
    size_t len = 1;
    cr_expect(!invoice_pdf_render(NULL, &pdf, &len));
    cr_expect_null(pdf);
    json_t *invoice = load(full_invoice);
    cr_expect(!invoice_pdf_render(invoice, NULL, &len));
    cr_expect(!invoice_pdf_render(invoice, &pdf, NULL));
    json_decref(invoice);
}

TestSuite(invoice_pdf_document);

static const struct pdf_table_column columns[] = {
    {100.0, PDF_ALIGN_LEFT},
    {40.0, PDF_ALIGN_RIGHT},
    {30.0, PDF_ALIGN_RIGHT},
};

Test(invoice_pdf_document, table_rows_wrap_align_and_repeat_the_header)
{
    struct pdf_document *doc = pdf_document_new("Tableau", "2026-01-02T03:04:05Z");
    cr_assert_not_null(doc);
    const char *header[] = {"Libellé", "Nombre", "Montant"};
    cr_assert(pdf_document_table_header(doc, header, columns, 3));
    for (int i = 0; i < 120; i++) {
        char label[160], count[16];
        snprintf(label, sizeof(label),
                 "Ligne %d, un libellé assez long pour passer à la ligne "
                 "dans sa colonne\nseconde ligne",
                 i + 1);
        snprintf(count, sizeof(count), "%d", i + 1);
        const char *cells[] = {label, count, "1,00 €"};
        cr_assert(pdf_document_table_row(doc, cells, columns, 3, i == 119));
    }
    cr_assert(pdf_document_table_end(doc));
    cr_assert(pdf_document_rule(doc));
    cr_assert(pdf_document_paragraph(doc, "Fin du tableau."));
    unsigned char *pdf;
    size_t len;
    cr_assert(pdf_document_finish(doc, &pdf, &len));
    cr_expect_gt(page_count(pdf, len), 2);
    if (pdf_text_available()) {
        char *text = pdf_text_extract(pdf, len);
        cr_expect_eq(occurrences(text, "Nombre"), (size_t)page_count(pdf, len));
        cr_expect(strstr(text, "Ligne 120"));
        cr_expect(strstr(text, "Fin du tableau."));
        free(text);
    }
    free(pdf);
}

Test(invoice_pdf_document, page_cap_can_be_set)
{
    struct pdf_document *doc = pdf_document_new("Pages", "2026-01-01T00:00:00Z");
    cr_assert_not_null(doc);
    cr_assert(pdf_document_set_pages_max(doc, 2));
    const char *cells[] = {"ligne\nligne\nligne\nligne"};
    bool ok = true;
    for (int i = 0; i < 200 && ok; i++)
        ok = pdf_document_table_row(doc, cells, columns, 1, false);
    cr_expect(!ok, "a third page was started");
    unsigned char *pdf = (unsigned char *)"x";
    size_t len = 1;
    cr_expect(!pdf_document_finish(doc, &pdf, &len));
    cr_expect_null(pdf);

    static const int bad[] = {0, -1, PDF_DOCUMENT_PAGES_LIMIT + 1};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        doc = pdf_document_new("Pages", "2026-01-01T00:00:00Z");
        cr_assert_not_null(doc);
        cr_expect(!pdf_document_set_pages_max(doc, bad[i]), "accepted %d", bad[i]);
        cr_expect(!pdf_document_paragraph(doc, "court"));
        pdf_document_free(doc);
    }
    doc = pdf_document_new("Pages", "2026-01-01T00:00:00Z");
    cr_assert_not_null(doc);
    cr_expect(pdf_document_set_pages_max(doc, PDF_DOCUMENT_PAGES_LIMIT));
    cr_expect(pdf_document_paragraph(doc, "court"));
    pdf_document_free(doc);
}

Test(invoice_pdf_document, bad_tables_are_refused)
{
    const char *cells[] = {"a", "b", "c"};
    struct pdf_table_column wide[] = {{100.0, PDF_ALIGN_LEFT}, {71.0, PDF_ALIGN_LEFT}};
    struct pdf_table_column narrow[] = {{4.0, PDF_ALIGN_LEFT}};
    struct pdf_table_column unaligned[] = {{40.0, PDF_ALIGN__MAX}};
    const char *bad_text[] = {"\xc3"};
    struct {
        const char *const *cells;
        const struct pdf_table_column *columns;
        int n;
    } cases[] = {
        {cells, columns, 0},   {cells, columns, PDF_DOCUMENT_COLUMNS_MAX + 1},
        {NULL, columns, 1},    {cells, NULL, 1},
        {cells, wide, 2},      {cells, narrow, 1},
        {cells, unaligned, 1}, {bad_text, columns, 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pdf_document *doc = pdf_document_new("Tableau", "2026-01-01T00:00:00Z");
        cr_assert_not_null(doc);
        cr_expect(!pdf_document_table_row(doc, cases[i].cells, cases[i].columns, cases[i].n, false),
                  "case %zu accepted", i);
        /* The failure sticks. */
        cr_expect(!pdf_document_paragraph(doc, "court"));
        pdf_document_free(doc);
        doc = pdf_document_new("Tableau", "2026-01-01T00:00:00Z");
        cr_assert_not_null(doc);
        cr_expect(!pdf_document_table_header(doc, cases[i].cells, cases[i].columns, cases[i].n),
                  "header %zu accepted", i);
        pdf_document_free(doc);
    }
}
