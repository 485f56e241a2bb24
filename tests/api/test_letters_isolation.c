/* Another team never reaches a letter: 404 through the letter's team (not a member) and 404
 * through its own team (not its letter), for every letter route. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/letters.h"
#include "support/testdb.h"

/* A pending letter of one team, and the administrator of another, stepped up, whose team has
 * a payment method: nothing but the team stands in the way. */
struct isolation {
    struct lt_scene s;
    struct lt_user foreign;
    char foreign_team[LT_ID_MAX];
};

static void setup(struct isolation *t)
{
    lt_scene(&t->s);
    lt_pending_letter(&t->s, 1, 1);
    lt_admin(&t->foreign, t->foreign_team);
    lt_payment_method(&t->foreign.c, t->foreign_team);
    lt_reauth(&t->foreign.c);
}

/* Sends method to /api/v1/teams/<team>/letters/<letter><suffix> through both teams; asserts
 * 404 not_found each time. */
static void expect_404(struct isolation *t, const char *method, const char *suffix,
                       const char *body, const char *const *headers)
{
    const char *teams[] = {t->s.team, t->foreign_team};
    for (int i = 0; i < 2; i++) {
        struct reply *r = client_send(
            &t->foreign.c, method,
            lt_path("/api/v1/teams/%s/letters/%s%s", teams[i], t->s.letter, suffix), body, headers);
        cr_assert_eq(r->status, 404, "%s %s through %s: %ld %s", method, suffix,
                     i ? "its own team" : "the letter's team", r->status, r->body);
        reply_expect_problem(r, 404, "not_found");
        reply_free(r);
    }
}

/* The letter is as it was: pending, one attachment, no validation. */
static void unchanged(const struct isolation *t)
{
    char status[32];
    cr_assert_str_eq(lt_db_status(t->s.letter, status), "pending_validation");
    const char *params[] = {t->s.letter};
    cr_assert_eq(
        testdb_long("SELECT count(*) FROM letter_attachments WHERE letter_id = $1", 1, params), 1);
    cr_assert_eq(
        testdb_long("SELECT count(*) FROM letter_validations WHERE letter_id = $1", 1, params), 0);
}

Test(letters_isolation, another_teams_list_is_404_and_its_own_list_is_empty)
{
    struct isolation t;
    setup(&t);
    struct reply *r =
        client_send(&t.foreign.c, "GET", lt_path("/api/v1/teams/%s/letters", t.s.team), NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    r = client_send(&t.foreign.c, "GET", lt_path("/api/v1/teams/%s/letters", t.foreign_team), NULL,
                    NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
}

Test(letters_isolation, get_is_404)
{
    struct isolation t;
    setup(&t);
    expect_404(&t, "GET", "", NULL, NULL);
}

Test(letters_isolation, attachments_are_404)
{
    struct isolation t;
    setup(&t);
    char *pdf = lt_pdf("Intrus");
    static const char *const headers[] = {"Content-Type: application/pdf", NULL};
    expect_404(&t, "POST", "/attachments", pdf, headers);
    free(pdf);
    unchanged(&t);
}

Test(letters_isolation, submit_is_404)
{
    struct isolation t;
    setup(&t);
    expect_404(&t, "POST", "/submit", NULL, NULL);
    unchanged(&t);
}

Test(letters_isolation, validate_is_404)
{
    struct isolation t;
    setup(&t);
    expect_404(&t, "POST", "/validate", NULL, NULL);
    unchanged(&t);
}

Test(letters_isolation, reject_is_404)
{
    struct isolation t;
    setup(&t);
    static const char *const headers[] = {"Content-Type: application/json", NULL};
    expect_404(&t, "POST", "/reject", "{\"reason\":\"Intrusion\"}", headers);
    unchanged(&t);
}

Test(letters_isolation, another_teams_group_is_422_unknown_group)
{
    struct isolation t;
    char group[LT_ID_MAX];
    setup(&t);
    lt_group(&t.s.admin.c, t.s.team, "Clients", group);
    struct reply *r = lt_create(&t.foreign.c, t.foreign_team,
                                json_pack("{s:s, s:s, s:[s]}", "kind", "simple", "subject",
                                          "Vol de groupe", "group_ids", group),
                                NULL);
    lt_field_problem(r, "group_ids", "unknown_group");
    reply_free(r);
    const char *params[] = {t.foreign_team};
    cr_assert_eq(testdb_long("SELECT count(*) FROM letters WHERE team_id = $1", 1, params), 0);
}
