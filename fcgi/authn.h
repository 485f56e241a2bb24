/* Who is calling: a session cookie or an API key, resolved once per request. */
#ifndef PLI_AUTHN_H
#define PLI_AUTHN_H

#include <stdbool.h>

#include "fcgi/ctx.h"

/* Fills ctx->req.who from the Authorization header or the session cookie. *presented tells
 * whether credentials were sent at all (valid or not). Returns DB_OK unless the database failed. */
enum db_status authn_resolve(struct ctx *ctx, bool *presented);

#endif
