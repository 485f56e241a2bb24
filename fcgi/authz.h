/* Team-scoped access: membership and the permission a route declares, checked centrally. */
#ifndef PLI_AUTHZ_H
#define PLI_AUTHZ_H

#include <stdbool.h>

#include "fcgi/ctx.h"
#include "fcgi/router.h"

/* Loads the caller's membership of the route's team and checks what the route requires;
 * on refusal fills the problem (404 outside the team, 403 naming the missing permission). */
bool authz_check(struct ctx *ctx, const struct route *route);
/* The same check for a team the handler found itself (a request addressed to one team, answered
 * from another): on success the caller acts in team_id. */
bool authz_enter_team(struct ctx *ctx, const char *team_id, enum route_team need,
                      enum permission permission);
/* True when the caller (already checked into a team) holds the permission. */
bool authz_has(const struct ctx *ctx, enum permission p);

#endif
