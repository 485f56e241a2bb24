/* Idempotency-Key on letter creation: a retry gets the stored answer, never a second letter. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/letters.h"
#include "support/testdb.h"

static json_t *body(const char *subject)
{
    return json_pack("{s:s, s:s, s:[o]}", "kind", "simple", "subject", subject, "recipients",
                     lt_email_recipient("Durand", "durand@example.test"));
}

static long letters_of(const char *team)
{
    const char *params[] = {team};
    return testdb_long("SELECT count(*) FROM letters WHERE team_id = $1", 1, params);
}

static void unique_key(char out[64])
{
    char email[64];
    client_unique_email(email, sizeof(email), "key");
    snprintf(out, 64, "%.*s", (int)strcspn(email, "@"), email);
}

Test(letters_idempotency, retry_with_the_same_key_replays_the_same_letter)
{
    struct lt_user admin;
    char team[LT_ID_MAX], key[64], first_id[LT_ID_MAX];
    lt_admin(&admin, team);
    unique_key(key);

    struct reply *r = lt_create(&admin.c, team, body("Relance"), key);
    cr_assert_eq(r->status, 201, "%s", r->body);
    char *replayed = reply_header(r, "Idempotent-Replayed");
    cr_assert_null(replayed, "a first answer is not a replay: %s", replayed);
    snprintf(first_id, sizeof(first_id), "%s", lt_str(r->json, "id"));
    reply_free(r);

    r = lt_create(&admin.c, team, body("Relance"), key);
    cr_assert_eq(r->status, 201, "%s", r->body);
    replayed = reply_header(r, "Idempotent-Replayed");
    cr_assert(replayed && strcmp(replayed, "true") == 0, "Idempotent-Replayed: %s",
              replayed ? replayed : "(none)");
    free(replayed);
    cr_assert_str_eq(lt_str(r->json, "id"), first_id, "%s", r->body);
    reply_free(r);
    cr_assert_eq(letters_of(team), 1);
}

Test(letters_idempotency, same_key_with_another_body_is_422_idempotency_key_reused)
{
    struct lt_user admin;
    char team[LT_ID_MAX], key[64];
    lt_admin(&admin, team);
    unique_key(key);
    struct reply *r = lt_create(&admin.c, team, body("Relance"), key);
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);

    r = lt_create(&admin.c, team, body("Relance numéro deux"), key);
    reply_expect_problem(r, 422, "idempotency_key_reused");
    reply_free(r);
    cr_assert_eq(letters_of(team), 1);
}

Test(letters_idempotency, without_a_key_each_request_creates_a_letter)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    lt_admin(&admin, team);
    for (int i = 0; i < 2; i++) {
        struct reply *r = lt_create(&admin.c, team, body("Relance"), NULL);
        cr_assert_eq(r->status, 201, "%s", r->body);
        reply_free(r);
    }
    cr_assert_eq(letters_of(team), 2);
}

Test(letters_idempotency, keys_belong_to_each_member)
{
    struct lt_scene s;
    char key[64];
    lt_scene(&s);
    unique_key(key);
    struct reply *r = lt_create(&s.admin.c, s.team, body("Relance"), key);
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);
    r = lt_create(&s.member.c, s.team, body("Relance"), key);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "sender_id"), s.member.id, "not a replay: %s", r->body);
    char *replayed = reply_header(r, "Idempotent-Replayed");
    cr_assert_null(replayed, "another member's key replayed: %s", replayed);
    reply_free(r);
    cr_assert_eq(letters_of(s.team), 2);
}

Test(letters_idempotency, a_refused_body_does_not_use_up_the_key)
{
    struct lt_user admin;
    char team[LT_ID_MAX], key[64];
    lt_admin(&admin, team);
    unique_key(key);
    struct reply *r = lt_create(
        &admin.c, team,
        json_pack("{s:s, s:s, s:[]}", "kind", "lre", "subject", "Vide", "recipients"), key);
    reply_expect_problem(r, 422, "validation_failed");
    reply_free(r);
    r = lt_create(&admin.c, team, body("Relance"), key);
    cr_assert_eq(r->status, 201, "%s", r->body);
    reply_free(r);
    cr_assert_eq(letters_of(team), 1);
}

Test(letters_idempotency, a_key_of_255_characters_is_kept)
{
    struct lt_user admin;
    char team[LT_ID_MAX], key[256];
    lt_admin(&admin, team);
    memset(key, 'k', 255);
    key[255] = '\0';
    struct reply *r = lt_create(&admin.c, team, body("Relance"), key);
    cr_assert_eq(r->status, 201, "%s", r->body);
    char id[LT_ID_MAX];
    snprintf(id, sizeof(id), "%s", reply_string(r, "id"));
    reply_free(r);
    r = lt_create(&admin.c, team, body("Relance"), key);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "id"), id, "the retry made a second letter");
    reply_free(r);
    cr_assert_eq(letters_of(team), 1);
}

Test(letters_idempotency, a_key_of_256_characters_is_422)
{
    struct lt_user admin;
    char team[LT_ID_MAX], key[257];
    lt_admin(&admin, team);
    memset(key, 'k', 256);
    key[256] = '\0';
    struct reply *r = lt_create(&admin.c, team, body("Relance"), key);
    lt_field_problem(r, "Idempotency-Key", "invalid_format");
    reply_free(r);
    cr_assert_eq(letters_of(team), 0);
}

/* While another request holds the key (here the test holds the advisory lock that
 * fcgi/idempotency.c takes for team:user:key), a retry is told to wait. */
Test(letters_idempotency, a_key_in_flight_is_409)
{
    struct lt_user admin;
    char team[LT_ID_MAX], key[64], lock[300];
    lt_admin(&admin, team);
    unique_key(key);
    snprintf(lock, sizeof(lock), "%s:%s:%s", team, admin.id, key);
    const char *params[] = {lock};
    PQclear(testdb_exec("SELECT pg_advisory_lock(hashtextextended($1, 0))", 1, params));
    struct reply *r = lt_create(&admin.c, team, body("Relance"), key);
    PQclear(testdb_exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))", 1, params));
    reply_expect_problem(r, 409, "idempotency_in_flight");
    reply_free(r);
    cr_assert_eq(letters_of(team), 0);

    r = lt_create(&admin.c, team, body("Relance"), key);
    cr_assert_eq(r->status, 201, "once the key is free: %s", r->body);
    reply_free(r);
}
