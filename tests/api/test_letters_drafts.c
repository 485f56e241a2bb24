/* Drafts: what each kind needs from its recipients, groups checked at submission, the payment
 * method, and a submitted letter that no longer changes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/letters.h"
#include "support/testdb.h"

/* A new admin's team with a payment method: an administrator may create drafts directly. */
static void team(struct lt_user *admin, char id[LT_ID_MAX])
{
    lt_admin(admin, id);
    lt_payment_method(&admin->c, id);
}

/* Creates a letter of kind to two recipients (both stolen); returns the reply. */
static struct reply *create_two(struct lt_user *admin, const char *id, const char *kind,
                                json_t *first, json_t *second)
{
    return lt_create(&admin->c, id,
                     json_pack("{s:s, s:s, s:[o, o]}", "kind", kind, "subject", "Relance",
                               "recipients", first, second),
                     NULL);
}

static long letters_of(const char *team_id)
{
    const char *params[] = {team_id};
    return testdb_long("SELECT count(*) FROM letters WHERE team_id = $1", 1, params);
}

Test(letters_drafts, a_draft_is_201_with_its_recipients)
{
    struct lt_user admin;
    char id[LT_ID_MAX];
    team(&admin, id);
    struct reply *r =
        create_two(&admin, id, "simple", lt_email_recipient("Durand", "a@example.test"),
                   lt_postal_recipient("Petit", "12 rue de la Paix"));
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "draft");
    cr_assert_str_eq(lt_str(r->json, "kind"), "simple");
    cr_assert_str_eq(lt_str(r->json, "sender_id"), admin.id);
    json_t *recipients = json_object_get(r->json, "recipients");
    cr_assert_eq(json_array_size(recipients), 2, "%s", r->body);
    cr_assert_str_eq(lt_str(json_array_get(recipients, 0), "email"), "a@example.test");
    json_t *address = json_object_get(json_array_get(recipients, 1), "address");
    cr_assert_str_eq(lt_str(address, "line1"), "12 rue de la Paix", "%s", r->body);
    cr_assert_str_eq(lt_str(address, "city"), "Paris", "%s", r->body);
    reply_free(r);
}

Test(letters_drafts, lre_recipient_without_email_is_named_by_index)
{
    struct lt_user admin;
    char id[LT_ID_MAX];
    team(&admin, id);
    struct reply *r = create_two(&admin, id, "lre", lt_email_recipient("Durand", "a@example.test"),
                                 lt_postal_recipient("Petit", "12 rue de la Paix"));
    lt_field_problem(r, "recipients[1].email", "email_required");
    cr_assert_eq(json_array_size(json_object_get(r->json, "errors")), 1, "%s", r->body);
    reply_free(r);
    cr_assert_eq(letters_of(id), 0);
}

Test(letters_drafts, lrar_recipient_without_address_is_named_by_index)
{
    struct lt_user admin;
    char id[LT_ID_MAX];
    team(&admin, id);
    struct reply *r = create_two(&admin, id, "lrar", lt_postal_recipient("Petit", "1 rue Haute"),
                                 lt_email_recipient("Durand", "a@example.test"));
    lt_field_problem(r, "recipients[1].address.line1", "address_required");
    reply_free(r);
    cr_assert_eq(letters_of(id), 0);
}

Test(letters_drafts, lrar_address_line_of_39_characters_is_too_long)
{
    struct lt_user admin;
    char id[LT_ID_MAX];
    team(&admin, id);
    const char *line = "23 avenue des Champs-Elysees Batiment B"; /* 39 characters */
    cr_assert_eq(strlen(line), 39);
    struct reply *r = create_two(&admin, id, "lrar", lt_postal_recipient("Petit", "1 rue Haute"),
                                 lt_postal_recipient("Roux", line));
    lt_field_problem(r, "recipients[1].address.line1", "line_too_long");
    reply_free(r);
}

Test(letters_drafts, lrar_address_line_of_38_characters_is_accepted)
{
    struct lt_user admin;
    char id[LT_ID_MAX];
    team(&admin, id);
    /* 38 characters, accents counted as one each. */
    const char *line = "2 avenue des Champs-Élysées Bâtiment A";
    struct reply *r = create_two(&admin, id, "lrar", lt_postal_recipient("Petit", "1 rue Haute"),
                                 lt_postal_recipient("Roux", line));
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);
}

Test(letters_drafts, lrar_postal_code_and_city_over_38_characters)
{
    struct lt_user admin;
    char id[LT_ID_MAX];
    team(&admin, id);
    json_t *far = lt_postal_recipient("Roux", "1 place de l'Eglise");
    /* "75001 " + 33 characters = 39 */
    json_object_set_new(json_object_get(far, "address"), "city",
                        json_string("Saint-Remy-en-Bouzemont-Saint-Gen"));
    struct reply *r =
        create_two(&admin, id, "lrar", lt_postal_recipient("Petit", "1 rue Haute"), far);
    lt_field_problem(r, "recipients[1].address.city", "line_too_long");
    reply_free(r);
}

Test(letters_drafts, no_recipient_and_no_group_is_422)
{
    struct lt_user admin;
    char id[LT_ID_MAX];
    team(&admin, id);
    struct reply *r = lt_create(
        &admin.c, id,
        json_pack("{s:s, s:s, s:[]}", "kind", "simple", "subject", "Vide", "recipients"), NULL);
    lt_field_problem(r, "recipients", "required");
    reply_free(r);
}

Test(letters_drafts, unfit_group_contact_is_422_recipients_invalid_at_submit)
{
    struct lt_user admin;
    char id[LT_ID_MAX], group[LT_ID_MAX], letter[LT_ID_MAX];
    team(&admin, id);
    lt_group(&admin.c, id, "Mixte", group);
    lt_group_add(&admin.c, id, group, lt_email_recipient("Durand", "durand@example.test"));
    lt_group_add(&admin.c, id, group, lt_postal_recipient("Sanscourriel", "3 rue Basse"));
    struct reply *r = lt_create(
        &admin.c, id,
        json_pack("{s:s, s:s, s:[s]}", "kind", "lre", "subject", "Convocation", "group_ids", group),
        NULL);
    cr_assert_eq(r->status, 201, "a group is checked at submission, not before: %s", r->body);
    snprintf(letter, sizeof(letter), "%s", lt_str(r->json, "id"));
    reply_free(r);

    lt_reauth(&admin.c);
    r = lt_action(&admin.c, id, letter, "submit");
    reply_expect_problem(r, 422, "recipients_invalid");
    json_t *bad = json_object_get(r->json, "recipients");
    cr_assert_eq(json_array_size(bad), 1, "%s", r->body);
    cr_assert_str_eq(lt_str(json_array_get(bad, 0), "last_name"), "Sanscourriel", "%s", r->body);
    cr_assert_str_eq(lt_str(json_array_get(bad, 0), "group_id"), group, "%s", r->body);
    cr_assert_str_eq(lt_str(json_array_get(bad, 0), "code"), "email_required", "%s", r->body);
    reply_free(r);

    /* Nothing changed: still a draft, no recipient copied, no delivery. */
    char status[32];
    cr_assert_str_eq(lt_db_status(letter, status), "draft");
    const char *params[] = {letter};
    cr_assert_eq(
        testdb_long("SELECT count(*) FROM letter_recipients WHERE letter_id = $1", 1, params), 0);
    cr_assert_eq(testdb_long("SELECT count(*) FROM deliveries WHERE letter_id = $1", 1, params), 0);
}

Test(letters_drafts, submit_without_payment_method_is_402)
{
    struct lt_user admin;
    char id[LT_ID_MAX], letter[LT_ID_MAX];
    lt_admin(&admin, id);
    lt_draft(&admin.c, id, "simple", "Sans carte", letter);
    lt_reauth(&admin.c);
    struct reply *r = lt_action(&admin.c, id, letter, "submit");
    reply_expect_problem(r, 402, "payment_method_required");
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(letter, status), "draft");
}

Test(letters_drafts, attaching_to_a_submitted_letter_is_409_letter_not_draft)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_pending_letter(&s, 1, 1);
    char *pdf = lt_pdf("Trop tard");
    struct reply *r = lt_attach(&s.member.c, s.team, s.letter, pdf, "application/pdf");
    reply_expect_problem(r, 409, "letter_not_draft");
    reply_free(r);
    free(pdf);
    const char *params[] = {s.letter};
    cr_assert_eq(
        testdb_long("SELECT count(*) FROM letter_attachments WHERE letter_id = $1", 1, params), 1);
}

Test(letters_drafts, second_submit_is_409_letter_not_draft)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_pending_letter(&s, 1, 0);
    struct reply *r = lt_action(&s.member.c, s.team, s.letter, "submit");
    reply_expect_problem(r, 409, "letter_not_draft");
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(s.letter, status), "pending_validation");
}

Test(letters_drafts, a_role_without_letters_send_cannot_create)
{
    struct lt_user admin, reader;
    char id[LT_ID_MAX], role[LT_ID_MAX];
    static const char *const permissions[] = {"billing.view", NULL};
    team(&admin, id);
    lt_role(&admin.c, id, "Lecteur", permissions, role);
    lt_join(&admin.c, id, role, &reader);
    struct reply *r =
        lt_create(&reader.c, id,
                  json_pack("{s:s, s:s, s:[o]}", "kind", "simple", "subject", "Non", "recipients",
                            lt_email_recipient("Durand", "d@example.test")),
                  NULL);
    reply_expect_problem(r, 403, "forbidden");
    cr_assert_str_eq(lt_str(r->json, "required"), "letters.send", "%s", r->body);
    reply_free(r);
    cr_assert_eq(letters_of(id), 0);
}
