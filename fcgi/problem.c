#include "fcgi/problem.h"

#include "fcgi/response.h"

static const struct problem_info problems[PROBLEM__MAX] = {
    [PROBLEM_MALFORMED_JSON] = {400, "malformed_json", "The body is not valid JSON"},
    [PROBLEM_BAD_REQUEST] = {400, "bad_request", "The request is not valid"},
    [PROBLEM_UNAUTHENTICATED] = {401, "unauthenticated", "Sign-in required"},
    [PROBLEM_INVALID_CREDENTIALS] = {401, "invalid_credentials", "Wrong e-mail or password"},
    [PROBLEM_FORBIDDEN] = {403, "forbidden", "Not allowed"},
    [PROBLEM_CSRF_FAILED] = {403, "csrf_failed", "Cross-site request refused"},
    [PROBLEM_SESSION_REQUIRED] = {403, "session_required", "A signed-in session is required"},
    [PROBLEM_INVALID_PASSWORD] = {403, "invalid_password", "Wrong password"},
    [PROBLEM_REAUTH_REQUIRED] = {403, "reauth_required", "Confirm your password first"},
    [PROBLEM_NOT_FOUND] = {404, "not_found", "Not found"},
    [PROBLEM_METHOD_NOT_ALLOWED] = {405, "method_not_allowed", "Method not allowed"},
    [PROBLEM_CONFLICT] = {409, "conflict", "Conflicts with the current state"},
    [PROBLEM_EMAIL_TAKEN] = {409, "email_taken", "An account already uses this e-mail"},
    [PROBLEM_ADMINISTRATOR_IMMUTABLE] = {409, "administrator_immutable",
                                         "The team's administrator cannot be changed"},
    [PROBLEM_BUILTIN_ROLE] = {409, "builtin_role", "Built-in roles cannot be changed"},
    [PROBLEM_ROLE_IN_USE] = {409, "role_in_use", "The role is still in use"},
    [PROBLEM_ROLE_NAME_TAKEN] = {409, "role_name_taken", "Another role has this name"},
    [PROBLEM_ALREADY_MEMBER] = {409, "already_member", "Already a member of this team"},
    [PROBLEM_INVITATION_NOT_PENDING] = {409, "invitation_not_pending",
                                        "The invitation is no longer pending"},
    [PROBLEM_INVITATION_USED] = {409, "invitation_already_used",
                                 "The invitation has already been accepted"},
    [PROBLEM_INVITATION_EXPIRED] = {410, "invitation_expired", "The invitation has expired"},
    [PROBLEM_INVITATION_REVOKED] = {410, "invitation_revoked", "The invitation was withdrawn"},
    [PROBLEM_INVITATION_REPLACED] = {410, "invitation_replaced",
                                     "A newer invitation replaced this link"},
    [PROBLEM_INVITATION_EMAIL_MISMATCH] = {403, "invitation_email_mismatch",
                                           "The invitation is for another e-mail address"},
    [PROBLEM_GROUP_NAME_TAKEN] = {409, "group_name_taken", "Another group has this name"},
    [PROBLEM_IDEMPOTENCY_IN_FLIGHT] = {409, "idempotency_in_flight",
                                       "A request with this Idempotency-Key is still running"},
    [PROBLEM_IDEMPOTENCY_KEY_REUSED] = {422, "idempotency_key_reused",
                                        "This Idempotency-Key was used for another request"},
    [PROBLEM_PAYMENT_METHOD_REQUIRED] = {402, "payment_method_required",
                                         "The team's administrator must register a payment method"},
    [PROBLEM_LETTER_NOT_DRAFT] = {409, "letter_not_draft", "The letter was already submitted"},
    [PROBLEM_LETTER_NOT_PENDING] = {409, "letter_not_pending",
                                    "The letter is not waiting for validation"},
    [PROBLEM_RECIPIENTS_INVALID] = {422, "recipients_invalid",
                                    "Some recipients cannot receive this kind of letter"},
    [PROBLEM_NOT_PDF] = {422, "not_pdf", "Attachments must be PDF documents"},
    [PROBLEM_TOO_MANY_ATTACHMENTS] = {422, "too_many_attachments",
                                      "A letter has at most 30 attachments"},
    [PROBLEM_CONTACT_EXISTS] = {409, "contact_exists", "The group already has this contact"},
    [PROBLEM_NOT_A_FIRM] = {409, "not_a_firm", "Only a firm keeps client records"},
    [PROBLEM_CLIENT_EXISTS] = {409, "client_exists", "The firm already has a record for this company"},
    [PROBLEM_ALREADY_PARTNERS] = {409, "already_partners", "The firm and the company are partners"},
    [PROBLEM_PARTNER_REQUEST_PENDING] = {409, "partner_request_pending",
                                         "A partner request is already waiting for an answer"},
    [PROBLEM_REQUEST_NOT_PENDING] = {409, "request_not_pending",
                                     "The request was already answered"},
    [PROBLEM_ALREADY_LINKED] = {409, "already_linked",
                                "The secondary account is already linked or waiting for a link"},
    [PROBLEM_NOT_AN_OFFICE] = {409, "not_an_office", "Only an office keeps matters and e-mail settings"},
    [PROBLEM_CLIENT_GROUP_NAME_TAKEN] = {409, "client_group_name_taken",
                                         "The office already has a client group of this name"},
    [PROBLEM_MATTER_REFERENCE_TAKEN] = {409, "matter_reference_taken",
                                        "The office already has a matter with this reference"},
    [PROBLEM_SENDER_NOT_CONFIGURED] = {422, "sender_not_configured", "No address to send from"},
    [PROBLEM_ALREADY_ACTIVE_ELSEWHERE] = {409, "already_active_elsewhere",
                                          "This e-mail is a client user at another office"},
    [PROBLEM_CLIENT_USER_EXISTS] = {409, "client_user_exists",
                                    "This person is already a client user of the matter"},
    [PROBLEM_WELCOME_LINK_UNUSABLE] = {410, "welcome_link_unusable",
                                       "This welcome link was used or has expired"},
    [PROBLEM_MAILBOX_CONFLICT] = {409, "mailbox_conflict",
                                  "The team has a mailbox with this address, or another system "
                                  "account"},
    [PROBLEM_MAILBOX_NOT_EMPTY] = {409, "mailbox_not_empty",
                                   "The mailbox archived messages: switch it off (active: false) "
                                   "instead"},
    [PROBLEM_MESSAGE_PDF_PENDING] = {409, "message_pdf_pending",
                                     "The PDF of this message is being made; try again shortly"},
    [PROBLEM_MESSAGE_NOT_KEPT] = {409, "message_not_kept",
                                  "This message was too large to archive; it stays on the server"},
    [PROBLEM_LINK_CHAIN] = {409, "link_chain",
                            "A principal account cannot be a secondary one, nor the reverse"},
    [PROBLEM_UNREADABLE_FILE] = {422, "unreadable_file", "The file cannot be read"},
    [PROBLEM_TOO_MANY_ROWS] = {422, "too_many_rows", "The file has too many rows"},
    [PROBLEM_TOO_MANY_ENTRIES] = {422, "too_many_entries", "The archive has too many entries"},
    [PROBLEM_INFLATED_TOO_LARGE] = {422, "inflated_too_large", "The file unpacks to too much data"},
    [PROBLEM_SUSPICIOUS_COMPRESSION] = {422, "suspicious_compression",
                                        "The file is compressed suspiciously well"},
    [PROBLEM_DTD_REFUSED] = {422, "dtd_refused", "XML with a document type declaration is refused"},
    [PROBLEM_DELIVERY_NOT_ANSWERABLE] = {409, "delivery_not_answerable",
                                         "This letter is not accepted or refused"},
    [PROBLEM_DELIVERY_CLOSED] = {409, "delivery_closed", "The letter can no longer be answered"},
    [PROBLEM_DELIVERY_LAPSED] = {410, "delivery_lapsed", "The time to answer has run out"},
    [PROBLEM_IDENTITY_CODE_REQUIRED] = {409, "identity_code_required",
                                        "Ask for a one-time code first"},
    [PROBLEM_IDENTITY_CODE_EXPIRED] = {422, "identity_code_expired",
                                       "The one-time code has expired; ask for a new one"},
    [PROBLEM_IDENTITY_CODE_INVALID] = {422, "identity_code_invalid",
                                       "The one-time code is not the one sent"},
    [PROBLEM_TOO_MANY_CODES] = {429, "too_many_codes", "Too many one-time codes were asked for"},
    [PROBLEM_CONTENT_NOT_AVAILABLE] = {403, "content_not_available",
                                       "The letter opens once it is accepted"},
    [PROBLEM_WEBHOOK_SIGNATURE_INVALID] = {401, "webhook_signature_invalid",
                                           "The webhook signature does not verify"},
    [PROBLEM_WEBHOOK_TIMESTAMP_STALE] = {401, "webhook_timestamp_out_of_tolerance",
                                         "The webhook timestamp is too far from now"},
    [PROBLEM_UNKNOWN_DELIVERY] = {422, "unknown_delivery", "No postal delivery has this id"},
    [PROBLEM_CARRIER_PROOF_MISMATCH] = {422, "carrier_proof_mismatch",
                                        "The carrier's proof does not match its SHA-256"},
    [PROBLEM_INVOICE_PDF_PENDING] = {409, "invoice_pdf_pending",
                                     "The invoice's PDF is being made; try again shortly"},
    [PROBLEM_PROOF_PDF_PENDING] = {409, "proof_pdf_pending",
                                   "The proof's PDF is being made; try again in a moment"},
    [PROBLEM_WEBHOOK_URL_INVALID] = {422, "webhook_url_invalid",
                                     "The URL must be absolute, with a host and no user name "
                                     "or password"},
    [PROBLEM_WEBHOOK_URL_NOT_HTTPS] = {422, "webhook_url_not_https",
                                       "Webhook endpoints must use https"},
    [PROBLEM_WEBHOOK_URL_PRIVATE] = {422, "webhook_url_private",
                                     "The URL's host is a private, loopback or other "
                                     "non-public address"},
    [PROBLEM_UNKNOWN_EVENT_TYPE] = {422, "unknown_event_type",
                                    "The events must be known event types, each named once"},
    [PROBLEM_WEBHOOK_ENDPOINTS_LIMIT] = {409, "webhook_endpoints_limit",
                                         "The team has as many webhook endpoints as allowed"},
    [PROBLEM_PAYLOAD_TOO_LARGE] = {413, "payload_too_large", "The body is too large"},
    [PROBLEM_UNSUPPORTED_MEDIA_TYPE] = {415, "unsupported_media_type",
                                        "Unsupported content type"},
    [PROBLEM_VALIDATION_FAILED] = {422, "validation_failed", "Some fields are not valid"},
    [PROBLEM_TOO_MANY_ATTEMPTS] = {429, "too_many_attempts", "Too many failed attempts"},
    [PROBLEM_RATE_LIMITED] = {429, "rate_limited", "Too many requests"},
    [PROBLEM_INTERNAL_ERROR] = {500, "internal_error", "Internal error"},
    [PROBLEM_DATABASE_UNAVAILABLE] = {503, "database_unavailable",
                                      "The database is unavailable; try again shortly"},
};

const struct problem_info *problem_info(enum problem p)
{
    return &problems[p < PROBLEM__MAX ? p : PROBLEM_INTERNAL_ERROR];
}

static json_t *problem_body(const struct response *resp, enum problem p, const char *detail)
{
    const struct problem_info *info = problem_info(p);
    return json_pack("{s:s+, s:s, s:i, s:s, s:s, s:s+}", "type", "urn:pli:problem:", info->code,
                     "title", info->title, "status", info->status, "detail",
                     detail ? detail : info->title, "code", info->code, "instance",
                     "urn:pli:request:", resp->request_id ? resp->request_id : "-");
}

void problem_set(struct response *resp, enum problem p, const char *detail)
{
    problem_set_ext(resp, p, detail, NULL);
}

void problem_set_ext(struct response *resp, enum problem p, const char *detail, json_t *members)
{
    json_t *body = problem_body(resp, p, detail);
    if (members) {
        json_object_update_missing(body, members);
        json_decref(members);
    }
    response_json_typed(resp, problem_info(p)->status, body, "application/problem+json");
}

void problem_set_fields(struct response *resp, const struct json_problems *list)
{
    json_t *body = problem_body(resp, PROBLEM_VALIDATION_FAILED, "Some fields are not valid");
    json_t *errors = json_array();
    for (size_t i = 0; i < list->count; i++)
        json_array_append_new(errors, json_pack("{s:s, s:s, s:s}", "field", list->items[i].field,
                                                "code", list->items[i].code, "message",
                                                list->items[i].message));
    json_object_set_new(body, "errors", errors);
    response_json_typed(resp, 422, body, "application/problem+json");
}

void problem_set_db(struct response *resp, enum db_status status)
{
    switch (status) {
    case DB_CONFLICT:
        problem_set(resp, PROBLEM_CONFLICT, NULL);
        return;
    case DB_INVALID:
        problem_set(resp, PROBLEM_VALIDATION_FAILED, "The data breaks a rule of the service");
        return;
    case DB_RETRY:
    case DB_UNAVAILABLE:
        problem_set(resp, PROBLEM_DATABASE_UNAVAILABLE, NULL);
        return;
    case DB_OK:
    case DB_ERROR:
    case DB__MAX:
        break;
    }
    problem_set(resp, PROBLEM_INTERNAL_ERROR, NULL);
}
