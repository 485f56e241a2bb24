/* Turning spreadsheet rows (the template's columns A to J) into contacts, with a report of
 * every row that cannot be used. */
#ifndef PLI_CONTACT_IMPORT_H
#define PLI_CONTACT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/contact.h"
#include "lib/sheet.h"

struct import_error {
    long row;   /* the spreadsheet's row number */
    int column; /* 0 for A */
    const char *code;
    const char *message;
};

struct import_report {
    size_t rows;       /* data rows read (the header aside) */
    size_t duplicates; /* rows repeating an earlier row of the file */
    struct contact *contacts; /* the valid, distinct rows */
    char **dedupe_keys;       /* parallel to contacts */
    size_t n_contacts;
    struct import_error *errors;
    size_t n_errors;
};

/* Reads the rows of a sheet, skipping a first row of labels; false when out of memory. */
bool contact_import(const struct sheet *sheet, struct arena *arena, struct import_report *out);
/* True when a row holds labels rather than data (no e-mail in A and no status in E). */
bool contact_import_is_header(const struct sheet_row *row);

#endif
