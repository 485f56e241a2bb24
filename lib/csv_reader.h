/* CSV as spreadsheet programs write it: ';', ',' or tab separated (detected), quoted fields,
 * CRLF or LF, UTF-8 with or without BOM, or Windows-1252. */
#ifndef PLI_CSV_READER_H
#define PLI_CSV_READER_H

#include "lib/sheet.h"

/* Reads every non-blank record into sheet (row numbers count records from 1). */
enum sheet_error csv_read(const char *data, size_t len, const struct sheet_limits *limits,
                          struct sheet *sheet);

#endif
