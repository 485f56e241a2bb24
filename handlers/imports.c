/* Spreadsheet imports into a recipient group, and the templates people fill in. */
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "lib/contact_import.h"
#include "lib/csv_reader.h"
#include "lib/import_template.h"
#include "lib/xlsx_reader.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define CSV_TYPE "text/csv"
#define LEGACY_EXCEL_TYPE "application/vnd.ms-excel"

void imports_template_xlsx(struct ctx *ctx)
{
    const unsigned char *data;
    size_t len;
    if (!import_template_xlsx(&data, &len)) {
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, "The template could not be built");
        return;
    }
    response_header(&ctx->resp, "Content-Disposition",
                    "attachment; filename=\"modele-destinataires.xlsx\"");
    response_bytes(&ctx->resp, 200, XLSX_TYPE, data, len);
}

void imports_template_csv(struct ctx *ctx)
{
    const char *csv = import_template_csv();
    response_header(&ctx->resp, "Content-Disposition",
                    "attachment; filename=\"modele-destinataires.csv\"");
    response_bytes(&ctx->resp, 200, "text/csv; charset=utf-8", csv, strlen(csv));
}

static const enum problem sheet_problems[SHEET__MAX] = {
    [SHEET_OK] = PROBLEM_INTERNAL_ERROR,
    [SHEET_UNREADABLE] = PROBLEM_UNREADABLE_FILE,
    [SHEET_TOO_MANY_ROWS] = PROBLEM_TOO_MANY_ROWS,
    [SHEET_TOO_MANY_ENTRIES] = PROBLEM_TOO_MANY_ENTRIES,
    [SHEET_INFLATED_TOO_LARGE] = PROBLEM_INFLATED_TOO_LARGE,
    [SHEET_RATIO_TOO_HIGH] = PROBLEM_SUSPICIOUS_COMPRESSION,
    [SHEET_DTD_REFUSED] = PROBLEM_DTD_REFUSED,
    [SHEET_NO_MEMORY] = PROBLEM_PAYLOAD_TOO_LARGE,
};

/* Reads the uploaded file into a sheet; fills the problem and returns false when it cannot. */
static bool read_upload(struct ctx *ctx, struct sheet *sheet)
{
    const struct config *cfg = &ctx->app->cfg;
    const char *type = request_media_type(&ctx->req);
    bool xlsx = strcmp(type, XLSX_TYPE) == 0;
    bool csv = strcmp(type, CSV_TYPE) == 0 || strcmp(type, "application/csv") == 0;
    /* Browsers on machines with Excel label .csv files as Excel: the bytes tell which it is. */
    if (strcmp(type, LEGACY_EXCEL_TYPE) == 0) {
        xlsx = ctx->req.body_len >= 2 && memcmp(ctx->req.body, "PK", 2) == 0;
        csv = !xlsx && !(ctx->req.body_len >= 4 && memcmp(ctx->req.body, "\xD0\xCF\x11\xE0", 4) == 0);
        if (!xlsx && !csv) {
            problem_set(&ctx->resp, PROBLEM_UNREADABLE_FILE,
                        "Old .xls workbooks cannot be read: save the file as .xlsx or .csv");
            return false;
        }
    }
    if (!xlsx && !csv) {
        problem_set(&ctx->resp, PROBLEM_UNSUPPORTED_MEDIA_TYPE,
                    "Send the file as " XLSX_TYPE " or " CSV_TYPE);
        return false;
    }
    if (ctx->req.body_len == 0) {
        problem_set(&ctx->resp, PROBLEM_UNREADABLE_FILE, "The file is empty");
        return false;
    }
    /* One row more than the data limit: the header. */
    struct sheet_limits limits = {(size_t)cfg->import_max_rows + 1,
                                  (size_t)cfg->import_max_entries,
                                  (size_t)cfg->import_max_inflated,
                                  (unsigned)cfg->import_max_ratio};
    sheet_init(sheet, ctx->req.arena);
    enum sheet_error e = xlsx ? xlsx_read(ctx->req.body, ctx->req.body_len, &limits, sheet)
                              : csv_read(ctx->req.body, ctx->req.body_len, &limits, sheet);
    if (e == SHEET_OK)
        return true;
    const char *detail = NULL;
    if (e == SHEET_TOO_MANY_ROWS)
        detail = arena_printf(ctx->req.arena, "An import holds at most %ld rows",
                              cfg->import_max_rows);
    problem_set(&ctx->resp, sheet_problems[e], detail);
    return false;
}

static json_t *contacts_json(const struct import_report *report)
{
    json_t *list = json_array();
    for (size_t i = 0; i < report->n_contacts; i++) {
        const struct contact *c = &report->contacts[i];
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "email",
                            c->email, "last_name", c->last_name, "first_name", c->first_name,
                            "company", c->company, "status", contact_status_name(c->status),
                            "line1", c->line1, "line2", c->line2, "postal_code", c->postal_code,
                            "city", c->city, "country", c->country, "dedupe_key",
                            report->dedupe_keys[i]));
    }
    return list;
}

static json_t *keys_json(const struct import_report *report)
{
    json_t *keys = json_array();
    for (size_t i = 0; i < report->n_contacts; i++)
        json_array_append_new(keys, json_string(report->dedupe_keys[i]));
    return keys;
}

struct import_write {
    struct ctx *ctx;
    const char *contacts;
    long added;
    bool group_gone;
};

static enum db_status import_tx(struct db *db, void *p)
{
    struct import_write *w = p;
    struct ctx *ctx = w->ctx;
    const char *group[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], w->contacts};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_GROUP_TOUCH, 2, group, &r);
    if (st != DB_OK)
        return st;
    w->group_gone = PQntuples(r) == 0; /* deleted meanwhile */
    if (w->group_gone)
        return DB_INVALID;
    st = db_exec(db, ctx->req.arena, SQL_CONTACT_IMPORT, 3, params, &r);
    if (st == DB_OK)
        w->added = strtol(PQgetvalue(r, 0, 0), NULL, 10);
    return st;
}

/* Writes the valid rows (or, for a dry run, counts those the group already has); returns how
 * many are (or would be) new, or -1 after filling a problem. */
static long store(struct ctx *ctx, const struct import_report *report, bool dry_run)
{
    if (report->n_contacts == 0)
        return 0;
    if (dry_run) {
        char *keys = json_dumps(ctx_adopt_json(ctx, keys_json(report)), JSON_COMPACT);
        const char *params[] = {ctx->req.path_params[1], arena_strdup(ctx->req.arena, keys)};
        free(keys);
        PGresult *r;
        if (!ctx_exec(ctx, SQL_CONTACT_EXISTING_KEYS, 2, params, &r))
            return -1;
        return (long)report->n_contacts - strtol(PQgetvalue(r, 0, 0), NULL, 10);
    }
    char *text = json_dumps(ctx_adopt_json(ctx, contacts_json(report)), JSON_COMPACT);
    struct import_write w = {ctx, arena_strdup(ctx->req.arena, text), 0, false};
    free(text);
    enum db_status st = db_transaction(ctx->app->db, import_tx, &w);
    if (st == DB_INVALID && w.group_gone)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such group");
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    return st == DB_OK ? w.added : -1;
}

static json_t *errors_json(const struct import_report *report)
{
    json_t *errors = json_array();
    for (size_t i = 0; i < report->n_errors; i++) {
        const struct import_error *e = &report->errors[i];
        json_array_append_new(errors, json_pack("{s:I, s:s, s:s, s:s}", "row", (json_int_t)e->row,
                                                "column", sheet_column_letter(e->column),
                                                "code", e->code, "message", e->message));
    }
    return errors;
}

/* Reads, checks and stores one upload; *group_known says whether the group was found and
 * *rows_in_error how many rows were left out. */
static void run_import(struct ctx *ctx, bool dry_run, bool *group_known, size_t *rows_in_error)
{
    struct sheet sheet;
    struct import_report report;
    *group_known = groups_exists(ctx);
    if (!*group_known || !read_upload(ctx, &sheet))
        return;
    if (!contact_import(&sheet, ctx->req.arena, &report)) {
        problem_set(&ctx->resp, PROBLEM_PAYLOAD_TOO_LARGE, "The file is too large to import");
        return;
    }
    if (report.rows > (size_t)ctx->app->cfg.import_max_rows) {
        problem_set(&ctx->resp, PROBLEM_TOO_MANY_ROWS,
                    arena_printf(ctx->req.arena, "An import holds at most %ld rows",
                                 ctx->app->cfg.import_max_rows));
        return;
    }
    *rows_in_error = report.n_errors;
    long added = store(ctx, &report, dry_run);
    if (added < 0)
        return;
    long duplicates = (long)report.duplicates + ((long)report.n_contacts - added);
    response_json(&ctx->resp, 200,
                  json_pack("{s:I, s:I, s:I, s:o, s:b}", "rows", (json_int_t)report.rows,
                            "imported", (json_int_t)added, "duplicates", (json_int_t)duplicates,
                            "errors", errors_json(&report), "dry_run", dry_run));
}

/* Tells an office that an import needs someone's attention (failed_tasks): the file was
 * refused, or rows were left out. */
static void tell_failed_import(struct ctx *ctx, size_t rows_in_error)
{
    const char *file = ctx_upload_filename(ctx, "sans nom");
    const char *body;
    if (ctx->resp.status >= 400) {
        json_t *problem = ctx_json_from_db(ctx, arena_strndup(ctx->req.arena, ctx->resp.body,
                                                              ctx->resp.body_len));
        const char *detail = json_string_value(json_object_get(problem, "detail"));
        body = arena_printf(ctx->req.arena,
                            "L'import du fichier « %s » a été refusé : %s\n\n"
                            "Corrigez le fichier puis importez-le à nouveau.",
                            file ? file : "sans nom", detail ? detail : "fichier illisible");
    } else {
        body = arena_printf(ctx->req.arena,
                            "L'import du fichier « %s » a laissé %zu ligne(s) en erreur, qui "
                            "n'ont pas été importées.\n\nCorrigez-les puis importez-les à "
                            "nouveau.",
                            file ? file : "sans nom", rows_in_error);
    }
    offices_notify(ctx, "failed_tasks", NULL, "Import de contacts à reprendre", body);
}

void imports_create(struct ctx *ctx)
{
    const char *dry = request_query(&ctx->req, "dry_run");
    if (dry && strcmp(dry, "true") != 0 && strcmp(dry, "false") != 0) {
        ctx_field_problem(ctx, "dry_run", "not_allowed", "must be true or false");
        return;
    }
    bool dry_run = dry && strcmp(dry, "true") == 0, group_known = false;
    size_t rows_in_error = 0;
    run_import(ctx, dry_run, &group_known, &rows_in_error);
    if (!dry_run && group_known && (ctx->resp.status >= 400 || rows_in_error > 0))
        tell_failed_import(ctx, rows_in_error);
}
