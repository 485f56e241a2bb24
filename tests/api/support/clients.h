/* Shared steps of the tests of a firm's clients: firms and companies with their administrators,
 * client records (and the company spaces pli creates for them), partner and link requests,
 * shared documents and the audit log. Every name starts with cl_. */
#ifndef PLI_TEST_CLIENTS_H
#define PLI_TEST_CLIENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "support/client.h"
#include "support/teams.h"

/* The largest document a firm shares (PLI_DOCUMENT_MAX_BYTES by default). */
#define CL_DOCUMENT_MAX 52428800L
/* A well-formed id that names nothing. */
#define CL_UNKNOWN_ID "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"

/* A client record of a firm: its id and the team of its company. */
struct cl_client {
    char id[TEAMS_ID_MAX];
    char company[TEAMS_ID_MAX];
};

/* A firm and a company, each created by its own administrator, and the firm's record of the
 * company (which filed the partner request `request`, still pending). */
struct cl_pair {
    struct teams_user firm_admin, company_admin;
    char firm[TEAMS_ID_MAX], company[TEAMS_ID_MAX], request[TEAMS_ID_MAX];
    struct cl_client client;
};

/* Signs up a new user who creates a team of that kind ("firm", "company") and name. */
void cl_team(struct teams_user *u, const char *kind, const char *name, char team[TEAMS_ID_MAX]);
/* Builds a cl_pair (names: the firm's and the company's). */
void cl_pair(struct cl_pair *p, const char *firm_name, const char *company_name);

/* POST /api/v1/teams/{firm}/clients; company NULL leaves company_team_id out. */
struct reply *cl_client_post(struct client *c, const char *firm, const char *name,
                             const char *email, const char *company);
/* The same, asserting 201; fills rec. */
void cl_client(struct client *c, const char *firm, const char *name, const char *email,
               const char *company, struct cl_client *rec);

/* The id of the firm's newest partner request with the company (read in the database). */
void cl_partner_request(const char *firm, const char *company, char id[TEAMS_ID_MAX]);
/* The status of a row of partner_requests or link_requests (read in the database). */
const char *cl_status(const char *table, const char *id, char out[16]);
/* POST /api/v1/{what}/{id}/{action}, no body; what: "partner-requests" or "link-requests",
 * action: "accept" or "refuse". */
struct reply *cl_answer(struct client *c, const char *what, const char *id, const char *action);
/* The company's administrator accepts the partner request (asserts 200 "accepted"). */
void cl_accept_partner(struct client *admin, const char *request);

/* POST /api/v1/teams/{firm}/link-requests with the two client ids. */
struct reply *cl_link_post(struct client *c, const char *firm, const char *secondary,
                           const char *principal);
/* The same, asserting 201 "pending"; fills the link request id. */
void cl_link(struct client *c, const char *firm, const char *secondary, const char *principal,
             char id[TEAMS_ID_MAX]);
/* POST /api/v1/link-requests/{id}/accept with {"accept_group": group}. */
struct reply *cl_link_accept(struct client *c, const char *id, bool group);

/* POST .../clients/{client}/documents with these bytes; filename and type NULL leave the
 * X-Filename and Content-Type headers out (curl's default type too). */
struct reply *cl_upload(struct client *c, const char *firm, const char *client, const void *data,
                        size_t len, const char *filename, const char *type);
/* Shares a text document as text/plain (asserts 201); fills its id. */
void cl_share(struct client *c, const char *firm, const char *client, const char *text,
              const char *filename, char doc[TEAMS_ID_MAX]);

/* GET path, asserting 200. */
struct reply *cl_get(struct client *c, const char *path);
/* Asserts GET path answers 404 not_found. */
void cl_get_404(struct client *c, const char *path);

/* The pending invitation of a team (exactly one, read in the database). */
void cl_space_invitation(const char *team, char id[TEAMS_ID_MAX]);
/* A new user signs up, with `email`, through the e-mailed invitation of a space pli created. */
void cl_join_space(const char *team, const char *email, struct teams_user *u);
/* An existing user accepts the e-mailed invitation of a space pli created for its address. */
void cl_accept_space(struct teams_user *u, const char *team);

/* How many events of that action (with that target, unless NULL) the team's audit log holds. */
int cl_audit_count(struct client *admin, const char *team, const char *action, const char *target);
/* The item of array whose string member key is value, or NULL. */
json_t *cl_find(const json_t *array, const char *key, const char *value);
/* Asserts the `key` members of the items, in order, are the NULL-terminated expected list. */
void cl_assert_keys(const json_t *items, const char *key, const char *const *expected);

#endif
