/* The XLSX reader, with the default import limits. Input starting with "PK": a whole file (the
 * zip container and everything in it). Other input: the XML parts of a workbook, separated by
 * NUL bytes (the sheet, then shared strings, workbook and its relationships), zipped here so
 * that mutations reach the XML readers instead of breaking the archive's checksums. */
#include <stdint.h>
#include <zip.h>

#include "lib/xlsx_reader.h"
#include "tests/fuzz/common.h"

static const char workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Destinataires\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

struct part {
    const char *name;
    const char *data;
    size_t len;
};

/* Zips the parts (stored, not deflated) into a malloc'd buffer; NULL when libzip refuses. */
static void *zip_parts(const struct part *parts, size_t n, size_t *len)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &error);
    FUZZ_CHECK(out);
    zip_source_keep(out);
    zip_t *za = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    FUZZ_CHECK(za);
    for (size_t i = 0; i < n; i++) {
        if (!parts[i].data)
            continue;
        zip_source_t *s = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
        FUZZ_CHECK(s);
        zip_int64_t index = zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8);
        FUZZ_CHECK(index >= 0);
        zip_set_file_compression(za, (zip_uint64_t)index, ZIP_CM_STORE, 0);
    }
    void *data = NULL;
    *len = 0;
    if (zip_close(za) == 0 && zip_source_open(out) == 0) {
        zip_source_seek(out, 0, SEEK_END);
        zip_int64_t size = zip_source_tell(out);
        zip_source_seek(out, 0, SEEK_SET);
        data = size > 0 ? malloc((size_t)size) : NULL;
        if (data && zip_source_read(out, data, (zip_uint64_t)size) == size) {
            *len = (size_t)size;
        } else {
            free(data);
            data = NULL;
        }
        zip_source_close(out);
    } else {
        zip_discard(za);
    }
    zip_source_free(out);
    zip_error_fini(&error);
    return data;
}

/* Splits the input at NUL bytes into the workbook's parts; missing ones get defaults. */
static void *workbook_from_parts(const char *text, size_t size, size_t *len)
{
    struct part parts[] = {
        {"xl/worksheets/sheet1.xml", NULL, 0},
        {"xl/sharedStrings.xml", NULL, 0},
        {"xl/workbook.xml", workbook, sizeof(workbook) - 1},
        {"xl/_rels/workbook.xml.rels", workbook_rels, sizeof(workbook_rels) - 1},
    };
    const char *p = text, *end = text + size;
    for (size_t i = 0; i < 4 && p <= end; i++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        const char *stop = nul && i < 3 ? nul : end;
        parts[i].data = p;
        parts[i].len = (size_t)(stop - p);
        p = stop + 1;
    }
    return zip_parts(parts, 4, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* PLI_IMPORT_MAX_ROWS (10,000) and the header, _ENTRIES, _INFLATED and _RATIO defaults. */
    static const struct sheet_limits limits = {10001, 200, 50u * 1024u * 1024u, 100};
    void *built = NULL;
    const void *file = data;
    size_t file_len = size;
    if (!(size >= 2 && memcmp(data, "PK", 2) == 0)) {
        built = workbook_from_parts((const char *)data, size, &file_len);
        if (!built)
            return 0;
        file = built;
    }
    struct arena *arena = arena_new(FUZZ_ARENA_CAP);
    FUZZ_CHECK(arena);
    struct sheet sheet;
    sheet_init(&sheet, arena);
    enum sheet_error e = xlsx_read(file, file_len, &limits, &sheet);
    FUZZ_CHECK(e >= SHEET_OK && e < SHEET__MAX);
    if (e == SHEET_OK)
        fuzz_check_sheet(&sheet, &limits);
    arena_free(arena);
    free(built);
    return 0;
}
