/* The rules a contact must meet through the JSON API: each answers 422 validation_failed
 * naming the field ("address.postal_code") and a code, and nothing is written. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"

/* POSTs a contact (json_pack format) and checks the 422 names this field and code. */
static void expect_refused(const char *field, const char *code, const char *fmt, ...)
{
    struct groups_fixture t;
    groups_setup(&t);
    va_list ap;
    va_start(ap, fmt);
    json_t *v = json_vpack_ex(NULL, 0, fmt, ap);
    va_end(ap);
    cr_assert_not_null(v, "bad json_pack format in test");
    char *text = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_send(
        &t.admin, "POST", groups_path(&t, "/contacts", path, sizeof(path)), text, json_type);
    free(text);
    reply_expect_problem(r, 422, "validation_failed");
    const json_t *e = groups_field_error(r, field);
    cr_assert_not_null(e, "no error on %s: %s", field, r->body);
    cr_assert_str_eq(json_string_value(json_object_get(e, "code")), code, "%s", r->body);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(contact_rules, status_is_required)
{
    expect_refused("status", "required", "{s:s, s:s, s:s}", "email", "a@example.fr", "last_name",
                   "A", "first_name", "A");
}

Test(contact_rules, status_must_be_professional_or_individual)
{
    expect_refused("status", "not_allowed", "{s:s, s:s, s:s, s:s}", "email", "a@example.fr",
                   "last_name", "A", "first_name", "A", "status", "freelance");
}

Test(contact_rules, email_or_address_is_required)
{
    expect_refused("email", "email_or_address_required", "{s:s, s:s, s:s}", "last_name", "A",
                   "first_name", "A", "status", "individual");
}

Test(contact_rules, email_must_be_valid)
{
    expect_refused("email", "invalid_email", "{s:s, s:s, s:s, s:s}", "email", "not-an-email",
                   "last_name", "A", "first_name", "A", "status", "individual");
}

Test(contact_rules, professional_needs_a_company)
{
    expect_refused("company", "company_required", "{s:s, s:s, s:s, s:s}", "email", "a@example.fr",
                   "last_name", "A", "first_name", "A", "status", "professional");
}

Test(contact_rules, last_name_is_required)
{
    expect_refused("last_name", "required", "{s:s, s:s, s:s}", "email", "a@example.fr",
                   "first_name", "A", "status", "individual");
}

Test(contact_rules, address_needs_its_street_line)
{
    expect_refused("address.line1", "required", "{s:s, s:s, s:s, s:{s:s, s:s}}", "last_name", "A",
                   "first_name", "A", "status", "individual", "address", "postal_code", "75001",
                   "city", "Paris");
}

Test(contact_rules, address_needs_its_city)
{
    expect_refused("address.city", "required", "{s:s, s:s, s:s, s:{s:s, s:s}}", "last_name", "A",
                   "first_name", "A", "status", "individual", "address", "line1", "1 rue X",
                   "postal_code", "75001");
}

Test(contact_rules, french_postal_code_has_five_digits)
{
    expect_refused("address.postal_code", "invalid_postal_code",
                   "{s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "last_name", "A", "first_name", "A",
                   "status", "individual", "address", "line1", "1 rue X", "postal_code", "750",
                   "city", "Paris");
}

Test(contact_rules, french_postal_code_is_digits)
{
    expect_refused("address.postal_code", "invalid_postal_code",
                   "{s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "last_name", "A", "first_name", "A",
                   "status", "individual", "address", "line1", "1 rue X", "postal_code", "7500A",
                   "city", "Paris");
}

Test(contact_rules, country_is_two_letters)
{
    expect_refused("address.country", "invalid_country", "{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}",
                   "last_name", "A", "first_name", "A", "status", "individual", "address", "line1",
                   "1 rue X", "postal_code", "1000", "city", "Bruxelles", "country", "B1");
}

Test(contact_rules, unknown_address_field_is_named)
{
    expect_refused("address.zip", "unknown_field", "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}",
                   "email", "a@example.fr", "last_name", "A", "first_name", "A", "status",
                   "individual", "address", "line1", "1 rue X", "postal_code", "75001", "city",
                   "Paris", "zip", "75001");
}

Test(contact_rules, postal_code_must_be_text)
{
    expect_refused("address.postal_code", "wrong_type", "{s:s, s:s, s:s, s:{s:s, s:i, s:s}}",
                   "last_name", "A", "first_name", "A", "status", "individual", "address", "line1",
                   "1 rue X", "postal_code", 75001, "city", "Paris");
}
