#include "fcgi/session_cookie.h"

const char *session_cookie_name(const struct app *app)
{
    return app->cfg.public_https ? "__Host-pli_session" : "pli_session";
}

static void set_cookie(struct ctx *ctx, const char *value, long max_age)
{
    const char *cookie = arena_printf(ctx->req.arena, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; "
                                      "SameSite=Lax%s",
                                      session_cookie_name(ctx->app), value, max_age,
                                      ctx->app->cfg.public_https ? "; Secure" : "");
    if (cookie)
        response_header(&ctx->resp, "Set-Cookie", cookie);
}

void session_cookie_set(struct ctx *ctx, const char *token)
{
    set_cookie(ctx, token, ctx->app->cfg.session_absolute_seconds);
}

void session_cookie_clear(struct ctx *ctx)
{
    set_cookie(ctx, "", 0);
}
