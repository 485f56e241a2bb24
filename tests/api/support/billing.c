#include "support/billing.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/maildir.h"
#include "support/stack.h"
#include "support/testdb.h"

/* The characters of standard base64, padding included. */
#define BASE64_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="

void bl_team(struct bl_team *t, const char *name, int payment_method)
{
    memset(t, 0, sizeof(*t));
    client_init(&t->admin.c);
    snprintf(t->admin.id, sizeof(t->admin.id), "%s",
             client_signup(&t->admin.c, t->admin.email, sizeof(t->admin.email)));
    struct reply *r = client_json(&t->admin.c, "POST", "/api/v1/teams", "{s:s, s:s}", "name", name,
                                  "kind", "firm");
    cr_assert_eq(r->status, 201, "create team: %ld %s", r->status, r->body);
    snprintf(t->team, sizeof(t->team), "%s", lt_str(r->json, "id"));
    cr_assert(t->team[0], "no team id: %s", r->body);
    reply_free(r);
    if (payment_method)
        lt_payment_method(&t->admin.c, t->team);
}

void bl_team_emails(struct bl_team *t, const char *billing_email, const char *copy_email)
{
    json_t *body = json_object();
    if (billing_email)
        json_object_set_new(body, "billing_email", json_string(billing_email));
    if (copy_email)
        json_object_set_new(body, "invoice_copy_email", json_string(copy_email));
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    cr_assert_not_null(text);
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct reply *r =
        client_send(&t->admin.c, "PATCH", lt_path("/api/v1/teams/%s", t->team), text, json_type);
    free(text);
    cr_assert_eq(r->status, 200, "PATCH team: %ld %s", r->status, r->body);
    if (billing_email)
        cr_assert_str_eq(lt_str(r->json, "billing_email"), billing_email, "%s", r->body);
    if (copy_email)
        cr_assert_str_eq(lt_str(r->json, "invoice_copy_email"), copy_email, "%s", r->body);
    reply_free(r);
}

void bl_draft(struct client *sender, const char *team, const char *kind, const char *reference,
              int recipients, char letter[LT_ID_MAX])
{
    cr_assert(recipients >= 1 && recipients <= DL_RECIPIENTS_MAX, "%d recipients", recipients);
    json_t *list = json_array();
    for (int i = 0; i < recipients; i++) {
        char email[160];
        client_unique_email(email, sizeof(email), "facturation");
        json_array_append_new(list, lt_email_recipient("Destinataire", email));
    }
    json_t *body = json_pack("{s:s, s:s, s:s, s:o}", "kind", kind, "subject", "Relance", "body",
                             "Madame, Monsieur,", "recipients", list);
    if (reference)
        json_object_set_new(body, "reference", json_string(reference));
    struct reply *r = lt_create(sender, team, body, NULL);
    cr_assert_eq(r->status, 201, "create: %ld %s", r->status, r->body);
    snprintf(letter, LT_ID_MAX, "%s", lt_str(r->json, "id"));
    reply_free(r);
}

void bl_deliveries(struct client *c, const char *team, const char *letter, struct dl_letter *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->id, sizeof(out->id), "%s", letter);
    struct reply *r = lt_get(c, team, letter);
    cr_assert_eq(r->status, 200, "GET letter: %ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "sending", "%s", r->body);
    json_t *deliveries = json_object_get(r->json, "deliveries");
    size_t n = json_array_size(deliveries), i;
    cr_assert(n >= 1 && n <= DL_RECIPIENTS_MAX, "deliveries: %s", r->body);
    json_t *d;
    json_array_foreach (deliveries, i, d) {
        snprintf(out->deliveries[i], sizeof(out->deliveries[i]), "%s", lt_str(d, "id"));
    }
    out->count = (int)n;
    reply_free(r);
}

void bl_send(struct client *sender, const char *team, const char *kind, const char *reference,
             int recipients, struct dl_letter *out)
{
    char letter[LT_ID_MAX];
    bl_draft(sender, team, kind, reference, recipients, letter);
    lt_reauth(sender);
    struct reply *r = lt_action(sender, team, letter, "submit");
    cr_assert_eq(r->status, 200, "submit: %ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "sending", "%s", r->body);
    reply_free(r);
    bl_deliveries(sender, team, letter, out);
    cr_assert_eq(out->count, recipients, "%d deliveries for %d recipients", out->count, recipients);
}

long bl_charge_count(const char *team)
{
    const char *params[] = {team};
    return testdb_long("SELECT count(*) FROM charges WHERE team_id = $1", 1, params);
}

void bl_wait_charges(const char *team, long expected)
{
    double deadline = stack_now() + DL_WAIT_MS / 1000.0;
    long count = bl_charge_count(team);
    while (count < expected && stack_now() < deadline) {
        stack_sleep(0.1);
        count = bl_charge_count(team);
    }
    cr_assert_eq(count, expected, "the team has %ld charges, %ld expected", count, expected);
}

struct reply *bl_charges(struct client *c, const char *team, const char *query)
{
    return client_send(c, "GET", lt_path("/api/v1/teams/%s/charges%s", team, query), NULL, NULL);
}

json_t *bl_charge_of(const json_t *charges, const char *delivery)
{
    size_t i;
    json_t *charge;
    json_array_foreach (charges, i, charge) {
        if (strcmp(lt_str(charge, "delivery_id"), delivery) == 0)
            return charge;
    }
    return NULL;
}

void bl_move_charges(const char *team, const char *at, long expected)
{
    const char *params[] = {team, at};
    PGresult *r = testdb_exec("UPDATE charges SET charged_at = $2::timestamptz WHERE team_id = $1",
                              2, params);
    cr_assert_eq(strtol(PQcmdTuples(r), NULL, 10), expected, "%s charges moved, %ld expected",
                 PQcmdTuples(r), expected);
    PQclear(r);
}

void bl_move_charge(const char *delivery, const char *at)
{
    const char *params[] = {delivery, at};
    PGresult *r = testdb_exec(
        "UPDATE charges SET charged_at = $2::timestamptz WHERE delivery_id = $1", 2, params);
    cr_assert_str_eq(PQcmdTuples(r), "1", "delivery %s has no charge to move", delivery);
    PQclear(r);
}

void bl_move_to_previous_month(const char *team, long expected, char month[BL_MONTH_MAX])
{
    const char *params[] = {team};
    PGresult *r = testdb_exec(
        "UPDATE charges SET charged_at = (date_trunc('month', now() AT TIME ZONE 'Europe/Paris')"
        " - interval '1 month' + interval '14 days 12 hours') AT TIME ZONE 'Europe/Paris' "
        "WHERE team_id = $1 "
        "RETURNING to_char(charged_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM')",
        1, params);
    cr_assert_eq(PQntuples(r), expected, "%d charges moved, %ld expected", PQntuples(r), expected);
    snprintf(month, BL_MONTH_MAX, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
}

/* Starts `$PLI_TEST_BUILD_DIR/pli <args>` with its output (stdout and stderr) on a pipe. */
static FILE *pli_start(const char *args)
{
    const char *dir = getenv("PLI_TEST_BUILD_DIR");
    cr_assert_not_null(dir, "PLI_TEST_BUILD_DIR is not set");
    char command[1024];
    int n = snprintf(command, sizeof(command), "'%s/pli' %s 2>&1", dir, args);
    cr_assert(n > 0 && (size_t)n < sizeof(command), "command too long");
    FILE *p = popen(command, "r");
    cr_assert_not_null(p, "cannot run %s", command);
    return p;
}

/* Reads what a started `pli` writes into out (size bytes, truncated) and waits for it; returns
 * its exit status (-1 when it did not exit). */
static int pli_finish(FILE *p, char *out, size_t size)
{
    size_t used = 0, got;
    char chunk[512];
    out[0] = '\0';
    while ((got = fread(chunk, 1, sizeof(chunk), p)) > 0) {
        size_t room = used + 1 < size ? size - used - 1 : 0;
        size_t take = got < room ? got : room;
        memcpy(out + used, chunk, take);
        used += take;
        out[used] = '\0';
    }
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int bl_pli(const char *args, char *out, size_t size)
{
    return pli_finish(pli_start(args), out, size);
}

/* How many invoices `pli invoices close --month <month>` says it made; fails the test unless it
 * exited 0 with its usual answer. */
static int invoices_made(const char *month, int status, const char *out)
{
    char expected[64];
    cr_assert_eq(status, 0, "pli invoices close --month %s exited %d: %s", month, status, out);
    snprintf(expected, sizeof(expected), "closed %s: ", month);
    const char *p = strstr(out, expected);
    cr_assert_not_null(p, "pli invoices close --month %s said: %s", month, out);
    int created = -1;
    cr_assert_eq(sscanf(p + strlen(expected), "%d new invoice(s)", &created), 1,
                 "pli invoices close --month %s said: %s", month, out);
    return created;
}

int bl_close_month(const char *month)
{
    char args[128], out[BL_OUTPUT_MAX];
    snprintf(args, sizeof(args), "invoices close --month '%s'", month);
    int status = bl_pli(args, out, sizeof(out));
    return invoices_made(month, status, out);
}

int bl_close_month_at_once(const char *month, int n)
{
    cr_assert(n >= 1 && n <= 8, "%d processes", n);
    char args[128], out[BL_OUTPUT_MAX];
    snprintf(args, sizeof(args), "invoices close --month '%s'", month);
    FILE *running[8];
    for (int i = 0; i < n; i++)
        running[i] = pli_start(args);
    int created = 0;
    for (int i = 0; i < n; i++) {
        int status = pli_finish(running[i], out, sizeof(out));
        created += invoices_made(month, status, out);
    }
    return created;
}

void bl_set_price(const char *kind, long cents)
{
    char args[128], out[BL_OUTPUT_MAX];
    snprintf(args, sizeof(args), "prices set --kind '%s' --cents %ld", kind, cents);
    int status = bl_pli(args, out, sizeof(out));
    cr_assert_eq(status, 0, "pli %s exited %d: %s", args, status, out);
}

void bl_run_close_job(void)
{
    PGresult *r = testdb_exec("INSERT INTO jobs (kind, dedupe_key) "
                              "VALUES ('close_invoices', 'test:' || gen_random_uuid()) "
                              "RETURNING id",
                              0, NULL);
    char id[32];
    snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    const char *params[] = {id};
    char state[32] = "", error[512] = "";
    double deadline = stack_now() + DL_WAIT_MS / 1000.0;
    for (;;) {
        testdb_text("SELECT state FROM jobs WHERE id = $1", 1, params, state, sizeof(state));
        if (strcmp(state, "done") == 0 || strcmp(state, "dead") == 0 || stack_now() > deadline)
            break;
        stack_sleep(0.1);
    }
    testdb_text("SELECT coalesce(last_error, '') FROM jobs WHERE id = $1", 1, params, error,
                sizeof(error));
    cr_assert_str_eq(state, "done", "the close_invoices job is %s (%s)", state, error);
}

json_t *bl_invoice_for(struct client *c, const char *team, const char *month)
{
    struct reply *r = client_send(c, "GET", lt_path("/api/v1/teams/%s/invoices", team), NULL, NULL);
    cr_assert_eq(r->status, 200, "invoices: %ld %s", r->status, r->body);
    json_t *list = json_object_get(r->json, "invoices");
    cr_assert(json_is_array(list), "%s", r->body);
    json_t *found = NULL, *invoice;
    size_t i;
    json_array_foreach (list, i, invoice) {
        if (strcmp(lt_str(invoice, "month"), month) == 0) {
            cr_assert_null(found, "two invoices for %s: %s", month, r->body);
            found = json_incref(invoice);
        }
    }
    reply_free(r);
    return found;
}

struct reply *bl_invoice(struct client *c, const char *team, const char *invoice)
{
    return client_send(c, "GET", lt_path("/api/v1/teams/%s/invoices/%s", team, invoice), NULL,
                       NULL);
}

struct reply *bl_invoice_pdf(struct client *c, const char *team, const char *invoice,
                             const char *number)
{
    struct reply *r = client_send(
        c, "GET", lt_path("/api/v1/teams/%s/invoices/%s?format=pdf", team, invoice), NULL, NULL);
    cr_assert_eq(r->status, 200, "invoice PDF: %ld %.300s", r->status, r->body);
    char *type = reply_header(r, "Content-Type");
    char *disposition = reply_header(r, "Content-Disposition");
    char filename[64];
    snprintf(filename, sizeof(filename), "facture-%s.pdf", number);
    cr_assert(type && strncmp(type, "application/pdf", 15) == 0, "Content-Type: %s",
              type ? type : "(none)");
    cr_assert(disposition && strstr(disposition, filename), "Content-Disposition: %s",
              disposition ? disposition : "(none)");
    cr_assert(r->body_len > 5 && memcmp(r->body, "%PDF-", 5) == 0, "not a PDF");
    free(type);
    free(disposition);
    return r;
}

/* Replaces every occurrence of `from` in text by one space, in place. */
static void plain_space(char *text, const char *from)
{
    size_t n = strlen(from);
    char *read = text, *write = text;
    while (*read) {
        if (strncmp(read, from, n) == 0) {
            *write++ = ' ';
            read += n;
        } else {
            *write++ = *read++;
        }
    }
    *write = '\0';
}

char *bl_pdf_text(const void *pdf, size_t len)
{
    char *text = dl_pdf_text(pdf, len);
    plain_space(text, "\xc2\xa0");     /* no-break space */
    plain_space(text, "\xe2\x80\xaf"); /* narrow no-break space */
    /* Lines broken where a paragraph wraps, or cells one under the other, joined. */
    char *write = text;
    for (const char *read = text; *read; read++) {
        int blank =
            *read == ' ' || *read == '\n' || *read == '\t' || *read == '\r' || *read == '\f';
        if (!blank)
            *write++ = *read;
        else if (write > text && write[-1] != ' ')
            *write++ = ' ';
    }
    *write = '\0';
    return text;
}

char *bl_invoice_mail(const char *to, const char *invoice, const char *purpose)
{
    char needle[160];
    snprintf(needle, sizeof(needle), "invoice-%s-%s@", purpose, invoice);
    char *text = maildir_wait_for(to, needle, DL_WAIT_MS);
    cr_assert_not_null(text, "no %s e-mail of invoice %s reached %s", purpose, invoice, to);
    return text;
}

unsigned char *bl_mail_attachment(const char *raw, const char *filename, size_t *len)
{
    char needle[128];
    snprintf(needle, sizeof(needle), "filename=\"%s\"", filename);
    const char *named = strstr(raw, needle);
    cr_assert_not_null(named, "no attachment %s in:\n%.2000s", filename, raw);
    /* The part's headers: from the boundary line before the name to the blank line after. */
    const char *start = named;
    while (start > raw && !(start[-1] == '\n' && start[0] == '-' && start[1] == '-'))
        start--;
    const char *crlf = strstr(named, "\r\n\r\n"), *lf = strstr(named, "\n\n");
    const char *end = crlf && (!lf || crlf < lf) ? crlf : lf;
    cr_assert_not_null(end, "the attachment %s has no body", filename);
    char headers[1024];
    snprintf(headers, sizeof(headers), "%.*s", (int)(end - start), start);
    cr_assert(strcasestr(headers, "Content-Type: application/pdf"), "part headers:\n%s", headers);
    cr_assert(strcasestr(headers, "Content-Transfer-Encoding: base64"), "part headers:\n%s",
              headers);
    cr_assert(strcasestr(headers, "Content-Disposition: attachment"), "part headers:\n%s", headers);
    /* The body: base64 lines up to the next boundary. */
    const char *body = end + (end == crlf ? 4 : 2);
    const char *stop = strstr(body, "\n--");
    cr_assert_not_null(stop, "the attachment %s is not closed by a boundary", filename);
    size_t size = (size_t)(stop - body) + 1, used = 0;
    char *b64 = malloc(size);
    cr_assert_not_null(b64);
    for (const char *p = body; p < stop; p++) {
        if (*p && strchr(BASE64_CHARS, *p))
            b64[used++] = *p;
    }
    b64[used] = '\0';
    unsigned char *bytes = lt_base64_decode(b64, len);
    free(b64);
    return bytes;
}

void bl_expect_numbers_unbroken(void)
{
    PGresult *r =
        testdb_exec("SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0), "
                    "count(*) FILTER (WHERE number <> 'F' || to_char(seq, 'FM000000')), "
                    "count(DISTINCT seq), (SELECT last FROM invoice_counter) FROM invoices",
                    0, NULL);
    long count = strtol(PQgetvalue(r, 0, 0), NULL, 10);
    long min = strtol(PQgetvalue(r, 0, 1), NULL, 10);
    long max = strtol(PQgetvalue(r, 0, 2), NULL, 10);
    long misnumbered = strtol(PQgetvalue(r, 0, 3), NULL, 10);
    long distinct = strtol(PQgetvalue(r, 0, 4), NULL, 10);
    long last = strtol(PQgetvalue(r, 0, 5), NULL, 10);
    PQclear(r);
    cr_assert(count >= 1, "no invoice at all");
    cr_assert_eq(min, 1, "the first invoice is number %ld", min);
    cr_assert_eq(distinct, count, "%ld invoices share %ld numbers", count, distinct);
    cr_assert_eq(max, count, "%ld invoices numbered up to %ld: a gap", count, max);
    cr_assert_eq(misnumbered, 0, "%ld invoice numbers are not F and their six digits", misnumbered);
    cr_assert_eq(last, max, "the counter stands at %ld, the last invoice is %ld", last, max);
}
