/* Documents a firm shares with its clients: upload (any type, up to 50 MiB), who reads them
 * (the firm, and the company once partners), download, and the list grouped by account. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/clients.h"
#include "support/letters.h"
#include "support/teams.h"
#include "support/testdb.h"

static long documents_of(const char *client)
{
    const char *params[] = {client};
    return testdb_long("SELECT count(*) FROM documents WHERE client_id = $1", 1, params);
}

static const char *doc_path(const char *team, const char *doc)
{
    return tpath("/api/v1/teams/%s/documents/%s", team, doc);
}

/* Asserts GET of the document answers these bytes, this type and this disposition prefix. */
static void assert_download(struct client *c, const char *team, const char *doc, const void *data,
                            size_t len, const char *type)
{
    struct reply *r = cl_get(c, doc_path(team, doc));
    cr_assert_eq(r->body_len, len, "%zu bytes instead of %zu", r->body_len, len);
    cr_assert(memcmp(r->body, data, len) == 0, "the bytes differ");
    char *ct = reply_header(r, "Content-Type");
    cr_assert(ct && strncmp(ct, type, strlen(type)) == 0, "Content-Type: %s", ct ? ct : "-");
    free(ct);
    char *cd = reply_header(r, "Content-Disposition");
    cr_assert(cd && strncmp(cd, "attachment;", 11) == 0, "Content-Disposition: %s", cd ? cd : "-");
    free(cd);
    reply_free(r);
}

Test(documents, any_file_is_shared_and_read_back)
{
    struct cl_pair p;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    unsigned char data[1000];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 7);
    char sha[65];
    lt_sha256_hex(data, sizeof(data), sha);
    struct reply *r = cl_upload(&p.firm_admin.c, p.firm, p.client.id, data, sizeof(data),
                                "scan.png", "image/png");
    cr_assert_eq(r->status, 201, "shared while the partnership waits: %s", r->body);
    cr_assert_str_eq(teams_str(r->json, "filename"), "scan.png");
    cr_assert_str_eq(teams_str(r->json, "content_type"), "image/png");
    cr_assert_eq(json_integer_value(json_object_get(r->json, "size")), (json_int_t)sizeof(data));
    cr_assert_str_eq(teams_str(r->json, "sha256"), sha);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "account"), "id"), p.company);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "account"), "name"), "Boulangerie Petit");
    cr_assert_str_eq(teams_str(json_object_get(r->json, "firm"), "id"), p.firm);
    cr_assert_str_eq(teams_str(json_object_get(r->json, "firm"), "name"), "Cabinet Lemoine");
    cr_assert_str_eq(teams_str(r->json, "client_id"), p.client.id);
    cr_assert_str_eq(teams_str(r->json, "uploaded_by"), p.firm_admin.id);
    char doc[TEAMS_ID_MAX];
    snprintf(doc, sizeof(doc), "%s", teams_str(r->json, "id"));
    reply_free(r);
    assert_download(&p.firm_admin.c, p.firm, doc, data, sizeof(data), "image/png");
    r = cl_get(&p.firm_admin.c, doc_path(p.firm, doc));
    char *cd = reply_header(r, "Content-Disposition");
    cr_assert(cd && strstr(cd, "filename=\"scan.png\""), "Content-Disposition: %s", cd ? cd : "-");
    free(cd);
    reply_free(r);
    /* A JSON file is a file like any other. */
    r = cl_upload(&p.firm_admin.c, p.firm, p.client.id, "{\"a\":1}", 7, "export.json",
                  "application/json");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "content_type"), "application/json");
    reply_free(r);
    const char *params[] = {sha};
    cr_assert_eq(testdb_long("SELECT length(data) FROM blobs WHERE sha256 = $1", 1, params),
                 (long)sizeof(data));
    cr_assert_eq(cl_audit_count(&p.firm_admin.c, p.firm, "document.shared", p.client.id), 2);
}

Test(documents, name_and_type_have_defaults)
{
    struct cl_pair p;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    struct reply *r = cl_upload(&p.firm_admin.c, p.firm, p.client.id, "abc", 3, NULL, NULL);
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "filename"), "document");
    cr_assert_str_eq(teams_str(r->json, "content_type"), "application/octet-stream");
    reply_free(r);
    r = cl_upload(&p.firm_admin.c, p.firm, p.client.id, "a;b\n", 4, "export.csv",
                  "Text/CSV; charset=UTF-8");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "content_type"), "text/csv", "%s", r->body);
    reply_free(r);
}

Test(documents, file_names_are_checked)
{
    struct cl_pair p;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    char longest[256], too_long[257], accents[255 * 6 + 1], too_many_accents[256 * 6 + 1];
    memset(longest, 'n', 255);
    longest[255] = '\0';
    memset(too_long, 'n', 256);
    too_long[256] = '\0';
    for (int i = 0; i < 256; i++)
        memcpy(too_many_accents + 6 * i, "%C3%A9", 6);
    too_many_accents[256 * 6] = '\0';
    memcpy(accents, too_many_accents, 255 * 6);
    accents[255 * 6] = '\0';
    const char *bad[] = {"..%2Fetc%2Fpasswd",
                         "dossier%5Cfichier.txt",
                         "ligne%0Asuivante.txt",
                         "%FF%FE.txt",
                         too_long,
                         too_many_accents};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct reply *r =
            cl_upload(&p.firm_admin.c, p.firm, p.client.id, "x", 1, bad[i], "text/plain");
        teams_assert_field_problem(r, "X-Filename", "invalid_format");
        reply_free(r);
    }
    cr_assert_eq(documents_of(p.client.id), 0);
    struct reply *r =
        cl_upload(&p.firm_admin.c, p.firm, p.client.id, "x", 1, longest, "text/plain");
    cr_assert_eq(r->status, 201, "255 characters: %s", r->body);
    reply_free(r);
    r = cl_upload(&p.firm_admin.c, p.firm, p.client.id, "x", 1, accents, "text/plain");
    cr_assert_eq(r->status, 201, "255 characters of 2 bytes: %ld %s", r->status, r->body);
    reply_free(r);
    r = cl_upload(&p.firm_admin.c, p.firm, p.client.id, "x", 1, "Facture%20%C3%A9t%C3%A9.pdf",
                  "application/pdf");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(teams_str(r->json, "filename"), "Facture été.pdf");
    char doc[TEAMS_ID_MAX];
    snprintf(doc, sizeof(doc), "%s", teams_str(r->json, "id"));
    reply_free(r);
    r = cl_get(&p.firm_admin.c, doc_path(p.firm, doc));
    char *cd = reply_header(r, "Content-Disposition");
    cr_assert(cd && strstr(cd, "filename*=UTF-8''Facture%20%C3%A9t%C3%A9.pdf"),
              "Content-Disposition: %s", cd ? cd : "-");
    free(cd);
    reply_free(r);
}

Test(documents, content_types_are_checked)
{
    struct cl_pair p;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    const char *bad[] = {"text", "text/", "/plain", "text/plain/extra", "té/xt"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct reply *r =
            cl_upload(&p.firm_admin.c, p.firm, p.client.id, "x", 1, "note.txt", bad[i]);
        teams_assert_field_problem(r, "Content-Type", "invalid_format");
        reply_free(r);
    }
    cr_assert_eq(documents_of(p.client.id), 0);
}

Test(documents, an_empty_file_is_422)
{
    struct cl_pair p;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    struct reply *r =
        cl_upload(&p.firm_admin.c, p.firm, p.client.id, "", 0, "vide.txt", "text/plain");
    teams_assert_field_problem(r, "body", "empty");
    reply_free(r);
    cr_assert_eq(documents_of(p.client.id), 0);
}

Test(documents, fifty_mib_are_taken_one_byte_more_is_413)
{
    struct cl_pair p;
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    size_t max = (size_t)CL_DOCUMENT_MAX;
    unsigned char *big = malloc(max + 1);
    cr_assert_not_null(big);
    for (size_t i = 0; i <= max; i++)
        big[i] = (unsigned char)(i ^ (i >> 11));
    char sha[65];
    lt_sha256_hex(big, max, sha);
    struct reply *r =
        cl_upload(&p.firm_admin.c, p.firm, p.client.id, big, max, "archive.zip", "application/zip");
    cr_assert_eq(r->status, 201, "exactly 50 MiB: %ld %s", r->status, r->body);
    cr_assert_eq(json_integer_value(json_object_get(r->json, "size")), (json_int_t)max);
    cr_assert_str_eq(teams_str(r->json, "sha256"), sha);
    reply_free(r);
    r = cl_upload(&p.firm_admin.c, p.firm, p.client.id, big, max + 1, "archive.zip",
                  "application/zip");
    reply_expect_problem(r, 413, "payload_too_large");
    reply_free(r);
    free(big);
    cr_assert_eq(documents_of(p.client.id), 1);
    const char *params[] = {sha};
    cr_assert_eq(testdb_long("SELECT length(data) FROM blobs WHERE sha256 = $1", 1, params),
                 (long)max);
}

Test(documents, the_company_reads_them_once_partners)
{
    struct cl_pair p;
    struct teams_user m;
    char doc[TEAMS_ID_MAX];
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    cl_share(&p.firm_admin.c, p.firm, p.client.id, "Bilan 2024", "bilan.txt", doc);
    struct reply *r = cl_get(&p.company_admin.c, tpath("/api/v1/teams/%s/documents", p.company));
    cr_assert_eq(json_array_size(json_object_get(r->json, "accounts")), 0, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
    cl_get_404(&p.company_admin.c, doc_path(p.company, doc));

    cl_accept_partner(&p.company_admin.c, p.request);
    r = cl_get(&p.company_admin.c, tpath("/api/v1/teams/%s/documents", p.company));
    json_t *account = json_array_get(json_object_get(r->json, "accounts"), 0);
    cr_assert_eq(json_array_size(json_object_get(r->json, "accounts")), 1, "%s", r->body);
    cr_assert_str_eq(teams_str(account, "id"), p.company);
    cr_assert_str_eq(teams_str(account, "name"), "Boulangerie Petit");
    cr_assert_eq(json_integer_value(json_object_get(account, "documents")), 1, "%s", r->body);
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){doc, NULL});
    reply_free(r);
    assert_download(&p.company_admin.c, p.company, doc, "Bilan 2024", 10, "text/plain");

    /* The member role of a team created through POST /api/v1/teams does not hold
     * documents.view. */
    teams_join(&p.company_admin.c, p.company, NULL, &m);
    r = client_send(&m.c, "GET", doc_path(p.company, doc), NULL, NULL);
    teams_assert_forbidden(r, "documents.view");
    reply_free(r);
}

Test(documents, a_refused_partnership_reads_nothing)
{
    struct cl_pair p;
    char doc[TEAMS_ID_MAX];
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    cl_share(&p.firm_admin.c, p.firm, p.client.id, "Bilan 2024", "bilan.txt", doc);
    struct reply *r = cl_answer(&p.company_admin.c, "partner-requests", p.request, "refuse");
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    cl_get_404(&p.company_admin.c, doc_path(p.company, doc));
    r = cl_get(&p.company_admin.c, tpath("/api/v1/teams/%s/documents", p.company));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
}

Test(documents, a_member_of_a_space_pli_created_reads_them)
{
    struct teams_user f, g, m;
    struct cl_client rec;
    char firm[TEAMS_ID_MAX], email[128], doc[TEAMS_ID_MAX], request[TEAMS_ID_MAX];
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    client_unique_email(email, sizeof(email), "gerant");
    cl_client(&f.c, firm, "Garage Moderne", email, NULL, &rec);
    cl_share(&f.c, firm, rec.id, "Statuts", "statuts.txt", doc);
    cl_join_space(rec.company, email, &g);
    cl_partner_request(firm, rec.company, request);
    cl_accept_partner(&g.c, request);
    teams_join(&g.c, rec.company, NULL, &m);
    assert_download(&m.c, rec.company, doc, "Statuts", 7, "text/plain");
}

Test(documents, the_list_groups_by_account_newest_first)
{
    struct teams_user f;
    struct cl_client zeta, alpha;
    char firm[TEAMS_ID_MAX], email[128];
    char z1[TEAMS_ID_MAX], z2[TEAMS_ID_MAX], a1[TEAMS_ID_MAX], a2[TEAMS_ID_MAX], a3[TEAMS_ID_MAX];
    cl_team(&f, "firm", "Cabinet Lemoine", firm);
    client_unique_email(email, sizeof(email), "gerant");
    cl_client(&f.c, firm, "Zeta Immobilier", email, NULL, &zeta);
    cl_client(&f.c, firm, "alpha Négoce", email, NULL, &alpha);
    cl_share(&f.c, firm, zeta.id, "z1", "z1.txt", z1);
    cl_share(&f.c, firm, alpha.id, "a1", "a1.txt", a1);
    cl_share(&f.c, firm, zeta.id, "z2", "z2.txt", z2);
    cl_share(&f.c, firm, alpha.id, "a2", "a2.txt", a2);
    cl_share(&f.c, firm, alpha.id, "a3", "a3.txt", a3);

    char list[160];
    snprintf(list, sizeof(list), "/api/v1/teams/%s/documents", firm);
    struct reply *r = cl_get(&f.c, list);
    json_t *accounts = json_object_get(r->json, "accounts");
    cl_assert_keys(accounts, "id", (const char *const[]){alpha.company, zeta.company, NULL});
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(accounts, 0), "documents")), 3);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(accounts, 1), "documents")), 2);
    cl_assert_keys(json_object_get(r->json, "items"), "id",
                   (const char *const[]){a3, a2, a1, z2, z1, NULL});
    reply_free(r);

    r = cl_get(&f.c, tpath("%s?limit=2", list));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){a3, a2, NULL});
    cr_assert_str_eq(teams_str(r->json, "next_cursor"), a2, "%s", r->body);
    reply_free(r);
    r = cl_get(&f.c, tpath("%s?limit=2&cursor=%s", list, a2));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){a1, z2, NULL});
    cr_assert_str_eq(teams_str(r->json, "next_cursor"), z2, "%s", r->body);
    reply_free(r);
    r = cl_get(&f.c, tpath("%s?limit=2&cursor=%s", list, z2));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){z1, NULL});
    cr_assert(!json_string_value(json_object_get(r->json, "next_cursor")), "%s", r->body);
    reply_free(r);

    r = cl_get(&f.c, tpath("%s?account=%s", list, zeta.company));
    cl_assert_keys(json_object_get(r->json, "items"), "id", (const char *const[]){z2, z1, NULL});
    cr_assert_eq(json_array_size(json_object_get(r->json, "accounts")), 2, "%s", r->body);
    reply_free(r);
    r = client_send(&f.c, "GET", tpath("%s?account=zeta", list), NULL, NULL);
    teams_assert_field_problem(r, "account", "invalid_format");
    reply_free(r);
}

Test(documents, other_teams_get_404)
{
    struct cl_pair p;
    struct teams_user other_firm, other_company, m;
    char firm2[TEAMS_ID_MAX], company2[TEAMS_ID_MAX], doc[TEAMS_ID_MAX];
    cl_pair(&p, "Cabinet Lemoine", "Boulangerie Petit");
    cl_accept_partner(&p.company_admin.c, p.request);
    cl_share(&p.firm_admin.c, p.firm, p.client.id, "Bilan 2024", "bilan.txt", doc);
    cl_team(&other_firm, "firm", "Cabinet Voisin", firm2);
    cl_team(&other_company, "company", "Fromagerie Blanc", company2);

    cl_get_404(&other_firm.c, doc_path(firm2, doc));
    cl_get_404(&other_company.c, doc_path(company2, doc));
    cl_get_404(&other_firm.c, doc_path(p.firm, doc)); /* not a member */
    cl_get_404(&other_company.c, doc_path(p.company, doc));
    cl_get_404(&p.company_admin.c, doc_path(p.company, CL_UNKNOWN_ID));
    struct reply *r = cl_get(&other_firm.c, tpath("/api/v1/teams/%s/documents", firm2));
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    reply_free(r);
    r = cl_upload(&other_firm.c, firm2, p.client.id, "x", 1, "intrus.txt", "text/plain");
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    r = cl_upload(&p.company_admin.c, p.firm, p.client.id, "x", 1, "intrus.txt", "text/plain");
    teams_assert_problem(r, 404, "not_found");
    reply_free(r);
    cr_assert_eq(documents_of(p.client.id), 1);

    /* The firm's own member role (letters.send only) does not read documents. */
    teams_join(&p.firm_admin.c, p.firm, NULL, &m);
    r = client_send(&m.c, "GET", tpath("/api/v1/teams/%s/documents", p.firm), NULL, NULL);
    teams_assert_forbidden(r, "documents.view");
    reply_free(r);
    r = cl_upload(&m.c, p.firm, p.client.id, "x", 1, "note.txt", "text/plain");
    teams_assert_forbidden(r, "clients.manage");
    reply_free(r);
}
