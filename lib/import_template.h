/* The files people fill in to import recipients: XLSX (libxlsxwriter) and CSV. */
#ifndef PLI_IMPORT_TEMPLATE_H
#define PLI_IMPORT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

/* The XLSX template: header row, columns A to J, a drop-down of statuses on E, postal codes as
 * text. Built once per process; the bytes stay valid for its lifetime. false on failure. */
bool import_template_xlsx(const unsigned char **data, size_t *len);
/* The CSV template: UTF-8 with a BOM, ';' separated, CRLF, as French spreadsheet programs
 * expect. */
const char *import_template_csv(void);

#endif
