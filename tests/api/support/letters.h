/* Shared steps of the letter tests: a team ready to send (administrator, payment method,
 * members who joined through the link of the real invitation e-mail), recipients, drafts, PDF
 * attachments, step-up, and the published signing key. Every name starts with lt_. */
#ifndef PLI_TEST_LETTERS_H
#define PLI_TEST_LETTERS_H

#include <jansson.h>
#include <stddef.h>

#include "support/client.h"

#define LT_ID_MAX 64
#define LT_MAIL_WAIT_MS 15000
/* The largest attachment the service takes (PLI_ATTACHMENT_MAX_BYTES by default). */
#define LT_ATTACHMENT_MAX (20L * 1024 * 1024)

/* A signed-in user with its e-mail and id. */
struct lt_user {
    struct client c;
    char email[128];
    char id[LT_ID_MAX];
};

/* A path built printf-style; one of 8 rotating buffers, valid for a few calls. */
const char *lt_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The string at obj[key] (NULL-safe), or "". */
const char *lt_str(const json_t *obj, const char *key);

/* Signs up a new user who creates a team; fills u and team. */
void lt_admin(struct lt_user *u, char team[LT_ID_MAX]);
/* Registers a payment method for the team (admin is its administrator). */
void lt_payment_method(struct client *admin, const char *team);
/* Creates a role from a NULL-terminated list of permission names; fills role. */
void lt_role(struct client *admin, const char *team, const char *name,
             const char *const *permissions, char role[LT_ID_MAX]);
/* Invites a new address with role_id (NULL: the built-in member role, letters.send only) and
 * signs it up through the link of the e-mail it receives; fills m. */
void lt_join(struct client *admin, const char *team, const char *role_id, struct lt_user *m);
/* Joins a member whose role holds letters.send and letters.validate but not letters.view_all. */
void lt_join_validator(struct client *admin, const char *team, struct lt_user *m);
/* Confirms the password: opens the step-up window of c's session. */
void lt_reauth(struct client *c);

/* Recipients (new JSON objects): an individual with an e-mail only; an individual with a
 * postal address only (line1 as given, 75001 Paris). */
json_t *lt_email_recipient(const char *last_name, const char *email);
json_t *lt_postal_recipient(const char *last_name, const char *line1);
/* Creates a group; fills group. */
void lt_group(struct client *admin, const char *team, const char *name, char group[LT_ID_MAX]);
/* Adds a contact (stolen) to a group; asserts 201. */
void lt_group_add(struct client *admin, const char *team, const char *group, json_t *contact);

/* POST /letters with body (stolen) and, when key is not NULL, an Idempotency-Key. */
struct reply *lt_create(struct client *c, const char *team, json_t *body, const char *key);
/* Creates a draft of this kind to one e-mail recipient; asserts 201 and fills letter. */
void lt_draft(struct client *c, const char *team, const char *kind, const char *subject,
              char letter[LT_ID_MAX]);
/* POST .../letters/{letter}/<action> without a body (submit, validate). */
struct reply *lt_action(struct client *c, const char *team, const char *letter, const char *action);
/* POST .../reject {reason}. */
struct reply *lt_reject(struct client *c, const char *team, const char *letter, const char *reason);
/* GET .../letters/{letter}. */
struct reply *lt_get(struct client *c, const char *team, const char *letter);
/* The one value a query with one parameter returns, copied into out (size bytes); fails the
 * test unless it returns exactly one row. */
const char *lt_db_text(const char *sql, const char *param, char *out, size_t size);
/* The status of a letter straight from the database. */
const char *lt_db_status(const char *letter, char out[32]);

/* A small, well-formed PDF (text only, no NUL) whose page shows `text`; to free. */
char *lt_pdf(const char *text);
/* POST .../attachments with body (len bytes, no NUL inside) and Content-Type (NULL: none). */
struct reply *lt_attach(struct client *c, const char *team, const char *letter, const char *body,
                        const char *content_type);
/* The lowercase hex SHA-256 of bytes. */
void lt_sha256_hex(const void *data, size_t len, char out[65]);
/* Decodes standard (padded) base64 into a malloc'd buffer, NUL-terminated for convenience (to
 * free), its length in *len; fails the test when text is NULL or not standard base64. */
unsigned char *lt_base64_decode(const char *text, size_t *len);
/* The standard (padded) base64 of len bytes, malloc'd (to free). */
char *lt_base64_encode(const void *data, size_t len);

/* A team ready to send: its administrator, a payment method, and a member who holds the
 * built-in member role (letters.send only). */
struct lt_scene {
    struct lt_user admin;
    char team[LT_ID_MAX];
    struct lt_user member;
    char letter[LT_ID_MAX];
};
void lt_scene(struct lt_scene *s);
/* The member's lre letter to a group of group_size contacts with e-mails plus two recipients
 * given one by one, with `attachments` small PDFs, submitted: asserts pending_validation and
 * fills s->letter. */
void lt_pending_letter(struct lt_scene *s, int group_size, int attachments);
/* The same letter validated by the administrator after a step-up; returns the letter as GET
 * answers it (caller decrefs). */
json_t *lt_validated_letter(struct lt_scene *s, int group_size, int attachments);

/* Asserts a 422 validation_failed naming field with code (application/problem+json). */
void lt_field_problem(const struct reply *r, const char *field, const char *code);

/* GET /api/v1/keys as published (caller decrefs). */
json_t *lt_keys(void);

#endif
