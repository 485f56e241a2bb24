/* PDF attachments of a draft: stored under their SHA-256, checked for type, size and count. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/letters.h"
#include "support/testdb.h"

#define ATTACHMENTS_MAX 30

struct draft {
    struct lt_user admin;
    char team[LT_ID_MAX];
    char letter[LT_ID_MAX];
};

static void draft(struct draft *d)
{
    lt_admin(&d->admin, d->team);
    lt_draft(&d->admin.c, d->team, "simple", "Avec pièces", d->letter);
}

static long attachments_of(const char *letter)
{
    const char *params[] = {letter};
    return testdb_long("SELECT count(*) FROM letter_attachments WHERE letter_id = $1", 1, params);
}

Test(letters_attachments, a_small_pdf_is_stored_under_its_sha256)
{
    struct draft d;
    draft(&d);
    char *pdf = lt_pdf("Mise en demeure");
    char sha[65];
    lt_sha256_hex(pdf, strlen(pdf), sha);

    struct reply *r = lt_attach(&d.admin.c, d.team, d.letter, pdf, "application/pdf");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "sha256"), sha, "%s", r->body);
    cr_assert_eq(json_integer_value(json_object_get(r->json, "size")), (json_int_t)strlen(pdf));
    cr_assert_str_eq(lt_str(r->json, "filename"), "courrier.pdf", "%s", r->body);
    reply_free(r);

    r = lt_get(&d.admin.c, d.team, d.letter);
    json_t *attachments = json_object_get(r->json, "attachments");
    cr_assert_eq(json_array_size(attachments), 1, "%s", r->body);
    cr_assert_str_eq(lt_str(json_array_get(attachments, 0), "sha256"), sha);
    reply_free(r);

    /* The stored bytes are the ones sent. */
    const char *params[] = {sha};
    cr_assert_eq(testdb_long("SELECT count(*) FROM blobs WHERE sha256 = $1 "
                             "AND encode(sha256(data), 'hex') = $1",
                             1, params),
                 1);
    free(pdf);
}

Test(letters_attachments, a_body_that_is_not_a_pdf_is_422_not_pdf)
{
    struct draft d;
    draft(&d);
    struct reply *r =
        lt_attach(&d.admin.c, d.team, d.letter,
                  "This is a plain text file, not a PDF document at all.\n", "application/pdf");
    reply_expect_problem(r, 422, "not_pdf");
    reply_free(r);
    cr_assert_eq(attachments_of(d.letter), 0);
}

Test(letters_attachments, a_pdf_sent_as_another_type_is_415)
{
    struct draft d;
    draft(&d);
    char *pdf = lt_pdf("Mauvais type");
    struct reply *r = lt_attach(&d.admin.c, d.team, d.letter, pdf, "text/plain");
    reply_expect_problem(r, 415, "unsupported_media_type");
    reply_free(r);
    free(pdf);
    cr_assert_eq(attachments_of(d.letter), 0);
}

/* A PDF of exactly size bytes (spaces between its header and its end marker); free it. */
static char *pdf_of(size_t size)
{
    char *pdf = malloc(size + 1);
    cr_assert_not_null(pdf);
    memset(pdf, ' ', size);
    memcpy(pdf, "%PDF-1.4\n", 9);
    memcpy(pdf + size - 7, "\n%%EOF\n", 7);
    pdf[size] = '\0';
    return pdf;
}

Test(letters_attachments, a_pdf_over_20_mib_is_413)
{
    struct draft d;
    draft(&d);
    char *big = pdf_of((size_t)LT_ATTACHMENT_MAX + 1);
    struct reply *r = lt_attach(&d.admin.c, d.team, d.letter, big, "application/pdf");
    reply_expect_problem(r, 413, "payload_too_large");
    reply_free(r);
    free(big);
    cr_assert_eq(attachments_of(d.letter), 0);
}

Test(letters_attachments, a_pdf_of_exactly_20_mib_is_stored)
{
    struct draft d;
    draft(&d);
    char *big = pdf_of((size_t)LT_ATTACHMENT_MAX);
    struct reply *r = lt_attach(&d.admin.c, d.team, d.letter, big, "application/pdf");
    cr_assert_eq(r->status, 201, "%ld %.300s", r->status, r->body);
    reply_free(r);
    free(big);
    const char *params[] = {d.letter};
    cr_assert_eq(testdb_long("SELECT b.size FROM letter_attachments a JOIN blobs b "
                             "ON b.sha256 = a.sha256 WHERE a.letter_id = $1",
                             1, params),
                 LT_ATTACHMENT_MAX);
}

Test(letters_attachments, thirty_are_accepted_and_the_31st_is_422)
{
    struct draft d;
    draft(&d);
    char *pdf = lt_pdf("Annexe");
    for (int i = 0; i < ATTACHMENTS_MAX; i++) {
        struct reply *r = lt_attach(&d.admin.c, d.team, d.letter, pdf, "application/pdf");
        cr_assert_eq(r->status, 201, "attachment %d: %ld %s", i + 1, r->status, r->body);
        reply_free(r);
    }
    struct reply *r = lt_attach(&d.admin.c, d.team, d.letter, pdf, "application/pdf");
    reply_expect_problem(r, 422, "too_many_attachments");
    reply_free(r);

    r = lt_get(&d.admin.c, d.team, d.letter);
    cr_assert_eq(json_array_size(json_object_get(r->json, "attachments")), ATTACHMENTS_MAX, "%s",
                 r->body);
    reply_free(r);
    cr_assert_eq(attachments_of(d.letter), ATTACHMENTS_MAX);
    /* The same bytes are stored once. */
    char sha[65];
    lt_sha256_hex(pdf, strlen(pdf), sha);
    const char *params[] = {sha};
    cr_assert_eq(testdb_long("SELECT count(*) FROM blobs WHERE sha256 = $1", 1, params), 1);
    free(pdf);
}

Test(letters_attachments, a_file_name_with_a_slash_is_422)
{
    struct draft d;
    draft(&d);
    char *pdf = lt_pdf("Nom");
    static const char *const headers[] = {"Content-Type: application/pdf",
                                          "X-Filename: ..%2Fetc%2Fpasswd.pdf", NULL};
    struct reply *r = client_send(
        &d.admin.c, "POST", lt_path("/api/v1/teams/%s/letters/%s/attachments", d.team, d.letter),
        pdf, headers);
    lt_field_problem(r, "X-Filename", "invalid_format");
    reply_free(r);
    free(pdf);
    cr_assert_eq(attachments_of(d.letter), 0);
}

Test(letters_attachments, a_colleagues_draft_is_404)
{
    struct lt_scene s;
    lt_scene(&s);
    lt_draft(&s.admin.c, s.team, "simple", "Le brouillon de l'administrateur", s.letter);
    char *pdf = lt_pdf("Intrus");
    struct reply *r = lt_attach(&s.member.c, s.team, s.letter, pdf, "application/pdf");
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    free(pdf);
    cr_assert_eq(attachments_of(s.letter), 0);
}
