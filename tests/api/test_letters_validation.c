/* Letters leave their draft: submission by a member who cannot validate, validation by a
 * colleague after a step-up, rejection with a reason. */
#include <criterion/criterion.h>
#include <string.h>

#include "support/client.h"
#include "support/letters.h"
#include "support/testdb.h"

#define GROUP_SIZE 30
#define ADHOC 2

static long count_for_letter(const char *sql, const char *letter)
{
    const char *params[] = {letter};
    return testdb_long(sql, 1, params);
}

Test(letters_validation, member_letter_to_a_group_and_two_more_waits_for_validation)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_pending_letter(&s, GROUP_SIZE, 0);

    struct reply *r = lt_get(&s.member.c, s.team, s.letter);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "pending_validation");
    cr_assert_str_eq(lt_str(r->json, "submitted_by"), s.member.id, "%s", r->body);
    json_t *recipients = json_object_get(r->json, "recipients");
    cr_assert_eq(json_array_size(recipients), GROUP_SIZE + ADHOC, "%s", r->body);
    cr_assert_eq(json_integer_value(json_object_get(r->json, "recipient_count")),
                 GROUP_SIZE + ADHOC);
    size_t i, from_group = 0;
    json_t *item;
    json_array_foreach (recipients, i, item) {
        from_group += json_is_string(json_object_get(item, "group_id"));
    }
    cr_assert_eq(from_group, GROUP_SIZE, "copied from the group: %zu", from_group);
    cr_assert(json_is_null(json_object_get(r->json, "validation")), "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "deliveries")), 0);
    reply_free(r);
}

Test(letters_validation, validate_without_step_up_is_403_reauth_required)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_pending_letter(&s, 2, 0);

    struct reply *r = lt_action(&s.admin.c, s.team, s.letter, "validate");
    reply_expect_problem(r, 403, "reauth_required");
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(s.letter, status), "pending_validation");
    cr_assert_eq(count_for_letter("SELECT count(*) FROM deliveries WHERE letter_id = $1", s.letter),
                 0);
}

Test(letters_validation, validate_with_step_up_sends_one_delivery_each)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_pending_letter(&s, GROUP_SIZE, 0);
    lt_reauth(&s.admin.c);

    struct reply *r = lt_action(&s.admin.c, s.team, s.letter, "validate");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "sending", "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "validated_by"), s.admin.id, "%s", r->body);
    json_t *validation = json_object_get(r->json, "validation");
    cr_assert_str_eq(lt_str(validation, "by"), s.admin.id, "%s", r->body);
    cr_assert(*lt_str(validation, "at") && *lt_str(validation, "signature") &&
                  *lt_str(validation, "signed_payload"),
              "%s", r->body);
    json_t *keys = lt_keys();
    cr_assert_str_eq(lt_str(validation, "key_id"),
                     lt_str(json_array_get(json_object_get(keys, "keys"), 0), "id"));
    json_decref(keys);
    json_t *deliveries = json_object_get(r->json, "deliveries");
    cr_assert_eq(json_array_size(deliveries), GROUP_SIZE + ADHOC, "%s", r->body);
    size_t i;
    json_t *d;
    /* The answer shows the letter as it is once committed: pli-jobs may already have deposited
     * (and notified) a delivery, each step with its proof. */
    json_array_foreach (deliveries, i, d) {
        const char *status = lt_str(d, "status");
        bool pending = strcmp(status, "pending") == 0;
        cr_assert(pending || strcmp(status, "deposited") == 0 || strcmp(status, "notified") == 0,
                  "delivery %zu: %s", i, status);
        cr_assert(*lt_str(d, "id") && json_is_object(json_object_get(d, "recipient")));
        json_t *proofs = json_object_get(d, "proofs");
        cr_assert(json_is_array(proofs) && (json_array_size(proofs) == 0) == pending,
                  "delivery %zu: %s with %zu proofs", i, status, json_array_size(proofs));
    }
    reply_free(r);
}

Test(letters_validation, validation_queues_one_dispatch_job)
{
    struct lt_scene s;
    lt_scene(&s);
    json_decref(lt_validated_letter(&s, 2, 0));
    /* One dispatch job, whatever pli-jobs has done with it since. */
    cr_assert_eq(count_for_letter("SELECT count(*) FROM jobs WHERE kind = 'dispatch_letter' "
                                  "AND dedupe_key = 'dispatch_letter:' || $1",
                                  s.letter),
                 1);
}

Test(letters_validation, member_without_letters_validate_cannot_validate)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_pending_letter(&s, 1, 0);
    lt_reauth(&s.member.c);
    struct reply *r = lt_action(&s.member.c, s.team, s.letter, "validate");
    reply_expect_problem(r, 403, "forbidden");
    cr_assert_str_eq(lt_str(r->json, "required"), "letters.validate", "%s", r->body);
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(s.letter, status), "pending_validation");
}

Test(letters_validation, validating_a_draft_is_409_letter_not_pending)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_draft(&s.member.c, s.team, "simple", "Brouillon", s.letter);
    lt_reauth(&s.admin.c);
    struct reply *r = lt_action(&s.admin.c, s.team, s.letter, "validate");
    reply_expect_problem(r, 409, "letter_not_pending");
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(s.letter, status), "draft");
}

Test(letters_validation, rejection_keeps_its_reason)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_pending_letter(&s, 2, 0);
    struct reply *r = lt_reject(&s.admin.c, s.team, s.letter, "Mauvais destinataires");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "rejected", "%s", r->body);
    json_t *rejection = json_object_get(r->json, "rejection");
    cr_assert_str_eq(lt_str(rejection, "reason"), "Mauvais destinataires", "%s", r->body);
    cr_assert_str_eq(lt_str(rejection, "by"), s.admin.id, "%s", r->body);
    cr_assert(*lt_str(rejection, "at"), "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "validation")), "%s", r->body);
    reply_free(r);
    /* The sender sees why. */
    r = lt_get(&s.member.c, s.team, s.letter);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(json_object_get(r->json, "rejection"), "reason"),
                     "Mauvais destinataires", "%s", r->body);
    reply_free(r);
}

Test(letters_validation, validate_after_rejection_is_409_letter_not_pending)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_pending_letter(&s, 2, 0);
    struct reply *r = lt_reject(&s.admin.c, s.team, s.letter, "Pas maintenant");
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    lt_reauth(&s.admin.c);
    r = lt_action(&s.admin.c, s.team, s.letter, "validate");
    reply_expect_problem(r, 409, "letter_not_pending");
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(s.letter, status), "rejected");
    cr_assert_eq(
        count_for_letter("SELECT count(*) FROM letter_validations WHERE letter_id = $1", s.letter),
        0);
}

Test(letters_validation, reject_without_a_reason_is_422)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_pending_letter(&s, 1, 0);
    struct reply *r = client_json(&s.admin.c, "POST",
                                  lt_path("/api/v1/teams/%s/letters/%s/reject", s.team, s.letter),
                                  "{s:s}", "reason", "");
    lt_field_problem(r, "reason", "required");
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(s.letter, status), "pending_validation");
}

Test(letters_validation, a_validators_own_letter_is_sent_at_submission)
{
    struct lt_scene s;
    lt_admin(&s.admin, s.team);
    lt_payment_method(&s.admin.c, s.team);
    lt_draft(&s.admin.c, s.team, "lre", "Mise en demeure", s.letter);
    lt_reauth(&s.admin.c);
    struct reply *r = lt_action(&s.admin.c, s.team, s.letter, "submit");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "sending", "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "deliveries")), 1, "%s", r->body);
    cr_assert_str_eq(lt_str(json_object_get(r->json, "validation"), "by"), s.admin.id);
    reply_free(r);
}

Test(letters_validation, a_validators_own_letter_needs_the_step_up_to_submit)
{
    struct lt_scene s;
    lt_admin(&s.admin, s.team);
    lt_payment_method(&s.admin.c, s.team);
    lt_draft(&s.admin.c, s.team, "lre", "Mise en demeure", s.letter);
    struct reply *r = lt_action(&s.admin.c, s.team, s.letter, "submit");
    reply_expect_problem(r, 403, "reauth_required");
    reply_free(r);
    char status[32];
    cr_assert_str_eq(lt_db_status(s.letter, status), "draft");
}
