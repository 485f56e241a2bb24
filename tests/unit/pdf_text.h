/* Reading rendered PDFs in tests: the text as pdftotext (poppler-utils) extracts it, and the raw
 * bytes. */
#ifndef PLI_TEST_PDF_TEXT_H
#define PLI_TEST_PDF_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when pdftotext is installed (tests that read text skip otherwise). */
bool pdf_text_available(void);
/* The UTF-8 text of pdf (malloc'ed, to free); it shows no-break spaces as spaces. Fails the
 * test when pdftotext fails. */
char *pdf_text_extract(const unsigned char *pdf, size_t len);

/* Fails the test unless pdf is there and starts with "%PDF-". */
void pdf_expect_header(const unsigned char *pdf, size_t len);
/* True when the raw bytes hold needle (e.g. a metadata entry). */
bool pdf_bytes_contain(const unsigned char *data, size_t len, const char *needle);

#endif
