/* The first worksheet of an XLSX file, read with libzip and libxml2's streaming reader: shared
 * and inline strings, numbers and booleans. Zip bombs are stopped while inflating; XML with a
 * document type declaration is refused, and no entity or external resource is ever loaded. */
#ifndef PLI_XLSX_READER_H
#define PLI_XLSX_READER_H

#include "lib/sheet.h"

/* Inflated entries smaller than this are not held to the compression ratio limit. */
#define XLSX_RATIO_FLOOR (64u * 1024u)

/* Reads the first worksheet's non-blank rows into sheet. */
enum sheet_error xlsx_read(const void *data, size_t len, const struct sheet_limits *limits,
                           struct sheet *sheet);

#endif
