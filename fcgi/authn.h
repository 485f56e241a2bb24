/* Who is calling: a session cookie or an API key, resolved once per request. */
#ifndef PLI_AUTHN_H
#define PLI_AUTHN_H

#include <stdbool.h>

#include "fcgi/ctx.h"

/* The credentials a request carries, read from its parameters without being looked up. */
enum authn_credentials {
    AUTHN_NONE,    /* neither an Authorization header nor a session cookie */
    AUTHN_INVALID, /* something was sent, but it cannot be a key or a session token */
    AUTHN_API_KEY, /* Authorization: Bearer pli_... */
    AUTHN_SESSION, /* a session cookie of the right length */
    AUTHN__MAX
};

/* Reads the Authorization header, else the session cookie named cookie_name; *token points
 * at the key or the cookie's value (arena memory) for AUTHN_API_KEY and AUTHN_SESSION. */
enum authn_credentials authn_credentials(const struct request *req, const char *cookie_name,
                                         const char **token);

/* Fills ctx->req.who from the Authorization header or the session cookie. *presented tells
 * whether credentials were sent at all (valid or not). Returns DB_OK unless the database failed. */
enum db_status authn_resolve(struct ctx *ctx, bool *presented);

#endif
