#include "lib/contact.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const field_names[CONTACT_FIELD__MAX] = {
    [CONTACT_FIELD_EMAIL] = "email",
    [CONTACT_FIELD_LAST_NAME] = "last_name",
    [CONTACT_FIELD_FIRST_NAME] = "first_name",
    [CONTACT_FIELD_COMPANY] = "company",
    [CONTACT_FIELD_STATUS] = "status",
    [CONTACT_FIELD_LINE1] = "address.line1",
    [CONTACT_FIELD_LINE2] = "address.line2",
    [CONTACT_FIELD_POSTAL_CODE] = "address.postal_code",
    [CONTACT_FIELD_CITY] = "address.city",
    [CONTACT_FIELD_COUNTRY] = "address.country",
};

static const char *const status_names[CONTACT_STATUS__MAX] = {
    [CONTACT_STATUS_UNKNOWN] = "",
    [CONTACT_STATUS_PROFESSIONAL] = "professional",
    [CONTACT_STATUS_INDIVIDUAL] = "individual",
};

const char *contact_field_name(enum contact_field field)
{
    return field < CONTACT_FIELD__MAX ? field_names[field] : "";
}

const char *contact_status_name(enum contact_status status)
{
    return status < CONTACT_STATUS__MAX ? status_names[status] : "";
}

/* Base letters of U+00C0..U+00FF (the Latin-1 letters French and its neighbours use). */
static const char latin1_base[64] = "aaaaaaaceeeeiiiidnooooo*ouuuuytsaaaaaaaceeeeiiiidnooooo/ouuuuyty";

/* Drops an incomplete UTF-8 character left at the end of s by a cut. */
static void cut_to_character(char *s)
{
    size_t len = strlen(s), lead = len;
    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead == 0)
        return;
    unsigned char c = (unsigned char)s[lead - 1];
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (len - (lead - 1) < need)
        s[lead - 1] = '\0';
}

/* Folds a word for comparison: lower case, accents dropped (Latin-1 letters, Œ, Ÿ), spaces,
 * dots, dashes and underscores removed. */
static void fold(const char *in, char *out, size_t size)
{
    size_t n = 0;
    while (*in && n + 2 < size) {
        unsigned char c = (unsigned char)in[0], next = (unsigned char)in[1];
        if (c == 0xC3 && next >= 0x80 && next <= 0xBF) {
            out[n++] = latin1_base[next - 0x80];
            in += 2;
        } else if (c == 0xC5 && (next == 0x92 || next == 0x93)) { /* Œ œ */
            out[n++] = 'o';
            out[n++] = 'e';
            in += 2;
        } else if (c == 0xC5 && next == 0xB8) { /* Ÿ */
            out[n++] = 'y';
            in += 2;
        } else {
            if (c != ' ' && c != '.' && c != '-' && c != '_' && c != '\t')
                out[n++] = (char)tolower(c);
            in++;
        }
    }
    out[n] = '\0';
    if (*in)
        cut_to_character(out); /* cut short: never in the middle of a character */
}

enum contact_status contact_parse_status(const char *text)
{
    static const struct {
        const char *word;
        enum contact_status status;
    } words[] = {
        {"professional", CONTACT_STATUS_PROFESSIONAL}, {"professionnel", CONTACT_STATUS_PROFESSIONAL},
        {"professionnelle", CONTACT_STATUS_PROFESSIONAL}, {"pro", CONTACT_STATUS_PROFESSIONAL},
        {"business", CONTACT_STATUS_PROFESSIONAL},      {"entreprise", CONTACT_STATUS_PROFESSIONAL},
        {"societe", CONTACT_STATUS_PROFESSIONAL},       {"individual", CONTACT_STATUS_INDIVIDUAL},
        {"particulier", CONTACT_STATUS_INDIVIDUAL},     {"particuliere", CONTACT_STATUS_INDIVIDUAL},
        {"private", CONTACT_STATUS_INDIVIDUAL},         {"person", CONTACT_STATUS_INDIVIDUAL},
        {"personne", CONTACT_STATUS_INDIVIDUAL},        {"personnephysique", CONTACT_STATUS_INDIVIDUAL},
    };
    char folded[64];
    if (!text || strlen(text) >= sizeof(folded))
        return CONTACT_STATUS_UNKNOWN;
    fold(text, folded, sizeof(folded));
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(folded, words[i].word) == 0)
            return words[i].status;
    return CONTACT_STATUS_UNKNOWN;
}

/* Removes leading and trailing white space in place. */
static void trim(char *s)
{
    if (!s)
        return;
    char *start = s;
    while (*start && isspace((unsigned char)*start))
        start++;
    size_t len = strlen(start);
    while (len > 0 && isspace((unsigned char)start[len - 1]))
        len--;
    memmove(s, start, len);
    s[len] = '\0';
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

void contact_normalise(struct contact *c)
{
    char *fields[] = {c->email, c->last_name, c->first_name, c->company,     c->line1,
                      c->line2, c->postal_code, c->city,      c->country};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        trim(fields[i]);
    for (char *p = c->email; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (char *p = c->country; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    if (!*c->country)
        memcpy(c->country, CONTACT_DEFAULT_COUNTRY, sizeof(CONTACT_DEFAULT_COUNTRY));
    bool french = strcmp(c->country, CONTACT_DEFAULT_COUNTRY) == 0;
    /* A French postal code typed into a spreadsheet as a number loses its leading zero. The
     * buffer always has room: callers allocate postal codes with CONTACT_POSTAL_CODE_MAX. */
    if (french && strlen(c->postal_code) == 4 && all_digits(c->postal_code)) {
        memmove(c->postal_code + 1, c->postal_code, 5);
        c->postal_code[0] = '0';
    }
}

bool contact_has_full_address(const struct contact *c)
{
    return *c->line1 && *c->postal_code && *c->city;
}

bool contact_has_any_address(const struct contact *c)
{
    return *c->line1 || *c->line2 || *c->postal_code || *c->city;
}

static void add(struct contact_problems *p, enum contact_field field, const char *code,
                const char *message)
{
    if (p->count < CONTACT_PROBLEMS_MAX)
        p->items[p->count++] = (struct contact_problem){field, code, message};
}

static bool too_long(const char *s, size_t max)
{
    return json_utf8_length(s) > max;
}

static bool has_control_chars(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static void check_text(struct contact_problems *p, enum contact_field field, const char *value,
                       size_t max)
{
    if (too_long(value, max))
        add(p, field, "too_long", "is too long");
    else if (has_control_chars(value))
        add(p, field, "invalid_characters", "contains control characters");
}

static void check_address(const struct contact *c, struct contact_problems *p)
{
    if (!contact_has_any_address(c))
        return;
    if (!*c->line1)
        add(p, CONTACT_FIELD_LINE1, "address_incomplete", "the street address is missing");
    if (!*c->postal_code)
        add(p, CONTACT_FIELD_POSTAL_CODE, "address_incomplete", "the postal code is missing");
    if (!*c->city)
        add(p, CONTACT_FIELD_CITY, "address_incomplete", "the city is missing");
    check_text(p, CONTACT_FIELD_LINE1, c->line1, CONTACT_LINE_MAX);
    check_text(p, CONTACT_FIELD_LINE2, c->line2, CONTACT_LINE_MAX);
    check_text(p, CONTACT_FIELD_CITY, c->city, CONTACT_CITY_MAX);
    if (too_long(c->postal_code, CONTACT_POSTAL_CODE_MAX - 1))
        add(p, CONTACT_FIELD_POSTAL_CODE, "too_long", "is too long");
    bool french = strcmp(c->country, CONTACT_DEFAULT_COUNTRY) == 0;
    if (french && *c->postal_code && (strlen(c->postal_code) != 5 || !all_digits(c->postal_code)))
        add(p, CONTACT_FIELD_POSTAL_CODE, "invalid_postal_code",
            "a French postal code has five digits");
}

bool contact_validate(const struct contact *c, struct contact_problems *p)
{
    p->count = 0;
    if (*c->email && !json_is_email(c->email))
        add(p, CONTACT_FIELD_EMAIL, "invalid_email", "is not a valid e-mail address");
    if (!*c->email && !contact_has_any_address(c))
        add(p, CONTACT_FIELD_EMAIL, "email_or_address_required",
            "an e-mail address or a postal address is required");
    if (!*c->last_name)
        add(p, CONTACT_FIELD_LAST_NAME, "required", "the last name is required");
    if (!*c->first_name)
        add(p, CONTACT_FIELD_FIRST_NAME, "required", "the first name is required");
    check_text(p, CONTACT_FIELD_LAST_NAME, c->last_name, CONTACT_NAME_MAX);
    check_text(p, CONTACT_FIELD_FIRST_NAME, c->first_name, CONTACT_NAME_MAX);
    check_text(p, CONTACT_FIELD_COMPANY, c->company, CONTACT_COMPANY_MAX);
    if (c->status == CONTACT_STATUS_UNKNOWN)
        add(p, CONTACT_FIELD_STATUS, "invalid_status",
            "the legal status must be professional or individual");
    else if (c->status == CONTACT_STATUS_PROFESSIONAL && !*c->company)
        add(p, CONTACT_FIELD_COMPANY, "company_required",
            "a professional recipient needs a company name");
    if (strlen(c->country) != 2 || !isupper((unsigned char)c->country[0]) ||
        !isupper((unsigned char)c->country[1]))
        add(p, CONTACT_FIELD_COUNTRY, "invalid_country", "must be an ISO 3166-1 two-letter code");
    check_address(c, p);
    return p->count == 0;
}

void contact_dedupe_key(const struct contact *c, char *out, size_t size)
{
    if (*c->email) {
        snprintf(out, size, "%s", c->email);
        return;
    }
    char last[CONTACT_NAME_MAX * 4 + 1], first[CONTACT_NAME_MAX * 4 + 1];
    char line[CONTACT_LINE_MAX * 4 + 1], postal[CONTACT_POSTAL_CODE_MAX * 4 + 1];
    fold(c->last_name, last, sizeof(last));
    fold(c->first_name, first, sizeof(first));
    fold(c->line1, line, sizeof(line));
    fold(c->postal_code, postal, sizeof(postal));
    if (snprintf(out, size, "postal:%s|%s|%s|%s|%s", last, first, line, postal, c->country) >=
        (int)size)
        cut_to_character(out);
}
