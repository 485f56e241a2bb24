/* Every handler the route table (fcgi/routes.c) can call, grouped by resource file. */
#ifndef PLI_HANDLERS_H
#define PLI_HANDLERS_H

#include "fcgi/ctx.h"
#include "fcgi/router.h"

/* service.c */
void service_health(struct ctx *ctx);
void service_keys(struct ctx *ctx);

/* auth.c */
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

#endif
