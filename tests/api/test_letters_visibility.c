/* Who sees which letters inside a team: members their own, validators also those waiting for
 * validation, holders of letters.view_all (and the administrator) every one. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/letters.h"
#include "support/testdb.h"

/* The ids that GET /letters lists for c (first page, 200 at most; caller decrefs). */
static json_t *listed(struct client *c, const char *team)
{
    struct reply *r =
        client_send(c, "GET", lt_path("/api/v1/teams/%s/letters?limit=200", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *ids = json_array();
    size_t i;
    json_t *item;
    json_array_foreach (json_object_get(r->json, "items"), i, item) {
        json_array_append_new(ids, json_string(lt_str(item, "id")));
    }
    reply_free(r);
    return ids;
}

static int has(const json_t *ids, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach (ids, i, item) {
        if (strcmp(json_string_value(item), id) == 0)
            return 1;
    }
    return 0;
}

Test(letters_visibility, a_member_lists_only_their_own_letters)
{
    struct lt_scene s;
    char mine[LT_ID_MAX];
    lt_scene(&s);
    lt_draft(&s.admin.c, s.team, "simple", "De l'administrateur", s.letter);
    lt_draft(&s.member.c, s.team, "simple", "Du membre", mine);
    json_t *ids = listed(&s.member.c, s.team);
    cr_assert_eq(json_array_size(ids), 1);
    cr_assert(has(ids, mine));
    json_decref(ids);
}

Test(letters_visibility, a_member_gets_404_on_a_colleagues_letter)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_draft(&s.admin.c, s.team, "simple", "De l'administrateur", s.letter);
    struct reply *r = lt_get(&s.member.c, s.team, s.letter);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(letters_visibility, a_member_cannot_submit_a_colleagues_draft)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_draft(&s.admin.c, s.team, "simple", "De l'administrateur", s.letter);
    struct reply *r = lt_action(&s.member.c, s.team, s.letter, "submit");
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(s.letter, status), "draft");
}

Test(letters_visibility, the_administrator_sees_every_letter)
{
    struct lt_scene s;
    char mine[LT_ID_MAX];
    lt_scene(&s);
    lt_draft(&s.admin.c, s.team, "simple", "De l'administrateur", mine);
    lt_draft(&s.member.c, s.team, "simple", "Du membre", s.letter);
    json_t *ids = listed(&s.admin.c, s.team);
    cr_assert_eq(json_array_size(ids), 2);
    cr_assert(has(ids, mine) && has(ids, s.letter));
    json_decref(ids);
    struct reply *r = lt_get(&s.admin.c, s.team, s.letter);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "sender_id"), s.member.id);
    reply_free(r);
}

Test(letters_visibility, a_role_with_view_all_sees_every_letter)
{
    struct lt_scene s;
    struct lt_user viewer;
    char role[LT_ID_MAX];
    static const char *const permissions[] = {"letters.send", "letters.view_all", NULL};
    lt_scene(&s);
    lt_role(&s.admin.c, s.team, "Lecteur", permissions, role);
    lt_join(&s.admin.c, s.team, role, &viewer);
    lt_draft(&s.member.c, s.team, "simple", "Du membre", s.letter);
    json_t *ids = listed(&viewer.c, s.team);
    cr_assert(has(ids, s.letter));
    json_decref(ids);
    struct reply *r = lt_get(&viewer.c, s.team, s.letter);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
}

Test(letters_visibility, a_validator_sees_colleagues_letters_waiting_for_validation)
{
    struct lt_scene s;
    struct lt_user validator;
    lt_scene(&s);
    lt_join_validator(&s.admin.c, s.team, &validator);
    lt_pending_letter(&s, 1, 0);
    json_t *ids = listed(&validator.c, s.team);
    cr_assert_eq(json_array_size(ids), 1);
    cr_assert(has(ids, s.letter));
    json_decref(ids);
    struct reply *r = lt_get(&validator.c, s.team, s.letter);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "pending_validation");
    reply_free(r);
}

Test(letters_visibility, a_validator_without_view_all_does_not_see_colleagues_drafts)
{
    struct lt_scene s;
    struct lt_user validator;
    lt_scene(&s);
    lt_join_validator(&s.admin.c, s.team, &validator);
    lt_draft(&s.member.c, s.team, "simple", "Brouillon", s.letter);
    json_t *ids = listed(&validator.c, s.team);
    cr_assert_eq(json_array_size(ids), 0);
    json_decref(ids);
    struct reply *r = lt_get(&validator.c, s.team, s.letter);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(letters_visibility, a_validator_validates_a_colleagues_letter)
{
    struct lt_scene s;
    struct lt_user validator;
    lt_scene(&s);
    lt_join_validator(&s.admin.c, s.team, &validator);
    lt_pending_letter(&s, 1, 0);
    lt_reauth(&validator.c);
    struct reply *r = lt_action(&validator.c, s.team, s.letter, "validate");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "sending", "%s", r->body);
    cr_assert_str_eq(lt_str(json_object_get(r->json, "validation"), "by"), validator.id);
    reply_free(r);
}

Test(letters_visibility, a_sent_letter_leaves_the_validators_view)
{
    struct lt_scene s;
    struct lt_user validator;
    lt_scene(&s);
    lt_join_validator(&s.admin.c, s.team, &validator);
    json_decref(lt_validated_letter(&s, 1, 0));
    json_t *ids = listed(&validator.c, s.team);
    cr_assert_eq(json_array_size(ids), 0, "only letters waiting for validation");
    json_decref(ids);
    struct reply *r = lt_get(&validator.c, s.team, s.letter);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(letters_visibility, only_the_sender_submits_even_for_the_administrator)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_draft(&s.member.c, s.team, "simple", "Du membre", s.letter);
    lt_reauth(&s.admin.c);
    struct reply *r = lt_action(&s.admin.c, s.team, s.letter, "submit");
    reply_expect_problem(r, 403, "forbidden");
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(s.letter, status), "draft");
}

Test(letters_visibility, only_the_sender_attaches_even_for_the_administrator)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_draft(&s.member.c, s.team, "simple", "Du membre", s.letter);
    char *pdf = lt_pdf("Ajout");
    struct reply *r = lt_attach(&s.admin.c, s.team, s.letter, pdf, "application/pdf");
    reply_expect_problem(r, 403, "forbidden");
    reply_free(r);
    free(pdf);
    const char *params[] = {s.letter};
    cr_assert_eq(testdb_long("SELECT count(*) FROM letter_attachments WHERE letter_id = $1", 1,
                             params),
                 0);
}
