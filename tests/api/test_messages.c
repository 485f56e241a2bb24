/* How an office works the messages of an archive mailbox: the list and its filters, who reads
 * them (the owner and the colleagues it is shared with; anyone else in the team gets 404),
 * assignment to a reader, status, pause, archive, filing to a matter by hand, and the
 * "messages" notifications that assignment and filing raise. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support/client.h"
#include "support/mailboxes.h"
#include "support/offices.h"
#include "support/stack.h"
#include "support/teams.h"

/* An office whose administrator owns a mailbox holding three messages, oldest first:
 * "[LST-1] Premier" (filed to LST-1 by its reference), "Deuxième" (unfiled), both received,
 * and "Troisième", sent from the mailbox's primary address; a colleague and an outsider. */
struct desk {
    struct of_office o;
    struct teams_user colleague, outsider;
    char functional[128];
    char lst1[TEAMS_ID_MAX], lst2[TEAMS_ID_MAX];
    struct mb_box box;
    char first[TEAMS_ID_MAX], second[TEAMS_ID_MAX], third[TEAMS_ID_MAX];
};

static void desk(struct desk *d)
{
    of_office(&d->o, "Cabinet Roux");
    client_unique_email(d->functional, sizeof(d->functional), "functional");
    of_addresses(&d->o, d->functional, NULL);
    of_member(&d->o, "Paul", "Durand", NULL, &d->colleague);
    of_member(&d->o, "Zoé", "Faure", NULL, &d->outsider);
    of_matter(&d->o, "LST-1", NULL, NULL, d->lst1);
    of_matter(&d->o, "LST-2", NULL, NULL, d->lst2);
    mb_new(&d->o.admin.c, d->o.id, d->o.admin.id, "none", 1, &d->box);
    const char *client = "Client <client@ailleurs.example>";
    mb_drop_mail(&d->box, client, NULL, "[LST-1] Premier", "m1@ailleurs.example", NULL, "Un.");
    mb_drop_mail(&d->box, client, NULL, "Deuxième", "m2@ailleurs.example", NULL, "Deux.");
    mb_drop_mail(&d->box, d->box.primary, NULL, "Troisième", "m3@cabinet.example", NULL, "Trois.");
    cr_assert_eq(mb_poll_until(&d->o.admin.c, &d->box, 3), 3);
    mb_message_id(&d->box, "m1@ailleurs.example", d->first);
    mb_message_id(&d->box, "m2@ailleurs.example", d->second);
    mb_message_id(&d->box, "m3@cabinet.example", d->third);
}

/* The ids a list answers, comma-separated in order, into out. */
static const char *ids(struct client *c, const struct mb_box *b, const char *query, char *out,
                       size_t size)
{
    struct reply *r = mb_list(c, b, query);
    size_t i, n = 0;
    json_t *item;
    out[0] = '\0';
    json_array_foreach(json_object_get(r->json, "items"), i, item) n +=
        (size_t)snprintf(out + n, size - n, "%s%s", n ? "," : "", teams_str(item, "id"));
    reply_free(r);
    return out;
}

/* Asserts that the list with this query answers exactly these ids (a NULL-terminated list). */
static void expect_ids(struct client *c, const struct mb_box *b, const char *query, ...)
{
    char expected[1024] = "", got[1024];
    size_t n = 0;
    va_list ap;
    va_start(ap, query);
    for (const char *id; (id = va_arg(ap, const char *)) != NULL;)
        n += (size_t)snprintf(expected + n, sizeof(expected) - n, "%s%s", n ? "," : "", id);
    va_end(ap);
    cr_assert_str_eq(ids(c, b, query, got, sizeof(got)), expected, "messages?%s",
                     query ? query : "");
}

static struct reply *patch(struct client *c, struct desk *d, const char *message, json_t *body)
{
    return mb_patch_message(c, &d->box, message, body);
}

static void expect_bad_filter(struct desk *d, const char *query, const char *field)
{
    struct reply *r = client_send(&d->o.admin.c, "GET",
                                  mb_path(&d->box, tpath("/messages?%s", query)), NULL, NULL);
    teams_assert_field_problem(r, field, "not_allowed");
    reply_free(r);
}

Test(messages, list_filters_and_pages, .timeout = 240)
{
    struct desk d;
    desk(&d);
    struct client *c = &d.o.admin.c;
    expect_ids(c, &d.box, NULL, d.third, d.second, d.first, NULL);
    expect_ids(c, &d.box, "folder=inbox", d.second, d.first, NULL);
    expect_ids(c, &d.box, "folder=sent", d.third, NULL);
    expect_ids(c, &d.box, "folder=archived", NULL);
    expect_ids(c, &d.box, tpath("matter=%s", d.lst1), d.first, NULL);
    expect_ids(c, &d.box, "matter=none", d.third, d.second, NULL);
    expect_ids(c, &d.box, "status=new", d.third, d.second, d.first, NULL);
    expect_ids(c, &d.box, "status=done", NULL);
    expect_ids(c, &d.box, "assignee=none", d.third, d.second, d.first, NULL);
    expect_ids(c, &d.box, tpath("assignee=%s", d.o.admin.id), NULL);
    expect_ids(c, &d.box, "paused=false", d.third, d.second, d.first, NULL);
    expect_ids(c, &d.box, "paused=true", NULL);

    struct reply *r = mb_list(c, &d.box, "limit=2");
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 2, "%s", r->body);
    char cursor[TEAMS_ID_MAX];
    snprintf(cursor, sizeof(cursor), "%s", teams_str(r->json, "next_cursor"));
    cr_assert_str_eq(cursor, d.second, "%s", r->body);
    reply_free(r);
    r = mb_list(c, &d.box, tpath("limit=2&cursor=%s", cursor));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1, "%s", r->body);
    cr_assert_str_eq(teams_str(json_array_get(json_object_get(r->json, "items"), 0), "id"),
                     d.first);
    cr_assert(json_is_null(json_object_get(r->json, "next_cursor")), "%s", r->body);
    reply_free(r);

    expect_bad_filter(&d, "folder=spam", "folder");
    expect_bad_filter(&d, "status=open", "status");
    expect_bad_filter(&d, "assignee=bob", "assignee");
    expect_bad_filter(&d, "paused=maybe", "paused");
    expect_bad_filter(&d, "matter=LST-1", "matter");
}

/* Asserts that c gets a 404 for every way to the message. */
static void expect_unseen(struct client *c, struct desk *d, const char *message)
{
    struct reply *r = client_send(c, "GET", mb_path(&d->box, "/messages"), NULL, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    static const char *const accepts[] = {"application/json", "application/pdf", "message/rfc822"};
    for (size_t i = 0; i < 3; i++) {
        r = mb_get(c, &d->box, message, accepts[i]);
        teams_assert_problem(r, 404, "not_found");
        reply_free(r);
    }
    r = patch(c, d, message, json_pack("{s:s}", "status", "done"));
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
}

Test(messages, only_the_owner_and_grantees_read_them, .timeout = 240)
{
    struct desk d;
    desk(&d);
    expect_unseen(&d.colleague.c, &d, d.first);
    struct reply *r = mb_grant(&d.o.admin.c, &d.box, d.colleague.id, 1);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);

    expect_ids(&d.colleague.c, &d.box, NULL, d.third, d.second, d.first, NULL);
    r = mb_get(&d.colleague.c, &d.box, d.first, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "subject"), "[LST-1] Premier");
    cr_assert_str_eq(teams_str(r->json, "body_text"), "Un.\r\n");
    reply_free(r);
    r = mb_get(&d.colleague.c, &d.box, d.first, "message/rfc822");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(strstr(r->body, "Message-ID: <m1@ailleurs.example>"), "%s", r->body);
    reply_free(r);
    r = patch(&d.colleague.c, &d, d.first, json_pack("{s:s}", "status", "in_progress"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "in_progress");
    reply_free(r);
    expect_unseen(&d.outsider.c, &d, d.first);

    /* Another mailbox's message is not reached through this one. */
    struct mb_box other;
    mb_new(&d.o.admin.c, d.o.id, d.outsider.id, "none", 1, &other);
    r = mb_get(&d.outsider.c, &other, d.first, NULL);
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);

    r = mb_grant(&d.o.admin.c, &d.box, d.colleague.id, 0);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    expect_unseen(&d.colleague.c, &d, d.first);
}

Test(messages, assigned_to_a_reader_and_told, .timeout = 240)
{
    struct desk d;
    desk(&d);
    struct reply *r = mb_grant(&d.o.admin.c, &d.box, d.colleague.id, 1);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    long before = of_notification_count(&d.o, "messages");
    cr_assert_eq(before, 1, "the message filed by its reference told the office");

    r = patch(&d.o.admin.c, &d, d.second, json_pack("{s:s}", "assignee_user_id", d.outsider.id));
    teams_assert_field_problem(r, "assignee_user_id", "unknown");
    reply_free(r);
    r = patch(&d.o.admin.c, &d, d.second, json_pack("{s:s}", "assignee_user_id", d.colleague.id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "assignee_user_id"), d.colleague.id);
    reply_free(r);
    struct of_mail m;
    of_wait_notification(&d.o, d.functional, "Message attribué : Deuxième", &m);
    cr_assert(strstr(m.text, "client@ailleurs.example"), "%s", m.text);
    of_mail_free(&m);
    cr_assert_eq(of_notification_count(&d.o, "messages"), before + 1);
    expect_ids(&d.colleague.c, &d.box, tpath("assignee=%s", d.colleague.id), d.second, NULL);
    expect_ids(&d.colleague.c, &d.box, "assignee=none", d.third, d.first, NULL);

    /* The same assignee again tells nobody; none unassigns. */
    r = patch(&d.colleague.c, &d, d.second, json_pack("{s:s}", "assignee_user_id", d.colleague.id));
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = patch(&d.colleague.c, &d, d.second, json_pack("{s:n}", "assignee_user_id"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "assignee_user_id")), "%s", r->body);
    reply_free(r);
    cr_assert_eq(of_notification_count(&d.o, "messages"), before + 1);
    expect_ids(&d.colleague.c, &d.box, "assignee=none", d.third, d.second, d.first, NULL);
}

Test(messages, status_and_archive, .timeout = 240)
{
    struct desk d;
    desk(&d);
    struct client *c = &d.o.admin.c;
    struct reply *r = patch(c, &d, d.second, json_pack("{s:s}", "status", "closed"));
    teams_assert_field_problem(r, "status", "not_allowed");
    reply_free(r);
    r = patch(c, &d, d.second, json_pack("{s:s}", "status", "done"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), "done");
    reply_free(r);
    expect_ids(c, &d.box, "status=done", d.second, NULL);
    expect_ids(c, &d.box, "status=new", d.third, d.first, NULL);

    r = patch(c, &d, d.third, json_pack("{s:b}", "archived", 1));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_true(json_object_get(r->json, "archived")), "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "folder"), "sent", "the folder stays");
    reply_free(r);
    expect_ids(c, &d.box, NULL, d.second, d.first, NULL);
    expect_ids(c, &d.box, "folder=sent", NULL);
    expect_ids(c, &d.box, "folder=archived", d.third, NULL);
    r = patch(c, &d, d.third, json_pack("{s:b}", "archived", 0));
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    expect_ids(c, &d.box, "folder=sent", d.third, NULL);
    expect_ids(c, &d.box, "folder=archived", NULL);
}

/* An RFC 3339 UTC time `seconds` from now. */
static const char *from_now(int seconds, char out[32])
{
    time_t t = time(NULL) + seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

Test(messages, paused_until_a_time_then_back, .timeout = 240)
{
    struct desk d;
    desk(&d);
    struct client *c = &d.o.admin.c;
    char until[32];
    struct reply *r =
        patch(c, &d, d.second, json_pack("{s:s}", "paused_until", "2025-13-45T99:99:99Z"));
    teams_assert_field_problem(r, "paused_until", "invalid_format");
    reply_free(r);

    double start = stack_now();
    r = patch(c, &d, d.second, json_pack("{s:s}", "paused_until", from_now(8, until)));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_string(json_object_get(r->json, "paused_until")), "%s", r->body);
    reply_free(r);
    expect_ids(c, &d.box, NULL, d.third, d.first, NULL);
    expect_ids(c, &d.box, "paused=true", d.second, NULL);
    expect_ids(c, &d.box, "folder=inbox&paused=false", d.first, NULL);
    cr_assert_lt(stack_now() - start, 7.0, "too slow to see the pause");
    stack_sleep(9.5 - (stack_now() - start));
    expect_ids(c, &d.box, NULL, d.third, d.second, d.first, NULL);
    expect_ids(c, &d.box, "paused=true", NULL);

    /* A long pause, lifted by null. */
    r = patch(c, &d, d.first, json_pack("{s:s}", "paused_until", from_now(86400, until)));
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    expect_ids(c, &d.box, "paused=true", d.first, NULL);
    r = patch(c, &d, d.first, json_pack("{s:n}", "paused_until"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "paused_until")), "%s", r->body);
    reply_free(r);
    expect_ids(c, &d.box, NULL, d.third, d.second, d.first, NULL);
}

Test(messages, filed_by_hand_and_unfiled, .timeout = 240)
{
    struct desk d;
    desk(&d);
    struct client *c = &d.o.admin.c;
    long before = of_notification_count(&d.o, "messages");
    struct of_office elsewhere;
    of_office(&elsewhere, "Cabinet Voisin");
    char foreign[TEAMS_ID_MAX];
    of_matter(&elsewhere, "LST-2", NULL, NULL, foreign);
    struct reply *r = patch(c, &d, d.second, json_pack("{s:s}", "matter_id", foreign));
    teams_assert_field_problem(r, "matter_id", "unknown");
    reply_free(r);

    r = patch(c, &d, d.second, json_pack("{s:s}", "matter_id", d.lst2));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "matter_id"), d.lst2);
    cr_assert_str_eq(teams_str(r->json, "filed_by"), "hand");
    reply_free(r);
    struct of_mail m;
    of_wait_notification(&d.o, d.functional, "Message classé : Deuxième", &m);
    cr_assert(strstr(m.text, "(dossier LST-2)"), "%s", m.text);
    of_mail_free(&m);
    cr_assert_eq(of_notification_count(&d.o, "messages"), before + 1);
    expect_ids(c, &d.box, tpath("matter=%s", d.lst2), d.second, NULL);

    /* Filed again where it is: nothing told. Unfiled: no matter, filed_by none. */
    r = patch(c, &d, d.first, json_pack("{s:s}", "matter_id", d.lst1));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "filed_by"), "hand");
    reply_free(r);
    r = patch(c, &d, d.second, json_pack("{s:n}", "matter_id"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "matter_id")), "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "filed_by"), "none");
    reply_free(r);
    cr_assert_eq(of_notification_count(&d.o, "messages"), before + 1);
    expect_ids(c, &d.box, "matter=none", d.third, d.second, NULL);
}
