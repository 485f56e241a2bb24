/* Every error the API can answer, as one enum with a parallel table, and its RFC 9457 emitter. */
#ifndef PLI_PROBLEM_H
#define PLI_PROBLEM_H

#include "db/db.h"
#include "lib/json_spec.h"

struct response;

enum problem {
    PROBLEM_MALFORMED_JSON,
    PROBLEM_BAD_REQUEST,
    PROBLEM_UNAUTHENTICATED,
    PROBLEM_INVALID_CREDENTIALS,
    PROBLEM_FORBIDDEN,
    PROBLEM_CSRF_FAILED,
    PROBLEM_SESSION_REQUIRED,
    PROBLEM_INVALID_PASSWORD,
    PROBLEM_REAUTH_REQUIRED,
    PROBLEM_NOT_FOUND,
    PROBLEM_METHOD_NOT_ALLOWED,
    PROBLEM_CONFLICT,
    PROBLEM_EMAIL_TAKEN,
    PROBLEM_ADMINISTRATOR_IMMUTABLE,
    PROBLEM_BUILTIN_ROLE,
    PROBLEM_ROLE_IN_USE,
    PROBLEM_ROLE_NAME_TAKEN,
    PROBLEM_ALREADY_MEMBER,
    PROBLEM_INVITATION_NOT_PENDING,
    PROBLEM_INVITATION_USED,
    PROBLEM_INVITATION_EXPIRED,
    PROBLEM_INVITATION_REVOKED,
    PROBLEM_INVITATION_REPLACED,
    PROBLEM_INVITATION_EMAIL_MISMATCH,
    PROBLEM_GROUP_NAME_TAKEN,
    PROBLEM_IDEMPOTENCY_IN_FLIGHT,
    PROBLEM_IDEMPOTENCY_KEY_REUSED,
    PROBLEM_PAYMENT_METHOD_REQUIRED,
    PROBLEM_LETTER_NOT_DRAFT,
    PROBLEM_LETTER_NOT_PENDING,
    PROBLEM_RECIPIENTS_INVALID,
    PROBLEM_NOT_PDF,
    PROBLEM_TOO_MANY_ATTACHMENTS,
    PROBLEM_CONTACT_EXISTS,
    PROBLEM_NOT_A_FIRM,
    PROBLEM_CLIENT_EXISTS,
    PROBLEM_ALREADY_PARTNERS,
    PROBLEM_PARTNER_REQUEST_PENDING,
    PROBLEM_REQUEST_NOT_PENDING,
    PROBLEM_ALREADY_LINKED,
    PROBLEM_LINK_CHAIN,
    PROBLEM_UNREADABLE_FILE,
    PROBLEM_TOO_MANY_ROWS,
    PROBLEM_TOO_MANY_ENTRIES,
    PROBLEM_INFLATED_TOO_LARGE,
    PROBLEM_SUSPICIOUS_COMPRESSION,
    PROBLEM_DTD_REFUSED,
    PROBLEM_DELIVERY_NOT_ANSWERABLE,
    PROBLEM_DELIVERY_CLOSED,
    PROBLEM_DELIVERY_LAPSED,
    PROBLEM_IDENTITY_CODE_REQUIRED,
    PROBLEM_IDENTITY_CODE_EXPIRED,
    PROBLEM_IDENTITY_CODE_INVALID,
    PROBLEM_TOO_MANY_CODES,
    PROBLEM_CONTENT_NOT_AVAILABLE,
    PROBLEM_WEBHOOK_SIGNATURE_INVALID,
    PROBLEM_WEBHOOK_TIMESTAMP_STALE,
    PROBLEM_UNKNOWN_DELIVERY,
    PROBLEM_CARRIER_PROOF_MISMATCH,
    PROBLEM_INVOICE_PDF_PENDING,
    PROBLEM_PROOF_PDF_PENDING,
    PROBLEM_PAYLOAD_TOO_LARGE,
    PROBLEM_UNSUPPORTED_MEDIA_TYPE,
    PROBLEM_VALIDATION_FAILED,
    PROBLEM_TOO_MANY_ATTEMPTS,
    PROBLEM_RATE_LIMITED,
    PROBLEM_INTERNAL_ERROR,
    PROBLEM_DATABASE_UNAVAILABLE,
    PROBLEM__MAX
};

struct problem_info {
    int status;
    const char *code;
    const char *title;
};

/* The fixed status, code and title of a problem. */
const struct problem_info *problem_info(enum problem p);
/* Fills the response with a problem+json body; detail may be NULL (the title is used). */
void problem_set(struct response *resp, enum problem p, const char *detail);
/* Same with extension members added to the body (takes the reference to members). */
void problem_set_ext(struct response *resp, enum problem p, const char *detail, json_t *members);
/* Fills the response with a 422 validation_failed carrying one errors[] entry per problem. */
void problem_set_fields(struct response *resp, const struct json_problems *problems);
/* Maps a failed database call to its problem (conflict, invalid, unavailable, internal). */
void problem_set_db(struct response *resp, enum db_status status);

#endif
