/* A recipient's details and the rules they must meet, shared by groups, imports and letters. */
#ifndef PLI_CONTACT_H
#define PLI_CONTACT_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/json_spec.h"

#define CONTACT_NAME_MAX 100
#define CONTACT_COMPANY_MAX 200
#define CONTACT_LINE_MAX 100
#define CONTACT_CITY_MAX 100
#define CONTACT_POSTAL_CODE_MAX 16
#define CONTACT_DEFAULT_COUNTRY "FR"

enum contact_status {
    CONTACT_STATUS_UNKNOWN,
    CONTACT_STATUS_PROFESSIONAL,
    CONTACT_STATUS_INDIVIDUAL,
    CONTACT_STATUS__MAX
};

/* Every field is a NUL-terminated string, "" when absent (the caller owns the memory; the
 * postal code has room for CONTACT_POSTAL_CODE_MAX bytes and the country for 3). */
struct contact {
    char *email; /* lower-cased by contact_normalise */
    char *last_name;
    char *first_name;
    char *company;
    enum contact_status status;
    char *line1;
    char *line2;
    char *postal_code;
    char *city;
    char *country; /* ISO 3166-1 alpha-2, upper-cased; "" means the default */
};

/* Which field a problem is about, so that imports can name spreadsheet columns. */
enum contact_field {
    CONTACT_FIELD_EMAIL,
    CONTACT_FIELD_LAST_NAME,
    CONTACT_FIELD_FIRST_NAME,
    CONTACT_FIELD_COMPANY,
    CONTACT_FIELD_STATUS,
    CONTACT_FIELD_LINE1,
    CONTACT_FIELD_LINE2,
    CONTACT_FIELD_POSTAL_CODE,
    CONTACT_FIELD_CITY,
    CONTACT_FIELD_COUNTRY,
    CONTACT_FIELD__MAX
};

struct contact_problem {
    enum contact_field field;
    const char *code;
    const char *message;
};

#define CONTACT_PROBLEMS_MAX 10

struct contact_problems {
    struct contact_problem items[CONTACT_PROBLEMS_MAX];
    size_t count;
};

/* The API name of a field ("email", "address.postal_code"). */
const char *contact_field_name(enum contact_field field);
/* The API name of a status ("professional"), "" for unknown. */
const char *contact_status_name(enum contact_status status);
/* Reads a legal status as people type it: French or English, any case, with or without
 * accents ("Professionnel", "particulier", "pro", "individual"...). */
enum contact_status contact_parse_status(const char *text);
/* Trims every field, lower-cases the e-mail, upper-cases the country (default FR), and gives a
 * French postal code that lost its leading zero (a number in a spreadsheet) back its zero. */
void contact_normalise(struct contact *c);
/* True when every part of the postal address that a letter needs is there. */
bool contact_has_full_address(const struct contact *c);
/* True when any part of the postal address is filled in. */
bool contact_has_any_address(const struct contact *c);
/* Checks a normalised contact; fills problems and returns true when there are none. */
bool contact_validate(const struct contact *c, struct contact_problems *problems);
/* The key that makes a contact unique in a group: its e-mail, or its name and address. */
void contact_dedupe_key(const struct contact *c, char *out, size_t size);

#endif
