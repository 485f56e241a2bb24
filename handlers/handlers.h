/* Every handler the route table (fcgi/routes.c) can call, grouped by resource file. */
#ifndef PLI_HANDLERS_H
#define PLI_HANDLERS_H

#include "fcgi/ctx.h"
#include "fcgi/router.h"
#include "lib/contact.h"
#include "lib/letter_rules.h"

/* service.c */
void service_health(struct ctx *ctx);
void service_keys(struct ctx *ctx);

/* metrics.c */
void metrics_get(struct ctx *ctx);

/* auth.c */
/* Creates a session for user_id inside the caller's transaction; token receives the cookie. */
enum db_status auth_session_insert(struct ctx *ctx, struct db *db, const char *user_id,
                                   char token[CRYPTO_TOKEN_CHARS + 1]);
extern const struct body_spec auth_signup_body;
extern const struct body_spec auth_login_body;
extern const struct body_spec auth_reauth_body;
void auth_signup(struct ctx *ctx);
void auth_login(struct ctx *ctx);
void auth_logout(struct ctx *ctx);
void auth_reauth(struct ctx *ctx);

/* me.c */
void me_get(struct ctx *ctx);

/* api_keys.c */
extern const struct body_spec api_keys_create_body;
void api_keys_list(struct ctx *ctx);
void api_keys_create(struct ctx *ctx);
void api_keys_delete(struct ctx *ctx);

/* audit.c */
/* Appends to the audit log of the caller's team (ctx->req.who.team_id); before and after are
 * JSON texts or NULL. Call inside the transaction that makes the change. */
enum db_status audit_record(struct ctx *ctx, const char *action, const char *target,
                            const char *before, const char *after);
/* The same for another team's log (a step one team takes in another's space). */
enum db_status audit_record_in(struct ctx *ctx, const char *team_id, const char *action,
                               const char *target, const char *before, const char *after);
void audit_list(struct ctx *ctx);

/* teams.c */
extern const struct body_spec teams_create_body;
extern const struct body_spec teams_update_body;
void teams_create(struct ctx *ctx);
void teams_get(struct ctx *ctx);
void teams_update(struct ctx *ctx);

/* members.c */
extern const struct body_spec members_update_body;
void members_list(struct ctx *ctx);
void members_update(struct ctx *ctx);
void members_remove(struct ctx *ctx);

/* roles.c */
extern const struct body_spec roles_create_body;
extern const struct body_spec roles_update_body;
/* True when the caller may hand out this role of its team: it exists, is not the
 * administrator's, and grants nothing the caller lacks. Otherwise fills the problem. */
bool roles_check_assignable(struct ctx *ctx, const char *role_id, const char *field);
void roles_list(struct ctx *ctx);
void roles_create(struct ctx *ctx);
void roles_update(struct ctx *ctx);
void roles_delete(struct ctx *ctx);

/* invitations.c */
extern const struct body_spec invitations_create_body;
/* Invites email into team_id with role_id inside the caller's transaction: the invitation, its
 * token, the e-mail job and the audit entry in that team's log. */
enum db_status invitations_issue(struct ctx *ctx, struct db *db, const char *team_id,
                                 const char *email, const char *role_id,
                                 const char **invitation_id);
void invitations_create(struct ctx *ctx);
void invitations_list(struct ctx *ctx);
void invitations_revoke(struct ctx *ctx);
void invitations_resend(struct ctx *ctx);

/* invitation_links.c */
extern const struct body_spec invitations_signup_body;
void invitation_links_show(struct ctx *ctx);
void invitation_links_accept(struct ctx *ctx);
void invitation_links_signup(struct ctx *ctx);

/* billing.c */
extern const struct body_spec billing_payment_method_body;
void billing_put_payment_method(struct ctx *ctx);
void billing_get_payment_method(struct ctx *ctx);

/* groups.c */
extern const struct body_spec groups_body;
/* True when the group in the path ({group}, second parameter) is the team's; else a 404. */
bool groups_exists(struct ctx *ctx);
void groups_list(struct ctx *ctx);
void groups_get(struct ctx *ctx);
void groups_create(struct ctx *ctx);
void groups_rename(struct ctx *ctx);
void groups_delete(struct ctx *ctx);

/* contact_input.c */
#define CONTACT_INPUT_FIELDS 6
/* The fields of a contact in API bodies (e-mail, names, company, status, address). */
extern const struct json_field contact_input_fields[CONTACT_INPUT_FIELDS];
/* The legal statuses the API takes ("professional", "individual"), NULL-terminated. */
extern const char *const contact_input_statuses[];
/* Reads a contact from a JSON object into c (normalised) and checks it, against a letter kind
 * too when one is given. Problems are added with fields named under prefix ("recipients[0]"),
 * or bare when prefix is NULL; true when none was added. */
bool contact_input_read(struct ctx *ctx, const json_t *body, const char *prefix,
                        const enum letter_kind *kind, struct contact *c,
                        struct json_problems *problems);

/* contacts.c */
extern const struct body_spec contacts_create_body;
extern const struct body_spec contacts_update_body;
void contacts_list(struct ctx *ctx);
void contacts_create(struct ctx *ctx);
void contacts_update(struct ctx *ctx);
void contacts_delete(struct ctx *ctx);

/* letters.c */
extern const struct body_spec letters_create_body;
/* True when the caller sees every member's letters (letters.view_all or administrator). */
bool letters_sees_all(const struct ctx *ctx);
/* Adds a recipient to a letter inside the caller's transaction (a repeated one is skipped). */
enum db_status letters_add_recipient(struct ctx *ctx, struct db *db, const char *letter_id,
                                     int position, const char *group_id, const struct contact *c);
/* The letter of the path ({letter}, second parameter) if the caller may see it; else a 404. */
PGresult *letters_load(struct ctx *ctx);
/* Answers with the letter of the path, whoever may see it (after the caller acted on it). */
void letters_answer(struct ctx *ctx);
void letters_create(struct ctx *ctx);
void letters_list(struct ctx *ctx);
void letters_get(struct ctx *ctx);

/* letter_submission.c */
extern const struct body_spec letters_reject_body;
void letters_submit(struct ctx *ctx);
void letters_validate(struct ctx *ctx);
void letters_reject(struct ctx *ctx);

/* attachments.c */
void attachments_create(struct ctx *ctx);

/* imports.c */
void imports_template_xlsx(struct ctx *ctx);
void imports_template_csv(struct ctx *ctx);
void imports_create(struct ctx *ctx);

/* invoices.c */
void charges_list(struct ctx *ctx);
void invoices_list(struct ctx *ctx);
void invoices_get(struct ctx *ctx);

/* proofs.c */
void proofs_get(struct ctx *ctx);

/* deliveries.c */
extern const struct body_spec deliveries_answer_body;
void deliveries_show(struct ctx *ctx);
void deliveries_request_code(struct ctx *ctx);
void deliveries_accept(struct ctx *ctx);
void deliveries_refuse(struct ctx *ctx);
void deliveries_content(struct ctx *ctx);
void deliveries_attachment(struct ctx *ctx);

/* webhooks.c */
void webhooks_carrier(struct ctx *ctx);

/* webhook_endpoints.c */
extern const struct body_spec webhook_endpoints_create_body;
void webhook_endpoints_list(struct ctx *ctx);
void webhook_endpoints_create(struct ctx *ctx);
void webhook_endpoints_get(struct ctx *ctx);
void webhook_endpoints_delete(struct ctx *ctx);
void webhook_endpoints_deliveries(struct ctx *ctx);

/* clients.c */
extern const struct body_spec clients_create_body;
extern const struct body_spec clients_update_body;
/* True on a firm's routes; otherwise fills 409 not_a_firm. */
bool clients_firm_only(struct ctx *ctx);
/* Inside the caller's transaction, asks the company to become the firm's partner (the caller's
 * team) unless they are partners or a request waits; request_json (may be NULL) receives the
 * new request. */
enum db_status clients_request_partnership(struct ctx *ctx, struct db *db, const char *company,
                                           const char **request_json);
void clients_create(struct ctx *ctx);
void clients_list(struct ctx *ctx);
void clients_get(struct ctx *ctx);
void clients_update(struct ctx *ctx);

/* partners.c */
extern const struct body_spec partner_requests_create_body;
/* Answers one page of a team's partner or link requests (statement page_of: $1 team, $2
 * ?status= among statuses, $3 cursor, $4 size), for a firm's client managers or a company's
 * administrator (403 otherwise). */
void partners_list_requests(struct ctx *ctx, const char *const *statuses,
                            enum sql_statement page_of);
/* For /…-requests/{request}/…: finds with lookup ($1 the request id, column 0 the answering
 * team) the team that answers the request and enters it as its administrator; 404 with detail
 * what for a request the caller cannot answer, 403 for a member who is not the administrator. */
bool partners_enter_answering_team(struct ctx *ctx, enum sql_statement lookup, const char *what);
void partner_requests_create(struct ctx *ctx);
void partner_requests_list(struct ctx *ctx);
void partner_requests_accept(struct ctx *ctx);
void partner_requests_refuse(struct ctx *ctx);
void partners_list(struct ctx *ctx);

/* links.c */
extern const struct body_spec link_requests_create_body;
extern const struct body_spec link_requests_accept_body;
void link_requests_create(struct ctx *ctx);
void link_requests_list(struct ctx *ctx);
void link_requests_accept(struct ctx *ctx);
void link_requests_refuse(struct ctx *ctx);
void linked_accounts_list(struct ctx *ctx);
void linked_accounts_unlink(struct ctx *ctx);

/* documents.c */
void documents_upload(struct ctx *ctx);
void documents_list(struct ctx *ctx);
void documents_get(struct ctx *ctx);

/* offices.c */
extern const struct body_spec offices_settings_body;
extern const struct body_spec offices_client_group_body;
/* True on an office's routes; otherwise fills 409 not_an_office. */
bool offices_only(struct ctx *ctx);
/* Emits an automatic e-mail of the caller's team when it is an office (see emit_notification),
 * in a statement of its own; a failure is logged, never the caller's. */
void offices_notify(struct ctx *ctx, const char *type, const char *matter_id,
                    const char *subject, const char *body);
void offices_settings_get(struct ctx *ctx);
void offices_settings_put(struct ctx *ctx);
void offices_client_groups_list(struct ctx *ctx);
void offices_client_groups_create(struct ctx *ctx);

/* matters.c */
/* The detail of sender_not_configured: what would give the matter a sender. */
#define MATTERS_NO_SENDER                                                                          \
    "No level of the cascade has an address: give the matter a manager, its client group an "   \
    "e-mail, or the office a functional or communication e-mail"
extern const struct body_spec matters_create_body;
extern const struct body_spec matters_update_body;
/* True when the matter of the path ({team}/matters/{matter}) is the office's; else 404 (409
 * not_an_office on another kind of team). */
bool matters_exists(struct ctx *ctx);
void matters_list(struct ctx *ctx);
void matters_create(struct ctx *ctx);
void matters_get(struct ctx *ctx);
void matters_update(struct ctx *ctx);
void matters_sender(struct ctx *ctx);

/* client_users.c */
extern const struct body_spec client_users_create_body;
extern const struct body_spec client_users_password_body;
void client_users_create(struct ctx *ctx);
void client_users_list(struct ctx *ctx);
void client_users_welcome_show(struct ctx *ctx);
void client_users_welcome_password(struct ctx *ctx);

/* client_requests.c */
extern const struct body_spec client_requests_user_body;
extern const struct body_spec client_requests_message_body;
void client_requests_vat_complete(struct ctx *ctx);
void client_requests_vat_list(struct ctx *ctx);
void client_requests_user_create(struct ctx *ctx);
void client_requests_user_list(struct ctx *ctx);
void client_requests_message_create(struct ctx *ctx);
void client_requests_message_list(struct ctx *ctx);

/* mailboxes.c */
extern const struct body_spec mailboxes_create_body;
extern const struct body_spec mailboxes_update_body;
extern const struct body_spec mailboxes_test_email_body;
/* True when the caller reads the messages of the mailbox of the path ({team}/mailboxes/
 * {mailbox}): its owner or a colleague it is shared with; else 404. */
bool mailboxes_readable(struct ctx *ctx);
void mailboxes_list(struct ctx *ctx);
void mailboxes_create(struct ctx *ctx);
void mailboxes_get(struct ctx *ctx);
void mailboxes_update(struct ctx *ctx);
void mailboxes_delete(struct ctx *ctx);
void mailboxes_test_email(struct ctx *ctx);
void mailboxes_poll(struct ctx *ctx);
void mailboxes_grant(struct ctx *ctx);
void mailboxes_revoke(struct ctx *ctx);

/* messages.c */
extern const struct body_spec messages_update_body;
void messages_list(struct ctx *ctx);
void messages_get(struct ctx *ctx);
void messages_update(struct ctx *ctx);

#endif
