#include "support/imports.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reply *imports_upload(struct client *c, const char *method, const char *path,
                             const void *data, size_t len, const char *content_type)
{
    /* "Content-Type:" alone sends no type at all, which some tests need. */
    char type[256];
    snprintf(type, sizeof(type), "Content-Type:%s%s", content_type ? " " : "",
             content_type ? content_type : "");
    const char *const headers[] = {type, NULL};
    return client_send_bytes(c, method, path, data, len, headers);
}

struct reply *import_bytes(struct groups_fixture *t, const void *data, size_t len,
                           const char *content_type, bool dry_run)
{
    char path[GROUPS_PATH_MAX];
    groups_path(t, dry_run ? "/imports?dry_run=true" : "/imports", path, sizeof(path));
    return imports_upload(&t->admin, "POST", path, data, len, content_type);
}

struct reply *import_text(struct groups_fixture *t, const char *csv, bool dry_run)
{
    return import_bytes(t, csv, strlen(csv), CSV_TYPE, dry_run);
}

struct reply *import_fixture(struct groups_fixture *t, const struct fixture *f,
                             const char *content_type, bool dry_run)
{
    return import_bytes(t, f->data, f->len, content_type, dry_run);
}

static long count(const struct reply *r, const char *key)
{
    const json_t *v = json_object_get(r->json, key);
    cr_assert(json_is_integer(v), "%s missing from %s", key, r->body);
    return (long)json_integer_value(v);
}

void import_expect(const struct reply *r, long rows, long imported, long duplicates, size_t errors)
{
    cr_assert_eq(r->status, 200, "import: %ld %s", r->status, r->body);
    cr_assert_eq(count(r, "rows"), rows, "rows: %s", r->body);
    cr_assert_eq(count(r, "imported"), imported, "imported: %s", r->body);
    cr_assert_eq(count(r, "duplicates"), duplicates, "duplicates: %s", r->body);
    const json_t *list = json_object_get(r->json, "errors");
    cr_assert_eq(json_array_size(list), errors, "errors: %s", r->body);
    /* Every row read is imported, a duplicate, or refused (with one error or more). */
    long refused = 0, last_row = 0;
    size_t i;
    const json_t *e;
    json_array_foreach(list, i, e)
    {
        long row = (long)json_integer_value(json_object_get(e, "row"));
        cr_assert_geq(row, last_row, "errors are listed by row: %s", r->body);
        refused += row != last_row;
        last_row = row;
    }
    cr_assert_eq(rows, imported + duplicates + refused,
                 "rows = imported + duplicates + refused: %s", r->body);
}

const json_t *import_error(const struct reply *r, long row, const char *column)
{
    size_t i;
    const json_t *e;
    json_array_foreach(json_object_get(r->json, "errors"), i, e)
    {
        const char *col = json_string_value(json_object_get(e, "column"));
        if (json_integer_value(json_object_get(e, "row")) == row && col && strcmp(col, column) == 0)
            return e;
    }
    return NULL;
}

void import_expect_error(const struct reply *r, long row, const char *column, const char *code)
{
    const json_t *e = import_error(r, row, column);
    cr_assert_not_null(e, "no error on row %ld column %s: %s", row, column, r->body);
    cr_assert_str_eq(json_string_value(json_object_get(e, "code")), code, "row %ld %s: %s", row,
                     column, r->body);
    cr_assert(json_string_length(json_object_get(e, "message")) > 0, "%s", r->body);
}
