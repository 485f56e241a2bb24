/* The hostile workbooks of fixtures.h: zip bombs, entity bombs, external entities. */
#include "fixtures.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A sheet of `fill_len` bytes made by fill() between the head and the tail. */
static struct fixture filled_sheet(size_t fill_len, void (*fill)(char *, size_t))
{
    size_t head = strlen(FIXTURE_SHEET_HEAD), tail = strlen(FIXTURE_SHEET_TAIL);
    size_t n = head + fill_len + tail;
    char *xml = malloc(n);
    cr_assert_not_null(xml);
    memcpy(xml, FIXTURE_SHEET_HEAD, head);
    fill(xml + head, fill_len);
    memcpy(xml + head + fill_len, FIXTURE_SHEET_TAIL, tail);
    struct fixture f = fixture_workbook(xml, n, NULL, 0, 0);
    free(xml);
    return f;
}

static void fill_spaces(char *p, size_t n)
{
    memset(p, ' ', n);
}

/* Spaces with a pseudo-random letter or digit every 32 bytes: deflates about 20:1. */
static void fill_dense(char *p, size_t n)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    uint32_t x = 2463534242u;
    memset(p, ' ', n);
    for (size_t i = 0; i < n; i += 32) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = alphabet[x % (sizeof(alphabet) - 1)];
    }
}

struct fixture fixture_spaces_sheet(size_t spaces)
{
    return filled_sheet(spaces, fill_spaces);
}

struct fixture fixture_dense_sheet(size_t bytes)
{
    return filled_sheet(bytes, fill_dense);
}

struct fixture fixture_entity_bomb(void)
{
    static const char shared[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE sst [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"2\" "
        "uniqueCount=\"2\"><si><t>&lol9;</t></si><si><t>particulier</t></si></sst>";
    size_t len;
    char *sheet =
        fixture_sheet_xml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
                          "<c r=\"B1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>0</v></c>"
                          "<c r=\"E1\" t=\"s\"><v>1</v></c></row>",
                          &len);
    struct fixture f = fixture_workbook(sheet, len, shared, strlen(shared), 0);
    free(sheet);
    return f;
}

static const char xxe_sheet[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x@example.fr</t></is></c>"
    "<c r=\"B1\" t=\"inlineStr\"><is><t>&xxe;</t></is></c>"
    "<c r=\"C1\" t=\"inlineStr\"><is><t>Root</t></is></c>"
    "<c r=\"E1\" t=\"inlineStr\"><is><t>particulier</t></is></c></row>"
    "</sheetData></worksheet>";

struct fixture fixture_xxe(void)
{
    return fixture_workbook(xxe_sheet, strlen(xxe_sheet), NULL, 0, 0);
}

struct fixture fixture_xxe_utf16(void)
{
    /* The declaration names the new encoding; every other byte is ASCII. */
    const char *body = strchr(xxe_sheet, '\n') + 1;
    char text[sizeof(xxe_sheet) + 64];
    snprintf(text, sizeof(text), "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n%s", body);
    size_t n = strlen(text);
    unsigned char *utf16 = malloc(2 + 2 * n);
    cr_assert_not_null(utf16);
    utf16[0] = 0xFF;
    utf16[1] = 0xFE;
    for (size_t i = 0; i < n; i++) {
        utf16[2 + 2 * i] = (unsigned char)text[i];
        utf16[3 + 2 * i] = 0;
    }
    struct fixture f = fixture_workbook((const char *)utf16, 2 + 2 * n, NULL, 0, 0);
    free(utf16);
    return f;
}
