/* What pli-jobs takes from a real POP3 server (the stack's dovecot): the corpus of
 * tests/fixtures/mail archived once each with what it says, broken messages kept and flagged,
 * nothing added by a second poll, the server left alone or emptied of what was archived, the
 * original bytes and the PDF given back, the three TLS modes, a wrong password, and the
 * filing of messages to matters by reference, thread and address. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/deliveries.h"
#include "support/fixtures.h"
#include "support/mailboxes.h"
#include "support/offices.h"
#include "support/teams.h"
#include "support/testdb.h"

/* A subject that must be there, whatever it reads (08's encoded word cannot be decoded). */
#define ANY_SUBJECT ""

/* One file of the corpus and what its archived message must say. */
struct corpus_mail {
    const char *file, *message_id, *folder, *subject, *from, *from_name, *text, *sent_at;
    int from_html;
    const char *filed_by; /* "reference" and "thread" go to the matter DOS-2024-001 */
    const char *parse_error;
    size_t attachments;
};

static const struct corpus_mail corpus[] = {
    {"01-plain-utf8.eml", "plain-001@client.example", "inbox", "[DOS-2024-001] Pièces du dossier",
     "jean.dupont@client.example", "Jean Dupont",
     "Bonjour Maître,\r\n\r\nVeuillez trouver ci-joint les pièces demandées.\r\n\r\n"
     "Cordialement,\r\nJean Dupont\r\n",
     "2025-03-10T08:15:00Z", 0, "reference", NULL, 0},
    {"02-quoted-printable-latin1.eml", "qp-002@client.example", "inbox", "Reçu de paiement été",
     "renee.levy@client.example", "Renée Lévy",
     "Le reçu de l'été est joint. Merci de vérifier les montants à reporter.\r\n",
     "2025-03-11T13:02:00Z", 0, "none", NULL, 0},
    {"03-base64-encoded-subject.eml", "b64-003@client.example", "inbox", "Échéancier des loyers",
     "paul@client.example", "Paul Bernard",
     "Le loyer de mars est réglé. Échéance suivante : 1er avril.\n", "2025-03-12T08:00:00Z", 0,
     "none", NULL, 0},
    {"04-html-only.eml", "html-004@banque.example", "inbox", "Relevé disponible",
     "noreply@banque.example", "Banque",
     "Votre relevé\nLe relevé de février est disponible.\nMontant : 1\u00a0250,00\u00a0€",
     "2025-03-13T06:30:00Z", 1, "none", NULL, 0},
    {"05-attachments.eml", "att-005@client.example", "inbox", "Facture et photo",
     "jean.dupont@client.example", "Jean Dupont", "Facture jointe, ainsi qu'une photo du chantier.",
     "2025-03-14T09:00:00Z", 0, "none", NULL, 2},
    {"06-forwarded-sent.eml", "fwd-006@cabinet.example", "sent", "Fwd: Convocation",
     "mm@cabinet.example", "Maître Martin", "Pour information, voir le message transféré.",
     "2025-03-15T10:00:00Z", 0, "thread", NULL, 1},
    {"07-broken-binary.eml", NULL, "inbox", NULL, NULL, NULL, NULL, NULL, 0, "none",
     "not a message: no header could be read", 0},
    {"08-broken-multipart.eml", NULL, "inbox", ANY_SUBJECT, "broken", NULL,
     "Texte avec un jeu de caract\uFFFDres inconnu.\r\n", NULL, 0, "none", NULL, 0},
};
#define CORPUS (sizeof(corpus) / sizeof(corpus[0]))

/* An office with a functional e-mail and an archive mailbox of its administrator whose
 * primary address is that of 06's sender (06 is "sent"). */
struct office_box {
    struct of_office o;
    char functional[128];
    struct mb_box box;
};

static void office_box(struct office_box *s)
{
    of_office(&s->o, "Cabinet Martin");
    client_unique_email(s->functional, sizeof(s->functional), "functional");
    of_addresses(&s->o, s->functional, NULL);
    mb_new_at(&s->o.admin.c, s->o.id, s->o.admin.id, "archive-mm@cabinet.example",
              "mm@cabinet.example", "none", 1, &s->box);
}

static const char *str_or_null(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static void expect_str(const json_t *item, const char *key, const char *expected, const char *file)
{
    const char *got = str_or_null(item, key);
    if (!expected)
        cr_assert_null(got, "%s: %s is \"%s\", expected null", file, key, got);
    else
        cr_assert(got && strcmp(got, expected) == 0, "%s: %s is \"%s\", expected \"%s\"", file, key,
                  got ? got : "(null)", expected);
}

/* The size of a corpus file as POP3 sends it: lines end in CR LF, so a bare LF (03 has one)
 * gains a CR on the way. */
static json_int_t pop3_size(const char *file)
{
    struct fixture f = fixture_read(tpath("mail/%s", file));
    json_int_t n = (json_int_t)f.len;
    for (size_t i = 0; i < f.len; i++)
        n += f.data[i] == '\n' && (i == 0 || f.data[i - 1] != '\r');
    fixture_free(&f);
    return n;
}

/* Checks an archived message of the corpus against what its file says. */
static void expect_corpus_item(const json_t *item, const struct corpus_mail *c, const char *matter)
{
    expect_str(item, "message_id", c->message_id, c->file);
    expect_str(item, "folder", c->folder, c->file);
    if (c->subject && !*c->subject)
        cr_assert(json_is_string(json_object_get(item, "subject")), "%s: no subject", c->file);
    else
        expect_str(item, "subject", c->subject, c->file);
    expect_str(json_object_get(item, "from"), "address", c->from, c->file);
    expect_str(json_object_get(item, "from"), "name", c->from_name, c->file);
    expect_str(item, "body_text", c->text, c->file);
    expect_str(item, "parse_error", c->parse_error, c->file);
    expect_str(item, "filed_by", c->filed_by, c->file);
    expect_str(item, "matter_id", strcmp(c->filed_by, "none") ? matter : NULL, c->file);
    expect_str(item, "status", "new", c->file);
    cr_assert(json_is_null(json_object_get(item, "assignee_user_id")), "%s", c->file);
    cr_assert(json_is_false(json_object_get(item, "archived")), "%s", c->file);
    cr_assert(json_is_true(json_object_get(item, "raw")), "%s: the original is kept", c->file);
    cr_assert_eq(json_is_true(json_object_get(item, "body_from_html")), c->from_html, "%s",
                 c->file);
    cr_assert_eq(json_array_size(json_object_get(item, "attachments")), c->attachments, "%s",
                 c->file);
    cr_assert_eq(json_integer_value(json_object_get(item, "size")), pop3_size(c->file), "%s: size",
                 c->file);
}

/* The message's sent_at is this instant (RFC 3339), checked in the database. */
static void expect_sent_at(const struct mb_box *b, const char *message_id, const char *at)
{
    const char *params[] = {b->id, message_id, at};
    cr_assert_eq(testdb_long("SELECT count(*) FROM messages WHERE mailbox_id = $1 "
                             "AND message_id = $2 AND sent_at = $3::timestamptz",
                             3, params),
                 1, "sent_at of <%s> is not %s", message_id, at);
}

static void expect_attachment(const json_t *a, const char *filename, const char *type,
                              json_int_t size, const char *sha256, int forwarded)
{
    expect_str(a, "filename", filename, filename);
    expect_str(a, "content_type", type, filename);
    if (size >= 0)
        cr_assert_eq(json_integer_value(json_object_get(a, "size")), size, "%s", filename);
    expect_str(a, "sha256", sha256, filename);
    cr_assert_eq(json_is_true(json_object_get(a, "forwarded")), forwarded, "%s", filename);
}

#define PDF_SHA256 "554f5147984d75fe7e43c6f15d08e3d52097907a122299c06613e84b3b4c8749"

Test(mailbox_ingestion, the_corpus_is_archived_once_each_with_what_it_says, .timeout = 300)
{
    struct office_box s;
    office_box(&s);
    char matter[TEAMS_ID_MAX];
    of_matter(&s.o, "DOS-2024-001", NULL, NULL, matter);
    for (size_t i = 0; i < CORPUS; i++)
        mb_drop_fixture(&s.box, corpus[i].file);

    cr_assert_eq(mb_poll_until(&s.o.admin.c, &s.box, CORPUS), (long)CORPUS);
    struct reply *r = mb_list(&s.o.admin.c, &s.box, "limit=50");
    json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), CORPUS, "%s", r->body);
    /* Newest first: archived in the order they were dropped. */
    for (size_t i = 0; i < CORPUS; i++)
        expect_corpus_item(json_array_get(items, CORPUS - 1 - i), &corpus[i], matter);
    json_t *first = mb_item(r, "plain-001@client.example");
    cr_assert_eq(json_array_size(json_object_get(first, "to")), 1);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(first, "to"), 0)),
                     "archive-mm@cabinet.example");
    json_t *with_files = mb_item(r, "att-005@client.example");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(with_files, "cc"), 0)),
                     "compta@client.example");
    json_t *files = json_object_get(with_files, "attachments");
    expect_attachment(json_array_get(files, 0), "facture n°12.pdf", "application/pdf", 142,
                      PDF_SHA256, 0);
    expect_attachment(json_array_get(files, 1), "chantier.png", "image/png", 70, NULL, 0);
    json_t *forwarded =
        json_array_get(json_object_get(mb_item(r, "fwd-006@cabinet.example"), "attachments"), 0);
    expect_attachment(forwarded, "Convocation.eml", "message/rfc822", -1, NULL, 1);
    reply_free(r);
    for (size_t i = 0; i < CORPUS; i++)
        if (corpus[i].sent_at)
            expect_sent_at(&s.box, corpus[i].message_id, corpus[i].sent_at);
    const char *params[] = {PDF_SHA256};
    cr_assert_eq(testdb_long("SELECT count(*) FROM blobs WHERE sha256 = $1", 1, params), 1,
                 "the PDF attachment is not kept");

    /* Every message once; another poll adds nothing; the server keeps them all. */
    const char *box[] = {s.box.id};
    const char *once = "SELECT count(DISTINCT uidl) FROM messages WHERE mailbox_id = $1";
    cr_assert_eq(testdb_long(once, 1, box), (long)CORPUS);
    mb_poll_once(&s.o.admin.c, &s.box);
    cr_assert_eq(mb_count(&s.box), (long)CORPUS, "the second poll archived again");
    char error[256];
    cr_assert_str_eq(mb_poll_error(&s.box, error, sizeof(error)), "");
    cr_assert_eq(p3_count(&s.box.pop3), (int)CORPUS, "leave_on_server: the server keeps them");

    /* The two filed messages told the office (01 by its reference, 06 by its thread). */
    struct of_mail m;
    of_wait_notification(&s.o, s.functional,
                         "Nouveau message : DOS-2024-001, [DOS-2024-001] Pièces du dossier", &m);
    cr_assert(strstr(m.text, "jean.dupont@client.example"), "%s", m.text);
    of_mail_free(&m);
    of_wait_notification(&s.o, s.functional, "Nouveau message : DOS-2024-001, Fwd: Convocation",
                         &m);
    of_mail_free(&m);
    cr_assert_eq(of_notification_count(&s.o, "messages"), 2);
}

Test(mailbox_ingestion, the_original_bytes_are_given_back)
{
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    teams_admin(&admin, team);
    struct mb_box box;
    mb_new(&admin.c, team, admin.id, "none", 1, &box);
    static const char *const files[] = {"01-plain-utf8.eml", "05-attachments.eml",
                                        "07-broken-binary.eml", "08-broken-multipart.eml"};
    for (size_t i = 0; i < 4; i++)
        mb_drop_fixture(&box, files[i]);
    mb_poll_until(&admin.c, &box, 4);
    struct reply *list = mb_list(&admin.c, &box, NULL);
    for (size_t i = 0; i < 4; i++) {
        json_t *item = json_array_get(json_object_get(list->json, "items"), 3 - i);
        struct reply *r = mb_get(&admin.c, &box, str_or_null(item, "id"), "message/rfc822");
        cr_assert_eq(r->status, 200, "%s: %ld %s", files[i], r->status, r->body);
        char *type = reply_header(r, "Content-Type");
        cr_assert(type && strncmp(type, "message/rfc822", 14) == 0, "%s: %s", files[i], type);
        free(type);
        struct fixture f = fixture_read(tpath("mail/%s", files[i]));
        cr_assert_eq(r->body_len, f.len, "%s: %zu bytes given back for %zu", files[i], r->body_len,
                     f.len);
        cr_assert(memcmp(r->body, f.data, f.len) == 0, "%s: not the same bytes", files[i]);
        fixture_free(&f);
        reply_free(r);
    }
    reply_free(list);
}

/* Whether the text pdftotext reads holds fragment (line breaks and repeated spaces made one
 * space, as a long line may wrap anywhere). */
static int pdf_says(const char *text, const char *fragment)
{
    size_t len = strlen(text), n = 0;
    char *flat = malloc(len + 1);
    cr_assert_not_null(flat);
    for (const char *p = text; *p; p++) {
        char ch = (*p == '\n' || *p == '\r' || *p == '\f') ? ' ' : *p;
        if (!(ch == ' ' && n > 0 && flat[n - 1] == ' '))
            flat[n++] = ch;
    }
    flat[n] = '\0';
    int found = strstr(flat, fragment) != NULL;
    free(flat);
    return found;
}

static void expect_pdf_says(const char *text, const char *fragment)
{
    cr_assert(pdf_says(text, fragment), "the PDF does not say \"%s\":\n%s", fragment, text);
}

Test(mailbox_ingestion, the_pdf_shows_the_message, .timeout = 240)
{
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    teams_admin(&admin, team);
    struct mb_box box;
    mb_new(&admin.c, team, admin.id, "none", 1, &box);
    mb_drop_fixture(&box, "02-quoted-printable-latin1.eml");
    mb_drop_fixture(&box, "05-attachments.eml");
    mb_poll_until(&admin.c, &box, 2);
    char latin1[TEAMS_ID_MAX], attached[TEAMS_ID_MAX];
    mb_message_id(&box, "qp-002@client.example", latin1);
    mb_message_id(&box, "att-005@client.example", attached);

    struct reply *r = mb_wait_pdf(&admin.c, &box, latin1);
    char *text = dl_pdf_text(r->body, r->body_len);
    reply_free(r);
    expect_pdf_says(text, "Reçu de paiement été");
    expect_pdf_says(text, "Renée Lévy <renee.levy@client.example>");
    expect_pdf_says(text, "Le reçu de l'été est joint. Merci de vérifier les montants à reporter.");
    expect_pdf_says(text, "Reçus");
    free(text);
    r = mb_wait_pdf(&admin.c, &box, attached);
    text = dl_pdf_text(r->body, r->body_len);
    reply_free(r);
    expect_pdf_says(text, "Facture et photo");
    expect_pdf_says(text, "compta@client.example");
    expect_pdf_says(text, "Pièces jointes");
    expect_pdf_says(text, "facture n°12.pdf");
    expect_pdf_says(text, "chantier.png");
    free(text);

    /* Until its PDF is made, a message answers 409 message_pdf_pending; the job makes it. */
    const char *params[] = {latin1};
    PQclear(testdb_exec("UPDATE messages SET pdf_sha256 = NULL WHERE id = $1", 1, params));
    r = mb_get(&admin.c, &box, latin1, "application/pdf");
    teams_assert_problem(r, 409, "message_pdf_pending");
    reply_free(r);
    r = mb_get(&admin.c, &box, latin1, NULL);
    cr_assert(json_is_false(json_object_get(r->json, "pdf")), "%s", r->body);
    reply_free(r);
    PQclear(testdb_exec("INSERT INTO jobs (kind, payload) "
                        "VALUES ('message_pdf', jsonb_build_object('message_id', $1::text))",
                        1, params));
    r = mb_wait_pdf(&admin.c, &box, latin1);
    reply_free(r);
}

Test(mailbox_ingestion, without_leave_on_server_the_archived_leave_the_server, .timeout = 240)
{
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    teams_admin(&admin, team);
    struct mb_box box;
    mb_new(&admin.c, team, admin.id, "none", 0, &box);
    mb_drop_fixture(&box, "01-plain-utf8.eml");
    mb_drop_fixture(&box, "07-broken-binary.eml");
    mb_drop_fixture(&box, "03-base64-encoded-subject.eml");
    cr_assert_eq(mb_poll_until(&admin.c, &box, 3), 3);
    cr_assert_eq(p3_wait_count(&box.pop3, 0, 10000), 0, "archived messages left on the server");

    mb_poll_once(&admin.c, &box);
    cr_assert_eq(mb_count(&box), 3, "a poll of an empty server archived something");
    mb_drop_fixture(&box, "04-html-only.eml");
    cr_assert_eq(mb_poll_until(&admin.c, &box, 4), 4);
    cr_assert_eq(p3_wait_count(&box.pop3, 0, 10000), 0);
    const char *params[] = {box.id};
    cr_assert_eq(testdb_long("SELECT count(DISTINCT uidl) FROM messages WHERE mailbox_id = $1 "
                             "AND raw_sha256 IS NOT NULL",
                             1, params),
                 4, "each message kept whole, once");
}

/* A mailbox in this TLS mode archives one message and reports no error. */
static void expect_poll_over(const char *tls)
{
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    teams_admin(&admin, team);
    struct mb_box box;
    mb_new(&admin.c, team, admin.id, tls, 1, &box);
    mb_drop_mail(&box, "client@client.example", NULL, tpath("Chiffré (%s)", tls),
                 tpath("tls-%s@client.example", tls), NULL, "Texte chiffré.");
    cr_assert_eq(mb_poll_until(&admin.c, &box, 1), 1);
    struct reply *r = mb_list(&admin.c, &box, NULL);
    json_t *item = mb_item(r, tpath("tls-%s@client.example", tls));
    cr_assert_not_null(item, "%s", r->body);
    cr_assert_str_eq(str_or_null(item, "subject"), tpath("Chiffré (%s)", tls));
    cr_assert_str_eq(str_or_null(item, "body_text"), "Texte chiffré.\r\n");
    reply_free(r);
    r = client_send(&admin.c, "GET", mb_path(&box, ""), NULL, NULL);
    cr_assert(json_is_null(json_object_get(r->json, "last_poll_error")), "%s", r->body);
    cr_assert(json_is_string(json_object_get(r->json, "last_polled_at")), "%s", r->body);
    reply_free(r);
}

Test(mailbox_ingestion, starttls)
{
    expect_poll_over("starttls");
}

Test(mailbox_ingestion, implicit_tls)
{
    expect_poll_over("implicit");
}

Test(mailbox_ingestion, a_wrong_password_archives_nothing_and_says_why)
{
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    teams_admin(&admin, team);
    struct mb_box box;
    mb_new(&admin.c, team, admin.id, "starttls", 0, &box);
    char right[64];
    snprintf(right, sizeof(right), "%s", box.pop3.password);
    p3_account_set_password(&box.pop3, "Changed-On-The-Server-1");
    mb_drop_mail(&box, "client@client.example", NULL, "Bloqué", "blocked@client.example", NULL,
                 "Texte.");
    mb_poll_once(&admin.c, &box);
    struct reply *r = client_send(&admin.c, "GET", mb_path(&box, ""), NULL, NULL);
    cr_assert(str_or_null(r->json, "last_poll_error") && *str_or_null(r->json, "last_poll_error"),
              "no last_poll_error: %s", r->body);
    cr_assert(json_is_string(json_object_get(r->json, "last_polled_at")), "%s", r->body);
    cr_assert_null(strstr(r->body, "Changed-On-The-Server-1"), "%s", r->body);
    cr_assert_null(strstr(r->body, right), "%s", r->body);
    reply_free(r);
    cr_assert_eq(mb_count(&box), 0);
    cr_assert_eq(p3_count(&box.pop3), 1, "the message left the server");

    /* The password set right: archived, and the error goes. */
    r = mb_patch(&admin.c, &box,
                 json_pack("{s:{s:s, s:i, s:s, s:s, s:s}}", "pop3", "host", p3_host(), "port",
                           p3_port("starttls"), "tls", "starttls", "username", box.pop3.user,
                           "password", "Changed-On-The-Server-1"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    cr_assert_eq(mb_poll_until(&admin.c, &box, 1), 1);
    char error[256];
    cr_assert_str_eq(mb_poll_error(&box, error, sizeof(error)), "");
    cr_assert_eq(p3_wait_count(&box.pop3, 0, 10000), 0);
}

/* The filing of each message: its matter (an id, or NULL) and the rule that found it. */
static void expect_filed(const struct reply *list, const char *message_id, const char *matter,
                         const char *rule)
{
    json_t *item = mb_item(list, message_id);
    cr_assert_not_null(item, "<%s> not listed: %s", message_id, list->body);
    expect_str(item, "filed_by", rule, message_id);
    expect_str(item, "matter_id", matter, message_id);
}

Test(mailbox_ingestion, filed_by_reference_thread_and_address, .timeout = 240)
{
    struct office_box s;
    office_box(&s);
    char ref[TEAMS_ID_MAX], bare[TEAMS_ID_MAX], client[TEAMS_ID_MAX];
    of_matter(&s.o, "CLI-101", NULL, NULL, ref);
    of_matter(&s.o, "CLI-202", NULL, NULL, bare);
    of_matter(&s.o, "CLI-303", NULL, NULL, client);
    struct of_client cu = {0};
    of_add_client_user(&s.o, client, "invited", &cu);
    struct mb_box *b = &s.box;
    const char *x = "Inconnu <inconnu@ailleurs.example>";
    mb_drop_mail(b, x, NULL, "[CLI-101] Pièces", "f1@ailleurs.example", NULL, "Voici.");
    mb_drop_mail(b, x, NULL, "Question", "f2@ailleurs.example", NULL,
                 "Au sujet du dossier CLI-202, merci.");
    mb_drop_mail(b, x, NULL, "Re: Pièces", "f3@ailleurs.example", "f1@ailleurs.example", "Suite.");
    mb_drop_mail(b, tpath("Jeanne Petit <%s>", cu.email), NULL, "Bonjour", "f4@ailleurs.example",
                 NULL, "Bonjour.");
    mb_drop_mail(b, x, cu.email, "Copie", "f5@ailleurs.example", NULL, "En copie.");
    mb_drop_mail(b, x, NULL, "Deux dossiers", "f6@ailleurs.example", NULL,
                 "Il s'agit de CLI-101 et de CLI-202.");
    mb_drop_mail(b, x, NULL, "[CLI-101] Rappel", "f7@ailleurs.example", NULL,
                 "Voir aussi CLI-202.");
    mb_drop_mail(b, x, NULL, "Publicité", "f8@ailleurs.example", NULL, "Dossier CLI-1010 et X.");
    cr_assert_eq(mb_poll_until(&s.o.admin.c, b, 8), 8);

    struct reply *r = mb_list(&s.o.admin.c, b, NULL);
    expect_filed(r, "f1@ailleurs.example", ref, "reference");
    expect_filed(r, "f2@ailleurs.example", bare, "reference");
    expect_filed(r, "f3@ailleurs.example", ref, "thread");
    expect_filed(r, "f4@ailleurs.example", client, "address");
    expect_filed(r, "f5@ailleurs.example", client, "address");
    expect_filed(r, "f6@ailleurs.example", NULL, "none");
    expect_filed(r, "f7@ailleurs.example", ref, "reference");
    expect_filed(r, "f8@ailleurs.example", NULL, "none");
    reply_free(r);

    /* Each filed message told the office once, through the matter's address. */
    struct of_mail m;
    of_wait_notification(&s.o, s.functional, "Nouveau message : CLI-303, Bonjour", &m);
    cr_assert(strstr(m.text, cu.email) && strstr(m.text, "Dossier CLI-303"), "%s", m.text);
    of_mail_free(&m);
    cr_assert_eq(of_notification_count(&s.o, "messages"), 6);
    const char *const to[] = {s.functional, NULL};
    of_assert_notification(&s.o, "messages", "functional_email", to);
}
