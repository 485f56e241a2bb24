/* The contact rules shared by the API and imports: status words, normalisation, validation
 * codes and fields, de-duplication keys. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/contact.h"
#include "lib/text_encoding.h"

/* A contact over writable buffers, as the handlers build it. */
struct contact_buf {
    char text[CONTACT_FIELD__MAX][512];
    struct contact c;
};

static struct contact *make(struct contact_buf *b, const char *email, const char *last,
                            const char *first, const char *company, const char *status,
                            const char *line1, const char *postal_code, const char *city,
                            const char *country)
{
    const char *values[CONTACT_FIELD__MAX] = {email, last, first,       company, "",
                                              line1, "",   postal_code, city,    country};
    for (int i = 0; i < CONTACT_FIELD__MAX; i++)
        snprintf(b->text[i], sizeof(b->text[i]), "%s", values[i] ? values[i] : "");
    b->c = (struct contact){
        .email = b->text[CONTACT_FIELD_EMAIL],
        .last_name = b->text[CONTACT_FIELD_LAST_NAME],
        .first_name = b->text[CONTACT_FIELD_FIRST_NAME],
        .company = b->text[CONTACT_FIELD_COMPANY],
        .status = contact_parse_status(status),
        .line1 = b->text[CONTACT_FIELD_LINE1],
        .line2 = b->text[CONTACT_FIELD_LINE2],
        .postal_code = b->text[CONTACT_FIELD_POSTAL_CODE],
        .city = b->text[CONTACT_FIELD_CITY],
        .country = b->text[CONTACT_FIELD_COUNTRY],
    };
    contact_normalise(&b->c);
    return &b->c;
}

/* Validates; returns the only problem's "field:code", "" when valid (fails on several). */
static const char *only_problem(const struct contact *c)
{
    static char out[128];
    struct contact_problems p;
    bool ok = contact_validate(c, &p);
    cr_assert_eq(ok, p.count == 0);
    cr_assert_leq(p.count, 1, "%zu problems, first %s:%s", p.count,
                  contact_field_name(p.items[0].field), p.items[0].code);
    if (p.count == 0)
        return "";
    snprintf(out, sizeof(out), "%s:%s", contact_field_name(p.items[0].field), p.items[0].code);
    return out;
}

Test(contact, status_words_people_type_are_understood)
{
    static const struct {
        const char *text;
        enum contact_status status;
    } cases[] = {
        {"professional", CONTACT_STATUS_PROFESSIONAL},
        {"Professionnel", CONTACT_STATUS_PROFESSIONAL},
        {"PRO", CONTACT_STATUS_PROFESSIONAL},
        {" pro ", CONTACT_STATUS_PROFESSIONAL},
        {"Société", CONTACT_STATUS_PROFESSIONAL},
        {"professionnelle", CONTACT_STATUS_PROFESSIONAL},
        {"individual", CONTACT_STATUS_INDIVIDUAL},
        {"PARTICULIER", CONTACT_STATUS_INDIVIDUAL},
        {"Particulière", CONTACT_STATUS_INDIVIDUAL},
        {"PARTICULIÈRE", CONTACT_STATUS_INDIVIDUAL},
        {"personne physique", CONTACT_STATUS_INDIVIDUAL},
        {"entreprise", CONTACT_STATUS_PROFESSIONAL},
        {"Business", CONTACT_STATUS_PROFESSIONAL},
        {"SOCIÉTÉ", CONTACT_STATUS_PROFESSIONAL},
        {"personne", CONTACT_STATUS_INDIVIDUAL},
        {"Private", CONTACT_STATUS_INDIVIDUAL},
        {"person", CONTACT_STATUS_INDIVIDUAL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_assert_eq(contact_parse_status(cases[i].text), cases[i].status, "%s", cases[i].text);
}

Test(contact, other_words_are_no_status)
{
    static const char *const words[] = {"",
                                        "prof",
                                        "professionals",
                                        "particuliers",
                                        "E-mail",
                                        "Statut",
                                        "individual individual individual individual "
                                        "individual individual"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        cr_assert_eq(contact_parse_status(words[i]), CONTACT_STATUS_UNKNOWN, "%s", words[i]);
    cr_assert_eq(contact_parse_status(NULL), CONTACT_STATUS_UNKNOWN);
}

Test(contact, normalise_trims_lowers_the_email_and_uppers_the_country)
{
    struct contact_buf b;
    struct contact *c =
        make(&b, "  Alice@Example.FR ", " Durand\t", "Alice", "", "individual", "", "", "", " be ");
    cr_assert_str_eq(c->email, "alice@example.fr");
    cr_assert_str_eq(c->last_name, "Durand");
    cr_assert_str_eq(c->country, "BE");
}

Test(contact, country_defaults_to_france)
{
    struct contact_buf b;
    cr_assert_str_eq(make(&b, "a@b.fr", "A", "B", "", "individual", "", "", "", "")->country, "FR");
}

Test(contact, four_digit_french_postal_code_gets_its_zero_back)
{
    struct contact_buf b;
    cr_assert_str_eq(
        make(&b, "", "A", "B", "", "pro", "1 rue X", " 6000 ", "Nice", "")->postal_code, "06000");
    cr_assert_str_eq(
        make(&b, "", "A", "B", "", "pro", "1 rue X", "75001", "Paris", "fr")->postal_code, "75001");
}

Test(contact, foreign_or_odd_postal_codes_are_left_alone)
{
    struct contact_buf b;
    cr_assert_str_eq(make(&b, "", "A", "B", "", "pro", "x", "1000", "Bruxelles", "BE")->postal_code,
                     "1000");
    cr_assert_str_eq(make(&b, "", "A", "B", "", "pro", "x", "600", "Nice", "")->postal_code, "600");
    cr_assert_str_eq(make(&b, "", "A", "B", "", "pro", "x", "6A00", "Nice", "")->postal_code,
                     "6A00");
}

Test(contact, valid_contacts_pass)
{
    struct contact_buf b;
    cr_assert_str_eq(only_problem(make(&b, "a@b.fr", "A", "B", "", "individual", "", "", "", "")),
                     "");
    cr_assert_str_eq(
        only_problem(make(&b, "", "A", "B", "ACME", "pro", "1 rue X", "6000", "Nice", "")), "");
}

Test(contact, each_rule_names_its_field_and_code)
{
    struct contact_buf b;
    static const struct {
        const char *fields[9];
        const char *expected;
    } cases[] = {
        {{"", "A", "B", "", "individual", "", "", "", ""}, "email:email_or_address_required"},
        {{"a@@b.fr", "A", "B", "", "individual", "", "", "", ""}, "email:invalid_email"},
        {{"a@b.fr", "", "B", "", "individual", "", "", "", ""}, "last_name:required"},
        {{"a@b.fr", "A", "", "", "individual", "", "", "", ""}, "first_name:required"},
        {{"a@b.fr", "A", "B", "", "", "", "", "", ""}, "status:invalid_status"},
        {{"a@b.fr", "A", "B", "", "professionnel", "", "", "", ""}, "company:company_required"},
        {{"a@b.fr", "A", "B", "", "individual", "", "", "", "FRA"},
         "address.country:invalid_country"},
        {{"", "A", "B", "", "individual", "", "75001", "Paris", ""},
         "address.line1:address_incomplete"},
        {{"", "A", "B", "", "individual", "1 rue X", "", "Paris", ""},
         "address.postal_code:address_incomplete"},
        {{"", "A", "B", "", "individual", "1 rue X", "75001", "", ""},
         "address.city:address_incomplete"},
        {{"", "A", "B", "", "individual", "1 rue X", "7500A", "Paris", ""},
         "address.postal_code:invalid_postal_code"},
        {{"a@b.fr", "A\tB", "B", "", "individual", "", "", "", ""}, "last_name:invalid_characters"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *const *f = cases[i].fields;
        cr_assert_str_eq(
            only_problem(make(&b, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8])),
            cases[i].expected, "case %zu", i);
    }
}

Test(contact, lengths_count_characters_not_bytes)
{
    struct contact_buf b;
    char name[512] = "";
    for (int i = 0; i < CONTACT_NAME_MAX; i++)
        snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s", "é");
    cr_assert_str_eq(only_problem(make(&b, "a@b.fr", name, "B", "", "individual", "", "", "", "")),
                     "");
    snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s", "é");
    cr_assert_str_eq(only_problem(make(&b, "a@b.fr", name, "B", "", "individual", "", "", "", "")),
                     "last_name:too_long");
}

Test(contact, dedupe_key_is_the_email_when_there_is_one)
{
    struct contact_buf b;
    char key[1024];
    contact_dedupe_key(
        make(&b, "Alice@Example.fr", "A", "B", "", "individual", "1 rue X", "75001", "Paris", ""),
        key, sizeof(key));
    cr_assert_str_eq(key, "alice@example.fr");
}

Test(contact, dedupe_key_without_email_ignores_case_and_accents)
{
    struct contact_buf b1, b2, b3;
    char k1[1024], k2[1024], k3[1024];
    contact_dedupe_key(make(&b1, "", "Lefèvre", "Benoît", "", "individual", "12 rue de la Paix",
                            "6000", "Nice", ""),
                       k1, sizeof(k1));
    contact_dedupe_key(make(&b2, "", "LEFEVRE", "benoit", "", "individual", "12 Rue de la Paix",
                            "06000", "NICE", "fr"),
                       k2, sizeof(k2));
    contact_dedupe_key(make(&b3, "", "Lefèvre", "Benoît", "", "individual", "14 rue de la Paix",
                            "06000", "Nice", ""),
                       k3, sizeof(k3));
    cr_assert_str_eq(k1, k2);
    cr_assert_str_neq(k1, k3);
}

Test(contact, dedupe_key_of_long_names_in_four_byte_characters_stays_utf8)
{
    /* 100 characters of 4 bytes each in the names and the street: folded and joined, they are
     * cut to fit, and a cut never splits a character. */
    char long_text[CONTACT_NAME_MAX * 4 + 1] = "";
    for (int i = 0; i < CONTACT_NAME_MAX; i++)
        snprintf(long_text + strlen(long_text), sizeof(long_text) - strlen(long_text), "%s", "\xF0\x9F\x98\x80");
    struct contact_buf b;
    char key[1024];
    contact_dedupe_key(
        make(&b, "", long_text, long_text, "", "individual", long_text, "75001", "Paris", ""), key,
        sizeof(key));
    size_t len = strlen(key);
    cr_assert_gt(len, 1000);
    cr_assert_eq(strncmp(key, "postal:", 7), 0);
    cr_assert(text_is_utf8(key, len), "a cut in the middle of a character (%zu bytes)", len);
}

Test(contact, dedupe_key_without_email_ignores_accents_on_capitals)
{
    /* First names whose capitals carry accents too (Noël, Loïc...), written both ways. */
    static const char *const pairs[][2] = {
        {"Noël", "NOËL"},
        {"Loïc", "LOÏC"},
        {"Dührer", "DÜHRER"},
        {"Àlain", "àlain"},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        struct contact_buf b1, b2;
        char k1[1024], k2[1024];
        contact_dedupe_key(
            make(&b1, "", "Martin", pairs[i][0], "", "individual", "1 rue X", "75001", "Paris", ""),
            k1, sizeof(k1));
        contact_dedupe_key(
            make(&b2, "", "Martin", pairs[i][1], "", "individual", "1 rue X", "75001", "Paris", ""),
            k2, sizeof(k2));
        cr_assert_str_eq(k1, k2, "%s and %s", pairs[i][0], pairs[i][1]);
    }
}
