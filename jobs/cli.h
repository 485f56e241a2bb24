/* Commands of the pli command line that live in their own files. */
#ifndef PLI_CLI_H
#define PLI_CLI_H

/* pli verify-letter --keys KEYS.json LETTER.json: checks a letter's validation signature
 * offline; KEYS.json is what GET /api/v1/keys answers, LETTER.json what GET .../letters/{id}
 * answers. Prints what was signed; exits 0 when valid, 1 when not, 2 on bad usage. */
int cli_verify_letter(int argc, char **argv);

/* pli verify-proof --keys KEYS.json PROOF.json...: checks downloaded proofs and, given every
 * proof of a delivery, their chain; 0 when all hold. */
int cli_verify_proof(int argc, char **argv);

#endif
