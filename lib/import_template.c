#include "lib/import_template.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "lib/sheet.h"

/* Labels of columns A to J, in French like the rest of what users read. */
static const char *const labels[SHEET_COLUMNS] = {
    "E-mail",          "Nom",         "Prénom", "Société", "Statut",
    "Adresse ligne 1", "Adresse ligne 2", "Code postal", "Ville", "Pays",
};
static const double widths[SHEET_COLUMNS] = {32, 20, 20, 28, 16, 34, 28, 12, 22, 8};
/* Rows offered the status drop-down and the text format, the header aside. */
#define TEMPLATE_ROWS 10000

static bool write_template(const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return false;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Destinataires");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    for (int col = 0; col < SHEET_COLUMNS; col++) {
        worksheet_write_string(ws, 0, (lxw_col_t)col, labels[col], bold);
        worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col, widths[col],
                             col == 7 ? text : NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    static char professional[] = "professionnel", individual[] = "particulier";
    static char *statuses[] = {professional, individual, NULL};
    lxw_data_validation validation = {
        .validate = LXW_VALIDATION_TYPE_LIST,
        .value_list = statuses,
        .show_error = LXW_VALIDATION_ON,
        .error_title = "Statut",
        .error_message = "Choisissez professionnel ou particulier.",
    };
    worksheet_data_validation_range(ws, 1, 4, TEMPLATE_ROWS, 4, &validation);
    return workbook_close(wb) == LXW_NO_ERROR;
}

bool import_template_xlsx(const unsigned char **data, size_t *len)
{
    static unsigned char *bytes;
    static size_t size;
    if (!bytes) {
        char path[] = "/tmp/pli-template-XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0)
            return false;
        close(fd);
        FILE *f = write_template(path) ? fopen(path, "rb") : NULL;
        if (f && fseek(f, 0, SEEK_END) == 0) {
            long n = ftell(f);
            unsigned char *buf = n > 0 ? malloc((size_t)n) : NULL;
            if (buf && fseek(f, 0, SEEK_SET) == 0 && fread(buf, 1, (size_t)n, f) == (size_t)n) {
                bytes = buf;
                size = (size_t)n;
            } else {
                free(buf);
            }
        }
        if (f)
            fclose(f);
        unlink(path);
        if (!bytes)
            return false;
    }
    *data = bytes;
    *len = size;
    return true;
}

const char *import_template_csv(void)
{
    return "\xEF\xBB\xBF"
           "E-mail;Nom;Prénom;Société;Statut;Adresse ligne 1;Adresse ligne 2;Code postal;Ville;"
           "Pays\r\n";
}
