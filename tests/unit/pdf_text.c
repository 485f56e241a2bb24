#include "pdf_text.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The most text read back from one document. */
#define PDF_TEXT_MAX (8u << 20)

bool pdf_text_available(void)
{
    return system("command -v pdftotext >/dev/null 2>&1") == 0;
}

char *pdf_text_extract(const unsigned char *pdf, size_t len)
{
    char pdf_path[] = "/tmp/pli-pdf-text.XXXXXX";
    int fd = mkstemp(pdf_path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, pdf, len), (ssize_t)len);
    close(fd);
    char text_path[64], command[192];
    snprintf(text_path, sizeof(text_path), "%s.txt", pdf_path);
    snprintf(command, sizeof(command), "pdftotext -enc UTF-8 %s %s 2>/dev/null", pdf_path,
             text_path);
    int status = system(command);
    unlink(pdf_path);
    cr_assert_eq(status, 0, "pdftotext failed");
    FILE *f = fopen(text_path, "rb");
    cr_assert_not_null(f);
    char *text = calloc(1, PDF_TEXT_MAX);
    cr_assert_not_null(text);
    size_t n = fread(text, 1, PDF_TEXT_MAX - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(text_path);
    return text;
}

void pdf_expect_header(const unsigned char *pdf, size_t len)
{
    cr_assert_not_null(pdf);
    cr_assert_gt(len, 5);
    cr_assert(memcmp(pdf, "%PDF-", 5) == 0);
}

bool pdf_bytes_contain(const unsigned char *data, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(data + i, needle, n) == 0)
            return true;
    return false;
}
