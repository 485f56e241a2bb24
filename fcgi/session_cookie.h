/* The session cookie: HttpOnly, SameSite=Lax, and __Host- with Secure behind https. */
#ifndef PLI_SESSION_COOKIE_H
#define PLI_SESSION_COOKIE_H

#include "fcgi/ctx.h"

/* The cookie name for this deployment. */
const char *session_cookie_name(const struct app *app);
/* Adds a Set-Cookie header carrying token for the absolute session lifetime. */
void session_cookie_set(struct ctx *ctx, const char *token);
/* Adds a Set-Cookie header that deletes the cookie. */
void session_cookie_clear(struct ctx *ctx);

#endif
