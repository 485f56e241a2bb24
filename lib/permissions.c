#include "lib/permissions.h"

#include <stdio.h>
#include <string.h>

static const char *const names[PERM__MAX] = {
    [PERM_LETTERS_SEND] = "letters.send",
    [PERM_LETTERS_VALIDATE] = "letters.validate",
    [PERM_LETTERS_VIEW_ALL] = "letters.view_all",
    [PERM_GROUPS_MANAGE] = "groups.manage",
    [PERM_MEMBERS_MANAGE] = "members.manage",
    [PERM_BILLING_VIEW] = "billing.view",
    [PERM_SETTINGS_MANAGE] = "settings.manage",
    [PERM_MAILBOXES_MANAGE] = "mailboxes.manage",
    [PERM_DOCUMENTS_VIEW] = "documents.view",
    [PERM_CLIENTS_MANAGE] = "clients.manage",
    [PERM_WEBHOOKS_MANAGE] = "webhooks.manage",
};

const char *permission_name(enum permission p)
{
    return p < PERM__MAX ? names[p] : "";
}

bool permission_parse(const char *name, enum permission *out)
{
    for (int i = 0; i < PERM__MAX; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = (enum permission)i;
            return true;
        }
    }
    return false;
}

permission_set permission_set_parse(const char *list)
{
    permission_set set = 0;
    while (list && *list) {
        size_t len = strcspn(list, ",");
        for (int i = 0; i < PERM__MAX; i++)
            if (strlen(names[i]) == len && strncmp(names[i], list, len) == 0)
                set |= PERMISSION_BIT(i);
        list += len;
        if (*list == ',')
            list++;
    }
    return set;
}

void permission_set_format(permission_set set, char *out, size_t size)
{
    size_t used = (size_t)snprintf(out, size, "{");
    for (int i = 0; i < PERM__MAX && used < size; i++)
        if (set & PERMISSION_BIT(i))
            used += (size_t)snprintf(out + used, size - used, "%s%s", used > 1 ? "," : "",
                                     names[i]);
    if (used < size)
        snprintf(out + used, size - used, "}");
}

enum permission permission_first_missing(permission_set wanted, permission_set held)
{
    for (int i = 0; i < PERM__MAX; i++)
        if ((wanted & PERMISSION_BIT(i)) && !(held & PERMISSION_BIT(i)))
            return (enum permission)i;
    return PERM__MAX;
}
