#include "lib/letter_rules.h"

#include <stdio.h>
#include <string.h>

bool letter_kind_parse(const char *name, enum letter_kind *kind)
{
    static const char *const names[LETTER_KIND__MAX] = {"lre", "lrar", "simple"};
    for (int i = 0; name && i < LETTER_KIND__MAX; i++) {
        if (strcmp(names[i], name) == 0) {
            *kind = (enum letter_kind)i;
            return true;
        }
    }
    return false;
}

static void add(struct contact_problems *p, enum contact_field field, const char *code,
                const char *message)
{
    if (p->count < CONTACT_PROBLEMS_MAX)
        p->items[p->count++] = (struct contact_problem){field, code, message};
}

static void check_postal_lines(const struct contact *c, struct contact_problems *p)
{
    if (json_utf8_length(c->line1) > LETTER_POSTAL_LINE_MAX)
        add(p, CONTACT_FIELD_LINE1, "line_too_long", "postal address lines hold 38 characters");
    if (json_utf8_length(c->line2) > LETTER_POSTAL_LINE_MAX)
        add(p, CONTACT_FIELD_LINE2, "line_too_long", "postal address lines hold 38 characters");
    /* The last line carries the postal code and the city, separated by a space. */
    if (json_utf8_length(c->postal_code) + 1 + json_utf8_length(c->city) > LETTER_POSTAL_LINE_MAX)
        add(p, CONTACT_FIELD_CITY, "line_too_long",
            "postal code and city together hold 38 characters");
}

bool letter_check_recipient(enum letter_kind kind, const struct contact *c,
                            struct contact_problems *p)
{
    size_t before = p->count;
    switch (kind) {
    case LETTER_LRE:
        if (!*c->email)
            add(p, CONTACT_FIELD_EMAIL, "email_required",
                "an electronic registered letter needs the recipient's e-mail");
        if (c->status == CONTACT_STATUS_UNKNOWN)
            add(p, CONTACT_FIELD_STATUS, "status_required",
                "an electronic registered letter needs the recipient's legal status");
        break;
    case LETTER_LRAR:
        if (!contact_has_full_address(c))
            add(p, CONTACT_FIELD_LINE1, "address_required",
                "a postal registered letter needs a complete postal address");
        else
            check_postal_lines(c, p);
        break;
    case LETTER_SIMPLE:
        if (contact_has_full_address(c))
            check_postal_lines(c, p);
        break;
    case LETTER_KIND__MAX:
        break;
    }
    return p->count == before;
}
