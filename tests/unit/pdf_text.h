/* The text of a PDF as pdftotext (poppler-utils) extracts it, for tests that read documents. */
#ifndef PLI_TEST_PDF_TEXT_H
#define PLI_TEST_PDF_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when pdftotext is installed (tests that read text skip otherwise). */
bool pdf_text_available(void);
/* The UTF-8 text of pdf (malloc'ed, to free); it shows no-break spaces as spaces. Fails the
 * test when pdftotext fails. */
char *pdf_text_extract(const unsigned char *pdf, size_t len);

#endif
