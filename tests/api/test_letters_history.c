/* The team's shared history: pages over many letters and every filter. Letters are inserted
 * straight into the database in one statement so that a thousand cost nothing. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/letters.h"
#include "support/testdb.h"

#define MANY 1000
#define PAGE 200
#define PAGES_MAX 20

/* Inserts n letters of team by sender; the expressions may use g (1..n). */
static void insert(const char *team, const char *sender, int n, const char *status_expr,
                   const char *subject_expr, const char *reference_expr,
                   const char *created_at_expr)
{
    char sql[2048], count[16];
    snprintf(count, sizeof(count), "%d", n);
    snprintf(sql, sizeof(sql),
             "INSERT INTO letters (team_id, sender_id, kind, subject, body_sha256, reference, "
             "status, created_at) "
             "SELECT $1, $2, 'simple', %s, repeat('0', 64), %s, %s, %s "
             "FROM generate_series(1, $3::integer) AS g",
             subject_expr, reference_expr, status_expr, created_at_expr);
    const char *params[] = {team, sender, count};
    PQclear(testdb_exec(sql, 3, params));
}

/* Every id of the list at query (starting with "?"), walking the cursor; returns them in a
 * JSON array (caller decrefs). Each page but the last must be full. */
static json_t *all_ids(struct client *c, const char *team, const char *query, int limit)
{
    json_t *ids = json_array();
    char cursor[LT_ID_MAX] = "";
    for (int page = 0; page < PAGES_MAX; page++) {
        struct reply *r = client_send(c, "GET",
                                      lt_path("/api/v1/teams/%s/letters%s&limit=%d%s%s", team,
                                              query, limit, cursor[0] ? "&cursor=" : "", cursor),
                                      NULL, NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        json_t *items = json_object_get(r->json, "items");
        size_t i;
        json_t *item;
        json_array_foreach (items, i, item) {
            json_array_append_new(ids, json_string(lt_str(item, "id")));
        }
        const char *next = lt_str(r->json, "next_cursor");
        if (!*next) {
            reply_free(r);
            return ids;
        }
        cr_assert_eq(json_array_size(items), (size_t)limit, "a page before the last is full");
        snprintf(cursor, sizeof(cursor), "%s", next);
        reply_free(r);
    }
    cr_assert_fail("more than %d pages", PAGES_MAX);
    return ids;
}

/* Asserts that ids are exactly the letters the SQL condition selects (with $1 the team),
 * newest first. */
static void expect_ids(json_t *ids, const char *team, const char *condition)
{
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "SELECT id FROM letters WHERE team_id = $1 AND (%s) ORDER BY created_at DESC, id DESC",
             condition);
    const char *params[] = {team};
    PGresult *r = testdb_exec(sql, 1, params);
    cr_assert_eq(json_array_size(ids), (size_t)PQntuples(r), "%zu ids listed, %d expected",
                 json_array_size(ids), PQntuples(r));
    int first_wrong = -1;
    for (int i = 0; i < PQntuples(r) && first_wrong < 0; i++)
        if (strcmp(json_string_value(json_array_get(ids, (size_t)i)), PQgetvalue(r, i, 0)) != 0)
            first_wrong = i;
    cr_assert_eq(first_wrong, -1, "listed out of order from position %d", first_wrong);
    PQclear(r);
    json_decref(ids);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

Test(letters_history, a_thousand_letters_page_by_page_newest_first)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    lt_admin(&admin, team);
    /* Three letters share each time: the id breaks the tie. */
    insert(team, admin.id, MANY, "'sending'", "'Lettre ' || g", "NULL",
           "timestamptz '2024-01-01 00:00Z' + (g / 3) * interval '1 minute'");
    json_t *ids = all_ids(&admin.c, team, "?", PAGE);
    cr_assert_eq(json_array_size(ids), MANY);
    /* Exactly once each. */
    const char *sorted[MANY];
    for (size_t i = 0; i < MANY; i++)
        sorted[i] = json_string_value(json_array_get(ids, i));
    qsort(sorted, MANY, sizeof(sorted[0]), by_text);
    size_t twice = 0;
    for (size_t i = 1; i < MANY; i++)
        twice += strcmp(sorted[i - 1], sorted[i]) == 0;
    cr_assert_eq(twice, 0, "%zu ids listed twice", twice);
    expect_ids(ids, team, "true");
}

/* A team of an administrator with 40 letters that vary by status, reference, subject and day. */
static void varied(struct lt_user *admin, char team[LT_ID_MAX])
{
    lt_admin(admin, team);
    insert(team, admin->id, 40,
           "(ARRAY['draft','pending_validation','sending','rejected'])[g % 4 + 1]",
           "CASE WHEN g % 5 = 0 THEN 'Remise 50% sur ' || g ELSE 'Relance 50 ' || g END",
           "CASE WHEN g % 10 = 0 THEN 'DOS-33' ELSE 'DOS-' || (g % 3) END",
           "timestamptz '2024-03-01 12:00Z' + g * interval '1 day'");
}

Test(letters_history, filter_by_status)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    varied(&admin, team);
    expect_ids(all_ids(&admin.c, team, "?status=rejected", 3), team, "status = 'rejected'");
}

Test(letters_history, filter_by_reference_is_exact_and_ignores_case)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    varied(&admin, team);
    expect_ids(all_ids(&admin.c, team, "?reference=dos-2", 50), team, "reference = 'DOS-2'");
}

Test(letters_history, filter_by_subject_text_takes_percent_literally)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    varied(&admin, team);
    /* Unescaped, "50%" would match every subject with "50" in it. */
    expect_ids(all_ids(&admin.c, team, "?q=50%25", 50), team, "subject LIKE '%50\\%%'");
}

Test(letters_history, filter_by_subject_ignores_case)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    varied(&admin, team);
    expect_ids(all_ids(&admin.c, team, "?q=RELANCE", 50), team, "subject LIKE 'Relance%'");
}

Test(letters_history, filter_by_period_from_inclusive_to_exclusive)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    varied(&admin, team);
    expect_ids(all_ids(&admin.c, team, "?from=2024-03-05&to=2024-03-11T12:00:00Z", 2), team,
               "created_at >= '2024-03-05' AND created_at < '2024-03-11T12:00:00Z'");
}

Test(letters_history, filter_by_sender)
{
    struct lt_scene s;
    lt_scene(&s);
    insert(s.team, s.admin.id, 7, "'sending'", "'A ' || g", "NULL", "now() - g * interval '1h'");
    insert(s.team, s.member.id, 5, "'draft'", "'M ' || g", "NULL", "now() - g * interval '1h'");
    char query[128], condition[128];
    snprintf(query, sizeof(query), "?sender=%s", s.member.id);
    snprintf(condition, sizeof(condition), "sender_id = '%s'", s.member.id);
    expect_ids(all_ids(&s.admin.c, s.team, query, 2), s.team, condition);
}

Test(letters_history, filter_by_recipient_email_or_last_name)
{
    struct lt_user admin;
    char team[LT_ID_MAX], to_durand[LT_ID_MAX], to_petit[LT_ID_MAX], email[160];
    lt_admin(&admin, team);
    client_unique_email(email, sizeof(email), "Petit");
    json_t *body = json_pack("{s:s, s:s, s:[o]}", "kind", "simple", "subject", "Un", "recipients",
                             lt_email_recipient("Durand", "durand@example.test"));
    struct reply *r = lt_create(&admin.c, team, body, NULL);
    snprintf(to_durand, sizeof(to_durand), "%s", lt_str(r->json, "id"));
    reply_free(r);
    body = json_pack("{s:s, s:s, s:[o]}", "kind", "simple", "subject", "Deux", "recipients",
                     lt_email_recipient("Petit", email));
    r = lt_create(&admin.c, team, body, NULL);
    snprintf(to_petit, sizeof(to_petit), "%s", lt_str(r->json, "id"));
    reply_free(r);

    json_t *ids = all_ids(&admin.c, team, "?recipient=DURAND", 50);
    cr_assert_eq(json_array_size(ids), 1);
    cr_assert_str_eq(json_string_value(json_array_get(ids, 0)), to_durand);
    json_decref(ids);
    for (char *p = email; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    char query[200];
    snprintf(query, sizeof(query), "?recipient=%s", email);
    ids = all_ids(&admin.c, team, query, 50);
    cr_assert_eq(json_array_size(ids), 1, "by e-mail %s", email);
    cr_assert_str_eq(json_string_value(json_array_get(ids, 0)), to_petit);
    json_decref(ids);
}

Test(letters_history, an_unknown_status_is_422)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    lt_admin(&admin, team);
    struct reply *r = client_send(
        &admin.c, "GET", lt_path("/api/v1/teams/%s/letters?status=lost", team), NULL, NULL);
    lt_field_problem(r, "status", "not_allowed");
    reply_free(r);
}

Test(letters_history, a_date_that_is_not_one_is_422)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    lt_admin(&admin, team);
    struct reply *r = client_send(
        &admin.c, "GET", lt_path("/api/v1/teams/%s/letters?from=not-a-date", team), NULL, NULL);
    lt_field_problem(r, "from", "invalid_format");
    reply_free(r);
}

Test(letters_history, a_bad_to_date_names_to)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    lt_admin(&admin, team);
    struct reply *r = client_send(
        &admin.c, "GET", lt_path("/api/v1/teams/%s/letters?to=not-a-date", team), NULL, NULL);
    lt_field_problem(r, "to", "invalid_format");
    reply_free(r);
}

Test(letters_history, a_limit_over_200_is_422)
{
    struct lt_user admin;
    char team[LT_ID_MAX];
    lt_admin(&admin, team);
    struct reply *r = client_send(&admin.c, "GET",
                                  lt_path("/api/v1/teams/%s/letters?limit=201", team), NULL, NULL);
    lt_field_problem(r, "limit", "out_of_range");
    reply_free(r);
}
