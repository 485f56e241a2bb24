/* Commands of the pli command line that live in their own files. */
#ifndef PLI_CLI_H
#define PLI_CLI_H

#include "lib/config.h"

/* pli verify-letter --keys KEYS.json LETTER.json: checks a letter's validation signature
 * offline; KEYS.json is what GET /api/v1/keys answers, LETTER.json what GET .../letters/{id}
 * answers. Prints what was signed; exits 0 when valid, 1 when not, 2 on bad usage. */
int cli_verify_letter(int argc, char **argv);

/* pli verify-proof --keys KEYS.json PROOF.json...: checks downloaded proofs and, given every
 * proof of a delivery, their chain; 0 when all hold. */
int cli_verify_proof(int argc, char **argv);

/* The value after --name among argv[2..], or NULL. */
const char *cli_option(int argc, char **argv, const char *name);
/* pli prices: lists the prices in force; pli prices set --kind K --cents N [--vat-bp B]
 * [--from RFC3339]: a new price from now (or that time) on. */
int cli_prices(const struct config *cfg, int argc, char **argv);
/* pli invoices close --month YYYY-MM: closes that month by hand (idempotent). */
int cli_invoices(const struct config *cfg, int argc, char **argv);

#endif
