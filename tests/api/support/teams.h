/* Shared steps of the team tests: a team with its administrator, custom roles, invitations and
 * members who joined through the link of the real e-mail. */
#ifndef PLI_TEST_TEAMS_H
#define PLI_TEST_TEAMS_H

#include "support/client.h"

#define TEAMS_ID_MAX 64
#define TEAMS_TOKEN_MAX 128
#define TEAMS_MAIL_WAIT_MS 10000

/* A signed-in user with its e-mail and id. */
struct teams_user {
    struct client c;
    char email[128];
    char id[TEAMS_ID_MAX];
};

/* Every permission name, NULL-terminated. */
extern const char *const teams_all_permissions[];
/* How many permission names teams_all_permissions holds. */
size_t teams_permission_count(void);

/* A path built printf-style; one of 8 rotating buffers, valid for a few calls. */
const char *tpath(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Signs up a new user (fills u). */
void teams_user(struct teams_user *u);
/* Signs up a new user and has it create a team; fills u and team. */
void teams_admin(struct teams_user *u, char team[TEAMS_ID_MAX]);
/* Creates a role from a NULL-terminated list of permission names (NULL: none); fills role. */
void teams_role(struct client *admin, const char *team, const char *name,
                const char *const *permissions, char role[TEAMS_ID_MAX]);
/* The id of a built-in role ("administrator" or "member"). */
void teams_builtin_role(struct client *admin, const char *team, const char *builtin,
                        char role[TEAMS_ID_MAX]);
/* Invites one address (role_id NULL: the member role); asserts "invited" and fills id. */
void teams_invite(struct client *inviter, const char *team, const char *email,
                  const char *role_id, char invitation[TEAMS_ID_MAX]);
/* Waits for the e-mail of that version of the invitation and takes the token from its link
 * (<public URL>/invitations/<token>); fails the test when it does not arrive. */
void teams_wait_token(const char *email, const char *invitation, int version,
                      char token[TEAMS_TOKEN_MAX]);
/* Invites a new address with role_id (NULL: member) and signs it up through the e-mailed
 * link; fills m with the new member's session. */
void teams_join(struct client *admin, const char *team, const char *role_id,
                struct teams_user *m);
/* Ages an invitation past its expiry in the database. */
void teams_expire(const char *invitation);
/* Asserts a problem reply: status, code and application/problem+json. */
void teams_assert_problem(const struct reply *r, long status, const char *code);
/* Asserts a 422 validation_failed naming field with the given error code. */
void teams_assert_field_problem(const struct reply *r, const char *field, const char *code);
/* Asserts a 403 forbidden whose "required" member names what is missing. */
void teams_assert_forbidden(const struct reply *r, const char *required);
/* The string at obj[key] (NULL-safe), or "". */
const char *teams_str(const json_t *obj, const char *key);
/* Whether a JSON array of strings holds s. */
int teams_array_has(const json_t *array, const char *s);

#endif
