#include "lib/proof_pdf.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/labels_fr.h"
#include "lib/pdf_document.h"
#include "lib/rfc3339.h"

/* A signed record is a few kilobytes; anything near this is not one. */
#define PROOF_PDF_PAYLOAD_MAX (1024u * 1024u)
/* Unknown keys of details shown, in key order. */
#define UNKNOWN_DETAILS_MAX 64
#define MISSING "\xe2\x80\x94"  /* — */
#define ELLIPSIS "\xe2\x80\xa6" /* … */
/* Used as the PDF's date when the record carries none that parses. */
#define FALLBACK_DATE "1970-01-01T00:00:00Z"
/* "ETSI EN 319 522" kept on one line (no-break spaces). */
#define EVENT_LABEL "Événement (ETSI EN\u00a0319\u00a0522)"

static const struct {
    const char *type, *title;
} titles[] = {
    {"deposit", "Preuve de dépôt"},
    {"notification", "Preuve de notification"},
    {"acceptance", "Preuve d'acceptation"},
    {"refusal", "Preuve de refus"},
    {"negligence", "Preuve de négligence"},
    {"bounce", "Preuve de non-distribution (rejet du courriel)"},
    {"delivery", "Preuve de distribution"},
    {"return", "Preuve de retour à l'expéditeur"},
    {"failure", "Preuve d'échec de l'envoi"},
};

enum detail_format {
    DETAIL_TEXT,     /* the value as it is */
    DETAIL_CHANNEL,  /* email | postal */
    DETAIL_IDENTITY, /* one_time_code */
    DETAIL_DATE,     /* RFC 3339 */
    DETAIL_ADDRESS,  /* an e-mail address or a postal address object */
    DETAIL_HASH,     /* hex, in monospace */
    DETAIL__MAX
};

/* Known keys of details, in the order they are shown. */
static const struct {
    const char *key, *label;
    enum detail_format format;
} detail_keys[] = {
    {"channel", "Canal", DETAIL_CHANNEL},
    {"address", "Adresse de notification", DETAIL_ADDRESS},
    {"deadline_at", "Date limite de réponse", DETAIL_DATE},
    {"identity", "Vérification d'identité", DETAIL_IDENTITY},
    {"smtp_reply", "Réponse du serveur de messagerie", DETAIL_TEXT},
    {"carrier", "Opérateur postal", DETAIL_TEXT},
    {"carrier_reference", "Référence de l'opérateur", DETAIL_TEXT},
    {"carrier_event_id", "Identifiant de l'événement de l'opérateur", DETAIL_TEXT},
    {"carrier_proof_sha256", "Empreinte de la preuve de l'opérateur", DETAIL_HASH},
    {"reason", "Motif", DETAIL_TEXT},
};

/* Values of details shown in words. */
static const struct {
    const char *key, *value, *text;
} value_names[] = {
    {"channel", "email", "courrier électronique"},
    {"channel", "postal", "voie postale"},
    {"identity", "one_time_code", "code à usage unique envoyé à l'adresse du destinataire"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A capped text under construction; past the cap it ends with an ellipsis. */
struct text {
    char *data; /* PDF_DOCUMENT_TEXT_MAX + 1 bytes */
    size_t len;
    bool full;
};

static void text_reset(struct text *t)
{
    t->len = 0;
    t->full = false;
    t->data[0] = '\0';
}

static void text_add(struct text *t, const char *s)
{
    if (t->full || !s)
        return;
    size_t n = strlen(s);
    size_t limit = PDF_DOCUMENT_TEXT_MAX - (sizeof(ELLIPSIS) - 1);
    if (n > limit - t->len) {
        n = limit - t->len;
        /* Cut on a character boundary: never before a continuation byte. */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        memcpy(t->data + t->len, s, n);
        t->len += n;
        memcpy(t->data + t->len, ELLIPSIS, sizeof(ELLIPSIS));
        t->len += sizeof(ELLIPSIS) - 1;
        t->full = true;
        return;
    }
    memcpy(t->data + t->len, s, n + 1);
    t->len += n;
}

/* Adds s on a line of its own (after a newline when the text is not empty). */
static void text_line(struct text *t, const char *s)
{
    if (!s || !*s)
        return;
    if (t->len)
        text_add(t, "\n");
    text_add(t, s);
}

static const char *text_or_missing(const struct text *t)
{
    return t->len ? t->data : MISSING;
}

/* The string at key, or NULL when absent, not a string or empty. */
static const char *string_at(const json_t *object, const char *key)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s && *s ? s : NULL;
}

static const char *or_missing(const char *s)
{
    return s ? s : MISSING;
}

/* The date-time at text in UTC, when it is RFC 3339; fractional seconds are dropped. */
static bool utc_time(const char *text, struct rfc3339 *t)
{
    if (!rfc3339_parse(text, t))
        return false;
    rfc3339_to_utc(t);
    return true;
}

/* "23/11/2026 à 14:05:07 UTC"; a value that does not parse is shown as it is. */
static const char *format_date(const char *text, char *out, size_t size)
{
    struct rfc3339 t;
    if (!text)
        return MISSING;
    if (!utc_time(text, &t))
        return text;
    int n = snprintf(out, size, "%02d/%02d/%04d \xc3\xa0 %02d:%02d:%02d UTC", t.day, t.month,
                     t.year, t.hour, t.minute, t.second);
    return n > 0 && (size_t)n < size ? out : text;
}

/* The record's date as cairo metadata: issued_at, else occurred_at, in UTC. */
static void document_date(const json_t *record, char out[RFC3339_FORMAT_SIZE])
{
    const char *keys[] = {"issued_at", "occurred_at"};
    for (size_t i = 0; i < COUNT(keys); i++) {
        struct rfc3339 t;
        if (!utc_time(string_at(record, keys[i]), &t))
            continue;
        if (t.second > 59)
            t.second = 59;
        if (rfc3339_format(&t, out, RFC3339_FORMAT_SIZE))
            return;
    }
    snprintf(out, RFC3339_FORMAT_SIZE, "%s", FALLBACK_DATE);
}

static const char *title_of(const char *type)
{
    for (size_t i = 0; type && i < COUNT(titles); i++)
        if (strcmp(titles[i].type, type) == 0)
            return titles[i].title;
    return "Preuve";
}

static const char *kind_name(const char *kind)
{
    const char *name = labels_fr_letter_kind(kind);
    return name ? name : or_missing(kind);
}

/* Lines of a postal address object. */
static void address_lines(struct text *t, const json_t *address)
{
    text_line(t, string_at(address, "line1"));
    text_line(t, string_at(address, "line2"));
    const char *postal_code = string_at(address, "postal_code");
    const char *city = string_at(address, "city");
    if (postal_code || city) {
        if (t->len)
            text_add(t, "\n");
        text_add(t, postal_code);
        if (postal_code && city)
            text_add(t, " ");
        text_add(t, city);
    }
    text_line(t, string_at(address, "country"));
}

/* Any JSON value as text: strings as they are, numbers, oui/non, structures as compact JSON. */
static void value_text(struct text *t, const json_t *value)
{
    char number[64];
    switch (json_typeof(value)) {
    case JSON_STRING:
        text_add(t, json_string_value(value));
        break;
    case JSON_INTEGER:
        snprintf(number, sizeof(number), "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        text_add(t, number);
        break;
    case JSON_REAL:
        snprintf(number, sizeof(number), "%.17g", json_real_value(value));
        text_add(t, number);
        break;
    case JSON_TRUE:
        text_add(t, "oui");
        break;
    case JSON_FALSE:
        text_add(t, "non");
        break;
    case JSON_OBJECT:
    case JSON_ARRAY: {
        char *dump = json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS);
        text_add(t, dump);
        free(dump);
        break;
    }
    case JSON_NULL:
        break;
    }
}

static const char *value_name(const char *key, const char *value)
{
    for (size_t i = 0; value && i < COUNT(value_names); i++)
        if (strcmp(value_names[i].key, key) == 0 && strcmp(value_names[i].value, value) == 0)
            return value_names[i].text;
    return value;
}

static bool detail_row(struct pdf_document *doc, struct text *t, const char *key, const char *label,
                       enum detail_format format, const json_t *value)
{
    char date[64];
    text_reset(t);
    if (!value)
        return pdf_document_row(doc, label, MISSING);
    switch (format) {
    case DETAIL_CHANNEL:
    case DETAIL_IDENTITY:
        if (json_is_string(value)) {
            text_add(t, value_name(key, json_string_value(value)));
            break;
        }
        value_text(t, value);
        break;
    case DETAIL_DATE:
        if (json_is_string(value)) {
            text_add(t, format_date(json_string_value(value), date, sizeof(date)));
            break;
        }
        value_text(t, value);
        break;
    case DETAIL_ADDRESS:
        if (json_is_object(value)) {
            address_lines(t, value);
            break;
        }
        value_text(t, value);
        break;
    case DETAIL_HASH:
        value_text(t, value);
        if (t->len)
            return pdf_document_row_mono(doc, label, t->data);
        break;
    case DETAIL_TEXT:
    case DETAIL__MAX:
        value_text(t, value);
        break;
    }
    return pdf_document_row(doc, label, text_or_missing(t));
}

static bool known_detail(const char *key)
{
    for (size_t i = 0; i < COUNT(detail_keys); i++)
        if (strcmp(detail_keys[i].key, key) == 0)
            return true;
    return false;
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Known keys in table order, then the others sorted by key. */
static void details_rows(struct pdf_document *doc, struct text *t, const json_t *details)
{
    if (!json_is_object(details))
        return;
    for (size_t i = 0; i < COUNT(detail_keys); i++) {
        const json_t *value = json_object_get(details, detail_keys[i].key);
        if (value)
            detail_row(doc, t, detail_keys[i].key, detail_keys[i].label, detail_keys[i].format,
                       value);
    }
    const char *unknown[UNKNOWN_DETAILS_MAX];
    size_t count = 0, skipped = 0;
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)details, key, value)
    {
        if (known_detail(key))
            continue;
        if (count < UNKNOWN_DETAILS_MAX)
            unknown[count++] = key;
        else
            skipped++;
    }
    qsort(unknown, count, sizeof(unknown[0]), compare_keys);
    for (size_t i = 0; i < count; i++)
        detail_row(doc, t, unknown[i], unknown[i], DETAIL_TEXT,
                   json_object_get(details, unknown[i]));
    if (skipped) {
        char note[96];
        snprintf(note, sizeof(note), "%zu autres champs non affich\xc3\xa9s", skipped);
        pdf_document_row(doc, ELLIPSIS, note);
    }
}

static void party_rows(struct pdf_document *doc, struct text *t, const json_t *record)
{
    const json_t *sender = json_object_get(record, "sender");
    text_reset(t);
    text_line(t, string_at(sender, "name"));
    text_line(t, string_at(sender, "email"));
    text_line(t, string_at(sender, "team"));
    pdf_document_row(doc, "Expéditeur", text_or_missing(t));

    const json_t *recipient = json_object_get(record, "recipient");
    const char *first = string_at(recipient, "first_name");
    const char *last = string_at(recipient, "last_name");
    text_reset(t);
    text_add(t, first);
    if (first && last)
        text_add(t, " ");
    text_add(t, last);
    text_line(t, string_at(recipient, "company"));
    text_line(t, string_at(recipient, "email"));
    const json_t *address = json_object_get(recipient, "address");
    if (json_is_object(address))
        address_lines(t, address);
    pdf_document_row(doc, "Destinataire", text_or_missing(t));
}

static void integrity_rows(struct pdf_document *doc, const json_t *record,
                           const char *signature_base64, const char *sha256_hex)
{
    pdf_document_heading(doc, PDF_HEADING_SECTION, "Intégrité");

    const json_t *seq = json_object_get(record, "seq");
    char number[64];
    if (json_is_integer(seq))
        snprintf(number, sizeof(number), "n\xc2\xb0 %" JSON_INTEGER_FORMAT,
                 json_integer_value(seq));
    else
        snprintf(number, sizeof(number), "%s", MISSING);
    pdf_document_row(doc, "Maillon", number);

    const json_t *previous = json_object_get(record, "previous_sha256");
    const char *previous_hex = string_at(record, "previous_sha256");
    if (previous_hex)
        pdf_document_row_mono(doc, "Preuve précédente (SHA-256)", previous_hex);
    else
        pdf_document_row(doc, "Preuve précédente (SHA-256)",
                         json_is_null(previous) ? "aucune (premier maillon)" : MISSING);

    if (sha256_hex && *sha256_hex)
        pdf_document_row_mono(doc, "Empreinte de cette preuve (SHA-256)", sha256_hex);
    else
        pdf_document_row(doc, "Empreinte de cette preuve (SHA-256)", MISSING);
    pdf_document_row(doc, "Clé de signature", or_missing(string_at(record, "key_id")));
    if (signature_base64 && *signature_base64)
        pdf_document_row_mono(doc, "Signature Ed25519 (base64)", signature_base64);
    else
        pdf_document_row(doc, "Signature Ed25519 (base64)", MISSING);

    pdf_document_space(doc, 4.0);
    pdf_document_paragraph(
        doc, "La version JSON de cette preuve contient les octets exacts qui ont été signés ; "
             "ce document n'en est qu'une présentation lisible. Pour la vérifier, utilisez la "
             "commande \xc2\xab\xc2\xa0pli verify-proof\xc2\xa0\xc2\xbb ou toute bibliothèque "
             "Ed25519, avec la clé publique publiée à l'adresse /api/v1/keys.");
}

bool proof_pdf_render(const char *payload, size_t len, const char *signature_base64,
                      const char *sha256_hex, unsigned char **pdf, size_t *pdf_len)
{
    *pdf = NULL;
    *pdf_len = 0;
    if (!payload || len > PROOF_PDF_PAYLOAD_MAX)
        return false;
    json_error_t error;
    json_t *record = json_loadb(payload, len, JSON_REJECT_DUPLICATES, &error);
    if (!json_is_object(record)) {
        json_decref(record);
        return false;
    }
    struct text t = {malloc(PDF_DOCUMENT_TEXT_MAX + 1), 0, false};
    char date[RFC3339_FORMAT_SIZE], shown[64];
    document_date(record, date);
    const char *title = title_of(string_at(record, "type"));
    struct pdf_document *doc = t.data ? pdf_document_new(title, date) : NULL;
    if (!doc) {
        free(t.data);
        json_decref(record);
        return false;
    }

    pdf_document_heading(doc, PDF_HEADING_TITLE, title);
    pdf_document_row(doc, EVENT_LABEL, or_missing(string_at(record, "event")));
    pdf_document_row(doc, "Identifiant de la preuve", or_missing(string_at(record, "evidence_id")));
    pdf_document_row(doc, "Date de l'événement",
                     format_date(string_at(record, "occurred_at"), shown, sizeof(shown)));
    pdf_document_row(doc, "Émise le",
                     format_date(string_at(record, "issued_at"), shown, sizeof(shown)));
    pdf_document_row(doc, "Lettre", or_missing(string_at(record, "letter_id")));
    pdf_document_row(doc, "Type de lettre", kind_name(string_at(record, "kind")));
    party_rows(doc, &t, record);
    const char *content = string_at(record, "content_sha256");
    if (content)
        pdf_document_row_mono(doc, "Empreinte du contenu (SHA-256)", content);
    else
        pdf_document_row(doc, "Empreinte du contenu (SHA-256)", MISSING);
    details_rows(doc, &t, json_object_get(record, "details"));
    integrity_rows(doc, record, signature_base64, sha256_hex);

    bool ok = pdf_document_finish(doc, pdf, pdf_len);
    free(t.data);
    json_decref(record);
    return ok;
}
