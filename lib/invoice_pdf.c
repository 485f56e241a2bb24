#include "lib/invoice_pdf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/labels_fr.h"
#include "lib/pdf_document.h"
#include "lib/rfc3339.h"

#define MISSING "\xe2\x80\x94"  /* — */
#define ELLIPSIS "\xe2\x80\xa6" /* … */
#define NBSP "\xc2\xa0"         /* no-break space: before €, %, : */
#define NNBSP "\xe2\x80\xaf"    /* narrow no-break space: thousands */
/* Used as the PDF's date when issued_at does not parse. */
#define FALLBACK_DATE "1970-01-01T00:00:00Z"

/* Bytes of a cell under construction, and the most shown of each field. */
#define TEXT_SIZE 8192
#define FIELD_MAX 300
#define ADDRESS_MAX 2000
#define REFERENCE_MAX 400
#define CODE_MAX 32
/* Distinct VAT rates broken down in the totals; with more, only the total VAT is shown. */
#define RATES_MAX 16
#define VAT_RATE_BP_MAX 10000
/* INVOICE_PDF_LINES_MAX lines take about 400 pages, 1 100 for registered letters with
 * references of 100 characters that cannot be broken (six text lines a row). */
#define INVOICE_PDF_PAGES_MAX PDF_DOCUMENT_PAGES_LIMIT

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *brand, *name;
} brands[] = {
    {"visa", "Visa"},
    {"mastercard", "Mastercard"},
    {"amex", "American Express"},
    {"cartes_bancaires", "Cartes Bancaires"},
    {"cb", "CB"},
    {"discover", "Discover"},
    {"diners", "Diners Club"},
    {"jcb", "JCB"},
    {"unionpay", "UnionPay"},
};

static const struct pdf_table_column line_columns[] = {
    {75.0, PDF_ALIGN_LEFT},  /* Désignation */
    {22.0, PDF_ALIGN_RIGHT}, /* Quantité */
    {28.0, PDF_ALIGN_RIGHT}, /* Prix unitaire HT */
    {15.0, PDF_ALIGN_RIGHT}, /* TVA */
    {30.0, PDF_ALIGN_RIGHT}, /* Total HT */
};

static const char *const line_headers[COUNT(line_columns)] = {
    "Désignation", "Quantité", "Prix unitaire HT", "TVA", "Total HT",
};

static const struct pdf_table_column total_columns[] = {
    {130.0, PDF_ALIGN_RIGHT},
    {40.0, PDF_ALIGN_RIGHT},
};

static const struct pdf_table_column party_columns[] = {
    {85.0, PDF_ALIGN_LEFT},
    {85.0, PDF_ALIGN_LEFT},
};

/* A capped text under construction; what does not fit is cut and ends with an ellipsis. */
struct text {
    char data[TEXT_SIZE];
    size_t len;
};

static void text_reset(struct text *t)
{
    t->len = 0;
    t->data[0] = '\0';
}

/* Appends at most max bytes of s (NULL adds nothing), cut on a character boundary. */
static void text_add_max(struct text *t, const char *s, size_t max)
{
    if (!s)
        return;
    size_t ellipsis = sizeof(ELLIPSIS) - 1;
    size_t room = TEXT_SIZE - 1 - t->len;
    size_t n = strnlen(s, max + 1);
    bool cut = n > max;
    if (cut)
        n = max;
    if (n + (cut ? ellipsis : 0) > room) {
        cut = true;
        n = room > ellipsis ? room - ellipsis : 0;
    }
    if (cut)
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    if (cut && TEXT_SIZE - 1 - t->len >= ellipsis) {
        memcpy(t->data + t->len, ELLIPSIS, ellipsis);
        t->len += ellipsis;
    }
    t->data[t->len] = '\0';
}

static void text_add(struct text *t, const char *s)
{
    text_add_max(t, s, TEXT_SIZE);
}

/* Adds s (or "—" when NULL), cut at max bytes, on a line of its own. */
static void text_line(struct text *t, const char *s, size_t max)
{
    if (t->len)
        text_add(t, "\n");
    text_add_max(t, s ? s : MISSING, max);
}

/* The string at key, or NULL when absent, not a string or empty. */
static const char *string_at(const json_t *object, const char *key)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s && *s ? s : NULL;
}

/* Writes the digits of value into out, grouped by three with narrow no-break spaces. */
static void group_digits(unsigned long long value, char *out, size_t size)
{
    char digits[24];
    int n = snprintf(digits, sizeof(digits), "%llu", value);
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            if (len + sizeof(NNBSP) > size)
                return;
            memcpy(out + len, NNBSP, sizeof(NNBSP));
            len += sizeof(NNBSP) - 1;
        }
        if (len + 2 > size)
            return;
        out[len++] = digits[i];
        out[len] = '\0';
    }
}

static unsigned long long magnitude(json_int_t value)
{
    return value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
}

/* "1 234,56 €" (narrow no-break space between thousands, no-break space before the symbol). */
static const char *format_cents(json_int_t cents, const char *symbol, char *out, size_t size)
{
    unsigned long long m = magnitude(cents);
    char units[48];
    group_digits(m / 100, units, sizeof(units));
    int n =
        snprintf(out, size, "%s%s,%02llu" NBSP "%s", cents < 0 ? "-" : "", units, m % 100, symbol);
    return n > 0 && (size_t)n < size ? out : MISSING;
}

/* format_cents of an integer, "—" for anything else. */
static const char *format_amount(const json_t *value, const char *symbol, char *out, size_t size)
{
    return json_is_integer(value) ? format_cents(json_integer_value(value), symbol, out, size)
                                  : MISSING;
}

static const char *format_quantity(const json_t *value, char *out, size_t size)
{
    if (!json_is_integer(value))
        return MISSING;
    json_int_t q = json_integer_value(value);
    char digits[48];
    group_digits(magnitude(q), digits, sizeof(digits));
    int n = snprintf(out, size, "%s%s", q < 0 ? "-" : "", digits);
    return n > 0 && (size_t)n < size ? out : MISSING;
}

static bool rate_valid(const json_t *value)
{
    return json_is_integer(value) && json_integer_value(value) >= 0 &&
           json_integer_value(value) <= VAT_RATE_BP_MAX;
}

/* 2000 → "20 %", 550 → "5,5 %", 210 → "2,1 %", 55 → "0,55 %". */
static const char *format_rate(long bp, char *out, size_t size)
{
    int n;
    if (bp % 100 == 0)
        n = snprintf(out, size, "%ld" NBSP "%%", bp / 100);
    else if (bp % 10 == 0)
        n = snprintf(out, size, "%ld,%ld" NBSP "%%", bp / 100, (bp % 100) / 10);
    else
        n = snprintf(out, size, "%ld,%02ld" NBSP "%%", bp / 100, bp % 100);
    return n > 0 && (size_t)n < size ? out : MISSING;
}

static const char *kind_name(const char *kind)
{
    const char *name = labels_fr_letter_kind(kind);
    return name ? name : kind;
}

/* Day of the week of a Gregorian date, 0 for Sunday (Sakamoto). */
static int weekday(int year, int month, int day)
{
    static const int shift[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (month < 3)
        year--;
    int w = (year + year / 4 - year / 100 + year / 400 + shift[month - 1] + day) % 7;
    return w < 0 ? w + 7 : w;
}

/* Brings a UTC time to Europe/Paris under the EU rules in force since 1996: UTC+2 from the last
 * Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC, UTC+1 otherwise. */
static void utc_to_paris(struct rfc3339 *t)
{
    int march = 31 - weekday(t->year, 3, 31), october = 31 - weekday(t->year, 10, 31);
    long at = ((t->month * 100L + t->day) * 100L + t->hour) * 100L + t->minute;
    long start = ((3 * 100L + march) * 100L + 1) * 100L;
    long end = ((10 * 100L + october) * 100L + 1) * 100L;
    int offset = at >= start && at < end ? 120 : 60;
    /* rfc3339_to_utc takes local time minus UTC away: a negative offset moves forward. */
    t->offset_minutes = -offset;
    t->zone = '-';
    rfc3339_to_utc(t);
}

/* "01/11/2026", the date of issued_at in Paris; "—" when it does not parse. */
static const char *issue_date(const char *issued_at, char *out, size_t size)
{
    struct rfc3339 t;
    if (!rfc3339_parse(issued_at, &t))
        return MISSING;
    rfc3339_to_utc(&t);
    utc_to_paris(&t);
    int n = snprintf(out, size, "%02d/%02d/%04d", t.day, t.month, t.year);
    return n > 0 && (size_t)n < size ? out : MISSING;
}

/* issued_at in UTC as the PDF's date (a leap second becomes :59). */
static void document_date(const char *issued_at, char out[RFC3339_FORMAT_SIZE])
{
    struct rfc3339 t;
    if (rfc3339_parse(issued_at, &t)) {
        rfc3339_to_utc(&t);
        if (t.second > 59)
            t.second = 59;
        if (rfc3339_format(&t, out, RFC3339_FORMAT_SIZE))
            return;
    }
    snprintf(out, RFC3339_FORMAT_SIZE, "%s", FALLBACK_DATE);
}

/* "octobre 2026" for "2026-10"; another text is shown as it is, none as "—". */
static void period(struct text *t, const char *month)
{
    if (!month) {
        text_add(t, MISSING);
        return;
    }
    char label[32];
    if (labels_fr_month(month, label, sizeof(label)))
        text_add(t, label);
    else
        text_add_max(t, month, FIELD_MAX);
}

static const char *currency_symbol(const json_t *invoice, char *out, size_t size)
{
    const char *currency = string_at(invoice, "currency");
    if (!currency || strcmp(currency, "EUR") == 0)
        return "€";
    struct text t;
    text_reset(&t);
    text_add_max(&t, currency, CODE_MAX);
    snprintf(out, size, "%s", t.data);
    return out;
}

static void parties(struct pdf_document *doc, const json_t *invoice)
{
    const json_t *seller = json_object_get(invoice, "seller");
    const json_t *team = json_object_get(invoice, "team");
    const json_t *billed_to = json_object_get(invoice, "billed_to");
    struct text left, right;

    text_reset(&left);
    text_add_max(&left, string_at(seller, "name") ? string_at(seller, "name") : MISSING, FIELD_MAX);
    const char *head[] = {left.data, "Facturé à"};
    pdf_document_table_row(doc, head, party_columns, 2, true);

    text_reset(&left);
    text_line(&left, string_at(seller, "address"), ADDRESS_MAX);
    text_line(&left, "SIREN" NBSP ": ", FIELD_MAX);
    text_add_max(&left, string_at(seller, "siren") ? string_at(seller, "siren") : MISSING,
                 FIELD_MAX);
    text_line(&left, "TVA intracommunautaire" NBSP ": ", FIELD_MAX);
    text_add_max(&left, string_at(seller, "vat_number") ? string_at(seller, "vat_number") : MISSING,
                 FIELD_MAX);

    text_reset(&right);
    text_line(&right, string_at(team, "name"), FIELD_MAX);
    text_line(&right, string_at(billed_to, "name"), FIELD_MAX);
    text_line(&right, string_at(billed_to, "email"), FIELD_MAX);
    const char *body[] = {left.data, right.data};
    pdf_document_table_row(doc, body, party_columns, 2, false);
}

static void dates(struct pdf_document *doc, const json_t *invoice)
{
    char date[32];
    struct text t;
    text_reset(&t);
    text_add(&t, "Date d'émission" NBSP ": ");
    text_add(&t, issue_date(string_at(invoice, "issued_at"), date, sizeof(date)));
    text_add(&t, "\nPériode" NBSP ": ");
    period(&t, string_at(invoice, "month"));
    pdf_document_paragraph(doc, t.data);
}

static void line_row(struct pdf_document *doc, const json_t *line, const char *symbol)
{
    struct text designation;
    char quantity[64], unit[96], rate[32], total[96];
    text_reset(&designation);
    const char *kind = kind_name(string_at(line, "kind"));
    text_add_max(&designation, kind ? kind : MISSING, FIELD_MAX);
    const char *reference = string_at(line, "reference");
    if (reference) {
        text_add(&designation, "\nRéf. ");
        text_add_max(&designation, reference, REFERENCE_MAX);
    } else {
        text_add(&designation, "\nSans référence");
    }
    const json_t *bp = json_object_get(line, "vat_rate_bp");
    const char *cells[COUNT(line_columns)] = {
        designation.data,
        format_quantity(json_object_get(line, "quantity"), quantity, sizeof(quantity)),
        format_amount(json_object_get(line, "unit_cents"), symbol, unit, sizeof(unit)),
        rate_valid(bp) ? format_rate((long)json_integer_value(bp), rate, sizeof(rate)) : MISSING,
        format_amount(json_object_get(line, "total_excl_cents"), symbol, total, sizeof(total)),
    };
    pdf_document_table_row(doc, cells, line_columns, (int)COUNT(line_columns), false);
}

/* The VAT of one rate: its base and the sum of its lines' rounded VAT. */
struct rate {
    long bp;
    json_int_t base, vat;
};

static int compare_rates(const void *a, const void *b)
{
    long x = ((const struct rate *)a)->bp, y = ((const struct rate *)b)->bp;
    return (x > y) - (x < y);
}

/* round(excl * bp / 10000), half away from zero, into *vat; false on overflow. */
static bool line_vat(json_int_t excl, long bp, json_int_t *vat)
{
    unsigned long long m = magnitude(excl);
    if (bp > 0 && m > (ULLONG_MAX - 5000) / (unsigned long long)bp)
        return false;
    unsigned long long v = (m * (unsigned long long)bp + 5000) / 10000;
    if (v > LLONG_MAX)
        return false;
    *vat = excl < 0 ? -(json_int_t)v : (json_int_t)v;
    return true;
}

/* The lines' rates in increasing order; 0 when some line has no valid rate or total, a sum
 * overflows, or there are more than RATES_MAX. */
static size_t rates_of(const json_t *lines, struct rate *rates)
{
    size_t count = 0, i;
    const json_t *line;
    json_array_foreach(lines, i, line)
    {
        const json_t *bp = json_object_get(line, "vat_rate_bp");
        const json_t *excl = json_object_get(line, "total_excl_cents");
        json_int_t vat;
        if (!rate_valid(bp) || !json_is_integer(excl))
            return 0;
        long rate = (long)json_integer_value(bp);
        json_int_t base = json_integer_value(excl);
        if (!line_vat(base, rate, &vat))
            return 0;
        size_t r = 0;
        while (r < count && rates[r].bp != rate)
            r++;
        if (r == count) {
            if (count == RATES_MAX)
                return 0;
            rates[count++] = (struct rate){rate, 0, 0};
        }
        if (__builtin_add_overflow(rates[r].base, base, &rates[r].base) ||
            __builtin_add_overflow(rates[r].vat, vat, &rates[r].vat))
            return 0;
    }
    qsort(rates, count, sizeof(rates[0]), compare_rates);
    return count;
}

static void total_row(struct pdf_document *doc, const char *label, const char *amount, bool bold)
{
    const char *cells[] = {label, amount};
    pdf_document_table_row(doc, cells, total_columns, 2, bold);
}

static void totals(struct pdf_document *doc, const json_t *invoice, const char *symbol)
{
    char amount[96], base[96], rate[32], label[256];
    total_row(
        doc, "Total HT",
        format_amount(json_object_get(invoice, "total_excl_cents"), symbol, amount, sizeof(amount)),
        false);
    struct rate rates[RATES_MAX];
    size_t count = rates_of(json_object_get(invoice, "lines"), rates);
    const char *vat =
        format_amount(json_object_get(invoice, "vat_cents"), symbol, amount, sizeof(amount));
    if (count == 1) {
        snprintf(label, sizeof(label), "TVA %s", format_rate(rates[0].bp, rate, sizeof(rate)));
        total_row(doc, label, vat, false);
    } else if (count > 1) {
        for (size_t r = 0; r < count; r++) {
            snprintf(label, sizeof(label), "TVA %s sur %s",
                     format_rate(rates[r].bp, rate, sizeof(rate)),
                     format_cents(rates[r].base, symbol, base, sizeof(base)));
            char shown[96];
            total_row(doc, label, format_cents(rates[r].vat, symbol, shown, sizeof(shown)), false);
        }
        total_row(doc, "Total TVA", vat, false);
    } else {
        total_row(doc, "TVA", vat, false);
    }
    total_row(
        doc, "Total TTC",
        format_amount(json_object_get(invoice, "total_incl_cents"), symbol, amount, sizeof(amount)),
        true);
}

static const char *brand_name(const char *brand)
{
    if (!brand)
        return "Carte";
    for (size_t i = 0; i < COUNT(brands); i++)
        if (strcmp(brands[i].brand, brand) == 0)
            return brands[i].name;
    return brand;
}

static void payment(struct pdf_document *doc, const json_t *invoice)
{
    const json_t *method = json_object_get(invoice, "payment_method");
    if (!json_is_object(method)) {
        pdf_document_paragraph(doc, "Aucun moyen de paiement enregistré.");
        return;
    }
    struct text t;
    const char *last4 = string_at(method, "last4");
    const char *provider = string_at(method, "provider");
    text_reset(&t);
    text_add(&t, "Moyen de paiement" NBSP ": ");
    text_add_max(&t, brand_name(string_at(method, "brand")), FIELD_MAX);
    text_add(&t, " se terminant par ");
    text_add_max(&t, last4 ? last4 : MISSING, CODE_MAX);
    if (provider) {
        text_add(&t, " (");
        text_add_max(&t, provider, FIELD_MAX);
        text_add(&t, ")");
    }
    text_add(&t, ", prélevé à réception de la facture.");
    pdf_document_paragraph(doc, t.data);
}

bool invoice_pdf_render(const json_t *invoice, unsigned char **pdf, size_t *len)
{
    if (!pdf || !len)
        return false;
    *pdf = NULL;
    *len = 0;
    const char *number = string_at(invoice, "number");
    const json_t *lines = json_object_get(invoice, "lines");
    if (!json_is_object(invoice) || !number || !json_is_array(lines) ||
        json_array_size(lines) > INVOICE_PDF_LINES_MAX)
        return false;

    struct text title;
    char date[RFC3339_FORMAT_SIZE], symbol_buffer[CODE_MAX + 8];
    text_reset(&title);
    text_add(&title, "Facture n° ");
    text_add_max(&title, number, FIELD_MAX);
    document_date(string_at(invoice, "issued_at"), date);
    struct pdf_document *doc = pdf_document_new(title.data, date);
    if (!doc)
        return false;
    const char *symbol = currency_symbol(invoice, symbol_buffer, sizeof(symbol_buffer));
    pdf_document_set_pages_max(doc, INVOICE_PDF_PAGES_MAX);

    pdf_document_heading(doc, PDF_HEADING_TITLE, title.data);
    parties(doc, invoice);
    pdf_document_space(doc, 4.0);
    dates(doc, invoice);
    pdf_document_space(doc, 2.0);

    pdf_document_table_header(doc, line_headers, line_columns, (int)COUNT(line_columns));
    size_t i;
    const json_t *line;
    json_array_foreach(lines, i, line)
    {
        line_row(doc, line, symbol);
    }
    if (json_array_size(lines) == 0) {
        const char *none[COUNT(line_columns)] = {"Aucune prestation facturée", "", "", "", ""};
        pdf_document_table_row(doc, none, line_columns, (int)COUNT(line_columns), false);
    }
    pdf_document_table_end(doc);
    pdf_document_rule(doc);
    totals(doc, invoice, symbol);
    pdf_document_space(doc, 6.0);

    payment(doc, invoice);
    pdf_document_paragraph(
        doc, "Paiement à réception. En cas de retard de paiement, une indemnité forfaitaire pour "
             "frais de recouvrement de 40" NBSP "€ est due (art. L441-10 du Code de commerce), "
             "ainsi que des pénalités au taux d'intérêt légal majoré de 10 points.");
    return pdf_document_finish(doc, pdf, len);
}
