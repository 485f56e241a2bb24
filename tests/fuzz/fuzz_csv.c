/* The CSV reader on any bytes: separators, quotes, line ends, BOM and Windows-1252, with the
 * default import limits. */
#include <stdint.h>

#include "lib/csv_reader.h"
#include "tests/fuzz/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* PLI_IMPORT_MAX_ROWS (10,000) and the header; the XLSX limits do not apply. */
    static const struct sheet_limits limits = {10001, 200, 50u * 1024u * 1024u, 100};
    struct arena *arena = arena_new(FUZZ_ARENA_CAP);
    FUZZ_CHECK(arena);
    struct sheet sheet;
    sheet_init(&sheet, arena);
    enum sheet_error e = csv_read((const char *)data, size, &limits, &sheet);
    FUZZ_CHECK(e == SHEET_OK || e == SHEET_UNREADABLE || e == SHEET_TOO_MANY_ROWS ||
               e == SHEET_NO_MEMORY);
    if (e == SHEET_OK) {
        fuzz_check_sheet(&sheet, &limits);
        for (size_t i = 1; i < sheet.count; i++)
            FUZZ_CHECK(sheet.rows[i].number > sheet.rows[i - 1].number);
    }
    arena_free(arena);
    return 0;
}
