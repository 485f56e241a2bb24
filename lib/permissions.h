/* The permission names a role can carry, as an enum with a parallel table of names. */
#ifndef PLI_PERMISSIONS_H
#define PLI_PERMISSIONS_H

#include <stdbool.h>
#include <stddef.h>

enum permission {
    PERM_LETTERS_SEND,
    PERM_LETTERS_VALIDATE,
    PERM_LETTERS_VIEW_ALL,
    PERM_GROUPS_MANAGE,
    PERM_MEMBERS_MANAGE,
    PERM_BILLING_VIEW,
    PERM_SETTINGS_MANAGE,
    PERM_MAILBOXES_MANAGE,
    PERM_DOCUMENTS_VIEW,
    PERM_CLIENTS_MANAGE,
    PERM_WEBHOOKS_MANAGE,
    PERM__MAX
};

/* A set of permissions, one bit per enum value. */
typedef unsigned permission_set;

#define PERMISSION_BIT(p) (1u << (p))
#define PERMISSION_ALL ((1u << PERM__MAX) - 1u)

/* The API name of a permission ("letters.send"). */
const char *permission_name(enum permission p);
/* Finds a permission by its API name; false when unknown. */
bool permission_parse(const char *name, enum permission *out);
/* Builds a set from a comma-separated list of names (unknown names are ignored). */
permission_set permission_set_parse(const char *comma_separated);

/* Writes a set as a PostgreSQL text array literal ("{letters.send,members.manage}"). */
void permission_set_format(permission_set set, char *out, size_t size);
/* The first permission of `wanted` missing from `held`; PERM__MAX when none is missing. */
enum permission permission_first_missing(permission_set wanted, permission_set held);

#endif
