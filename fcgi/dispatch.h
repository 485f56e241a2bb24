/* The request pipeline: route, body, identity, CSRF, body checks, then the handler. */
#ifndef PLI_DISPATCH_H
#define PLI_DISPATCH_H

#include <fcgiapp.h>

#include "fcgi/ctx.h"

/* Serves one request; fills ctx->resp whatever happens. */
void dispatch(struct ctx *ctx, FCGX_Stream *in);

#endif
