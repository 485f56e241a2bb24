/* The PDF of a monthly invoice (facture): an A4 document in French (lib/pdf_document). */
#ifndef PLI_INVOICE_PDF_H
#define PLI_INVOICE_PDF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Lines an invoice may hold; one with more is refused. */
#define INVOICE_PDF_LINES_MAX 10000

/* Renders invoice, a JSON object as invoice_json() gives it plus the billing parties:
 *   "number": "F000042" (required, a non-empty string),
 *   "month": "2026-10" (shown as "octobre 2026"),
 *   "issued_at": RFC 3339; its date in Europe/Paris is the date of issue, and the instant (in
 *       UTC, to the second) the PDF's creation and modification date,
 *   "team": {"id", "name"}, "billed_to": {"name", "email"},
 *   "seller": {"name", "address" (lines separated by '\n'), "siren", "vat_number"},
 *   "payment_method": {"provider", "brand", "last4"} or null,
 *   "lines" (required, an array of at most INVOICE_PDF_LINES_MAX):
 *       [{"kind": "lre" | "lrar" | "simple", "reference": a string or null, "quantity",
 *         "unit_cents", "vat_rate_bp" (2000 = 20 %, 0 to 10000), "total_excl_cents"}],
 *   "total_excl_cents", "vat_cents", "total_incl_cents" (integers, euro cents),
 *   "currency": "EUR" (the default; another code is shown as it is).
 * Amounts are shown as given, never recomputed, except the VAT of each rate when the lines have
 * several (the sum over the rate's lines of round(total_excl_cents * vat_rate_bp / 10000), half
 * away from zero, as sql/queries/invoices_close.sql computes vat_cents). A missing or mistyped
 * field is shown as "—"; long texts are cut. Nothing reads the clock or the locale: the same
 * invoice always renders to the same bytes (for one cairo/pango/font installation).
 * On success *pdf is malloc'ed (the caller frees it) and true is returned. False, with *pdf
 * NULL and *len 0, when invoice is not an object, has no number or no lines array, has more
 * than INVOICE_PDF_LINES_MAX lines, or the document exceeds lib/pdf_document's caps (pages,
 * bytes) or cannot be written. */
bool invoice_pdf_render(const json_t *invoice, unsigned char **pdf, size_t *len);

#endif
