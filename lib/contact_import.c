#include "lib/contact_import.h"

#include <string.h>

#define IMPORT_KEY_MAX 1024

/* Where each contact field sits in the template. */
static const int field_columns[CONTACT_FIELD__MAX] = {
    [CONTACT_FIELD_EMAIL] = 0,  [CONTACT_FIELD_LAST_NAME] = 1,   [CONTACT_FIELD_FIRST_NAME] = 2,
    [CONTACT_FIELD_COMPANY] = 3, [CONTACT_FIELD_STATUS] = 4,     [CONTACT_FIELD_LINE1] = 5,
    [CONTACT_FIELD_LINE2] = 6,  [CONTACT_FIELD_POSTAL_CODE] = 7, [CONTACT_FIELD_CITY] = 8,
    [CONTACT_FIELD_COUNTRY] = 9,
};

bool contact_import_is_header(const struct sheet_row *row)
{
    return !json_is_email(row->cells[0]) &&
           contact_parse_status(row->cells[4]) == CONTACT_STATUS_UNKNOWN;
}

static char *copy(struct arena *arena, const char *s, size_t room)
{
    size_t len = strlen(s);
    char *p = arena_alloc(arena, (len > room ? len : room) + 1);
    if (p)
        memcpy(p, s, len + 1);
    return p;
}

static bool contact_from_row(const struct sheet_row *row, struct arena *arena, struct contact *c)
{
    c->email = copy(arena, row->cells[0], 0);
    c->last_name = copy(arena, row->cells[1], 0);
    c->first_name = copy(arena, row->cells[2], 0);
    c->company = copy(arena, row->cells[3], 0);
    c->status = contact_parse_status(row->cells[4]);
    c->line1 = copy(arena, row->cells[5], 0);
    c->line2 = copy(arena, row->cells[6], 0);
    c->postal_code = copy(arena, row->cells[7], CONTACT_POSTAL_CODE_MAX);
    c->city = copy(arena, row->cells[8], 0);
    c->country = copy(arena, row->cells[9], 3);
    if (!c->email || !c->last_name || !c->first_name || !c->company || !c->line1 || !c->line2 ||
        !c->postal_code || !c->city || !c->country)
        return false;
    contact_normalise(c);
    return true;
}

/* The keys met so far, in an open-addressing hash table (FNV-1a). */
struct key_set {
    const char **slots;
    size_t mask;
};

static bool key_set_init(struct key_set *set, struct arena *arena, size_t n)
{
    size_t size = 16;
    while (size < n * 2)
        size *= 2;
    set->slots = arena_alloc(arena, size * sizeof(*set->slots));
    set->mask = size - 1;
    return set->slots != NULL;
}

/* Adds key; false when it was already there. */
static bool key_set_add(struct key_set *set, const char *key)
{
    size_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    for (size_t i = h & set->mask;; i = (i + 1) & set->mask) {
        if (!set->slots[i]) {
            set->slots[i] = key;
            return true;
        }
        if (strcmp(set->slots[i], key) == 0)
            return false;
    }
}

static bool record_errors(const struct sheet_row *row, const struct contact_problems *problems,
                          struct import_report *out)
{
    for (size_t i = 0; i < problems->count; i++) {
        const struct contact_problem *p = &problems->items[i];
        bool missing_status = p->field == CONTACT_FIELD_STATUS && !row->cells[4][0];
        out->errors[out->n_errors++] = (struct import_error){
            row->number, field_columns[p->field], missing_status ? "required" : p->code,
            missing_status ? "the legal status (professional or individual) is required"
                           : p->message};
    }
    return true;
}

bool contact_import(const struct sheet *sheet, struct arena *arena, struct import_report *out)
{
    memset(out, 0, sizeof(*out));
    size_t first = sheet->count > 0 && contact_import_is_header(&sheet->rows[0]) ? 1 : 0;
    size_t n = sheet->count - first;
    out->rows = n;
    out->contacts = arena_alloc(arena, (n ? n : 1) * sizeof(*out->contacts));
    out->dedupe_keys = arena_alloc(arena, (n ? n : 1) * sizeof(*out->dedupe_keys));
    out->errors = arena_alloc(arena, (n ? n : 1) * CONTACT_PROBLEMS_MAX * sizeof(*out->errors));
    struct key_set seen;
    if (!out->contacts || !out->dedupe_keys || !out->errors || !key_set_init(&seen, arena, n))
        return false;
    for (size_t i = first; i < sheet->count; i++) {
        const struct sheet_row *row = &sheet->rows[i];
        struct contact *c = &out->contacts[out->n_contacts];
        struct contact_problems problems;
        if (!contact_from_row(row, arena, c))
            return false;
        if (!contact_validate(c, &problems)) {
            record_errors(row, &problems, out);
            continue;
        }
        char key[IMPORT_KEY_MAX];
        contact_dedupe_key(c, key, sizeof(key));
        char *kept = arena_strdup(arena, key);
        if (!kept)
            return false;
        if (!key_set_add(&seen, kept)) {
            out->duplicates++;
            continue;
        }
        out->dedupe_keys[out->n_contacts++] = kept;
    }
    return true;
}
