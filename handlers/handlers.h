/* Every handler the route table (fcgi/routes.c) can call, grouped by resource file. */
#ifndef PLI_HANDLERS_H
#define PLI_HANDLERS_H

#include "fcgi/ctx.h"
#include "fcgi/router.h"

/* service.c */
void service_health(struct ctx *ctx);
void service_keys(struct ctx *ctx);

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

/* contacts.c */
extern const struct body_spec contacts_create_body;
extern const struct body_spec contacts_update_body;
void contacts_list(struct ctx *ctx);
void contacts_create(struct ctx *ctx);
void contacts_update(struct ctx *ctx);
void contacts_delete(struct ctx *ctx);

/* imports.c */
void imports_template_xlsx(struct ctx *ctx);
void imports_template_csv(struct ctx *ctx);
void imports_create(struct ctx *ctx);

#endif
