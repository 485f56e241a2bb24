/* Uploading spreadsheets to a group's imports, and reading the import report. */
#ifndef PLI_TEST_IMPORTS_H
#define PLI_TEST_IMPORTS_H

#include <stdbool.h>
#include <stddef.h>

#include "support/client.h"
#include "support/fixtures.h"
#include "support/groups.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define CSV_TYPE "text/csv"

/* Sends raw bytes (binary safe) with a Content-Type; content_type may be NULL for none. */
struct reply *imports_upload(struct client *c, const char *method, const char *path,
                             const void *data, size_t len, const char *content_type);
/* POSTs a file to the fixture's group imports (with ?dry_run=true when dry_run). */
struct reply *import_bytes(struct groups_fixture *t, const void *data, size_t len,
                           const char *content_type, bool dry_run);
/* The same with a NUL-terminated text (CSV). */
struct reply *import_text(struct groups_fixture *t, const char *csv, bool dry_run);
/* The same with a fixture's bytes. */
struct reply *import_fixture(struct groups_fixture *t, const struct fixture *f,
                             const char *content_type, bool dry_run);
/* Fails unless the reply is a 200 import report with these counts and this many errors. */
void import_expect(const struct reply *r, long rows, long imported, long duplicates, size_t errors);
/* The error of a report on this row and column; NULL when none. */
const json_t *import_error(const struct reply *r, long row, const char *column);
/* Fails unless the report has an error with this row, column and code. */
void import_expect_error(const struct reply *r, long row, const char *column, const char *code);

#endif
