/* Teams, recipient groups and members for the groups, contacts and imports tests. */
#ifndef PLI_TEST_GROUPS_H
#define PLI_TEST_GROUPS_H

#include <stddef.h>

#include "support/client.h"

#define GROUPS_ID_MAX 64
#define GROUPS_PATH_MAX 512

/* A fresh administrator (every permission), their team and one empty group in it. */
struct groups_fixture {
    struct client admin;
    char team_id[GROUPS_ID_MAX];
    char group_id[GROUPS_ID_MAX];
};

/* Creates a "firm" team with c as its administrator; copies its id. */
void groups_new_team(struct client *c, char *team_id, size_t size);
/* Creates a group in a team; copies its id. */
void groups_new_group(struct client *c, const char *team_id, const char *name, char *group_id,
                      size_t size);
/* Signs up an administrator, creates their team and a group named "Clients". */
void groups_setup(struct groups_fixture *t);
/* Signs up a new user and adds them to the team with the built-in member role (no
 * groups.manage). */
void groups_add_member(const char *team_id, struct client *member);
/* "/api/v1/teams/{team}/groups/{group}" followed by suffix (may be ""). */
const char *groups_path(const struct groups_fixture *t, const char *suffix, char *out, size_t size);
/* ".../groups/{group}/contacts/{contact}" of the fixture's group. */
const char *groups_contact_path(const struct groups_fixture *t, const char *contact_id, char *out,
                                size_t size);
/* How many contacts the group holds, read from the database. */
long groups_count_contacts(const char *group_id);
/* Every contact of the group (GET .../contacts?limit=200); the caller frees with json_decref. */
json_t *groups_list_contacts(struct groups_fixture *t);
/* The contact of a list with this last name; NULL when none. */
const json_t *groups_contact_named(const json_t *items, const char *last_name);
/* Creates a contact from a JSON object literal (json_pack format); fails unless 201. Copies the
 * new contact's id when id is not NULL. */
void groups_add_contact(struct groups_fixture *t, char *id, size_t id_size, const char *fmt, ...);
/* The field-level error of a 422 validation_failed reply with this field; NULL when none. */
const json_t *groups_field_error(const struct reply *r, const char *field);

#endif
