/* The human-readable rendering of a signed proof: an A4 PDF in French (cairo + pango). */
#ifndef PLI_PROOF_PDF_H
#define PLI_PROOF_PDF_H

#include <stdbool.h>
#include <stddef.h>

/* Renders the proof whose exact signed bytes are payload (the canonical JSON described in
 * lib/proof_record.h) with its base64 signature and the hex SHA-256 of payload. The PDF's dates
 * come from the record, so the same proof always renders to the same bytes. On success *pdf is
 * malloc'ed (the caller frees it) and true is returned. */
bool proof_pdf_render(const char *payload, size_t len, const char *signature_base64,
                      const char *sha256_hex, unsigned char **pdf, size_t *pdf_len);

#endif
