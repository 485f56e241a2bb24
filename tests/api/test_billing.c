/* Team billing through the real stack: letters of any member charged to the team's payment
 * method, one charge per delivery that leaves whatever is replayed, prices changed with
 * `pli prices`, months closed by `pli invoices close` and by pli-jobs into invoices numbered
 * without a gap, whose PDF is served and e-mailed to the billing address with an accounting
 * copy, and billing visible only to the administrator and to roles with billing.view. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support/billing.h"
#include "support/carrier.h"
#include "support/maildir.h"
#include "support/stack.h"
#include "support/teams.h"
#include "support/testdb.h"

/* The current month, French time (YYYY-MM). */
static const char *current_month(char out[BL_MONTH_MAX])
{
    return testdb_text("SELECT to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY-MM')", 0, NULL, out,
                       BL_MONTH_MAX);
}

/* Asserts what a charge says of its delivery: letter, sender, kind, reference (NULL: none),
 * price and invoice (NULL: not invoiced yet). */
static void expect_charge(const json_t *charge, const char *letter, const char *sender,
                          const char *kind, const char *reference, long cents, const char *invoice)
{
    cr_assert_not_null(charge, "no charge");
    char *text = json_dumps(charge, JSON_COMPACT);
    cr_assert_str_eq(lt_str(charge, "letter_id"), letter, "%s", text);
    cr_assert_str_eq(lt_str(charge, "sender_id"), sender, "%s", text);
    cr_assert_str_eq(lt_str(charge, "kind"), kind, "%s", text);
    if (reference)
        cr_assert_str_eq(lt_str(charge, "reference"), reference, "%s", text);
    else
        cr_assert(json_is_null(json_object_get(charge, "reference")), "%s", text);
    cr_assert_eq(json_integer_value(json_object_get(charge, "amount_cents")), cents, "%s", text);
    cr_assert_eq(json_integer_value(json_object_get(charge, "vat_rate_bp")), BL_VAT_BP, "%s", text);
    cr_assert_str_eq(lt_str(charge, "currency"), "EUR", "%s", text);
    cr_assert(lt_str(charge, "charged_at")[0], "%s", text);
    if (invoice)
        cr_assert_str_eq(lt_str(charge, "invoice_id"), invoice, "%s", text);
    else
        cr_assert(json_is_null(json_object_get(charge, "invoice_id")), "%s", text);
    free(text);
}

/* Asserts the totals of a charges page: how many charges the month holds and their sum. */
static void expect_totals(const struct reply *r, long count, long excl_cents)
{
    json_t *totals = json_object_get(r->json, "totals");
    cr_assert_eq(json_integer_value(json_object_get(totals, "count")), count, "%s", r->body);
    cr_assert_eq(json_integer_value(json_object_get(totals, "total_excl_cents")), excl_cents, "%s",
                 r->body);
    cr_assert_str_eq(lt_str(totals, "currency"), "EUR", "%s", r->body);
}

/* Asserts that a charges page is the last: its next_cursor is null. */
static void expect_last_page(const struct reply *r)
{
    json_t *next = json_object_get(r->json, "next_cursor");
    cr_assert(next && json_is_null(next), "next_cursor is not null: %s", r->body);
}

/* Asserts one invoice line: kind, reference (NULL: none), quantity and unit price. */
static void expect_line(const json_t *lines, size_t i, const char *kind, const char *reference,
                        long quantity, long unit_cents)
{
    json_t *line = json_array_get(lines, i);
    char *text = json_dumps(lines, JSON_COMPACT);
    cr_assert_not_null(line, "no line %zu: %s", i, text);
    cr_assert_str_eq(lt_str(line, "kind"), kind, "line %zu: %s", i, text);
    if (reference)
        cr_assert_str_eq(lt_str(line, "reference"), reference, "line %zu: %s", i, text);
    else
        cr_assert(json_is_null(json_object_get(line, "reference")), "line %zu: %s", i, text);
    cr_assert_eq(json_integer_value(json_object_get(line, "quantity")), quantity, "line %zu: %s", i,
                 text);
    cr_assert_eq(json_integer_value(json_object_get(line, "unit_cents")), unit_cents,
                 "line %zu: %s", i, text);
    cr_assert_eq(json_integer_value(json_object_get(line, "vat_rate_bp")), BL_VAT_BP,
                 "line %zu: %s", i, text);
    cr_assert_eq(json_integer_value(json_object_get(line, "total_excl_cents")),
                 quantity * unit_cents, "line %zu: %s", i, text);
    free(text);
}

/* Asserts that an invoice's totals hold together: the lines add up to the total before VAT,
 * the VAT is that of each line rounded to the cent, and the total after VAT is their sum. */
static void expect_totals_consistent(const json_t *invoice, long excl_cents)
{
    json_t *lines = json_object_get(invoice, "lines");
    long sum = 0, vat = 0;
    size_t i;
    json_t *line;
    json_array_foreach (lines, i, line) {
        long total = (long)json_integer_value(json_object_get(line, "total_excl_cents"));
        long bp = (long)json_integer_value(json_object_get(line, "vat_rate_bp"));
        sum += total;
        vat += (total * bp + 5000) / 10000;
    }
    long total_excl = (long)json_integer_value(json_object_get(invoice, "total_excl_cents"));
    long total_vat = (long)json_integer_value(json_object_get(invoice, "vat_cents"));
    long total_incl = (long)json_integer_value(json_object_get(invoice, "total_incl_cents"));
    cr_assert_eq(total_excl, excl_cents, "total before VAT %ld, %ld expected", total_excl,
                 excl_cents);
    cr_assert_eq(sum, total_excl, "the lines add up to %ld, the total says %ld", sum, total_excl);
    cr_assert_eq(total_vat, vat, "VAT %ld, the lines' VAT adds up to %ld", total_vat, vat);
    cr_assert_eq(total_incl, total_excl + total_vat, "%ld + %ld VAT is not %ld", total_excl,
                 total_vat, total_incl);
    cr_assert_str_eq(lt_str(invoice, "currency"), "EUR");
}

/* Asserts that the invoice shows the payment method charged (never its token). */
static void expect_payment_method(const json_t *invoice)
{
    json_t *method = json_object_get(invoice, "payment_method");
    cr_assert(json_is_object(method), "the invoice names no payment method");
    cr_assert_str_eq(lt_str(method, "provider"), "stripe");
    cr_assert_str_eq(lt_str(method, "brand"), "visa");
    cr_assert_str_eq(lt_str(method, "last4"), "4242");
    cr_assert_null(json_object_get(method, "token"), "the invoice shows the provider's token");
}

/* The invoice's number as a number (F000042 → 42); fails unless it is F and six digits. */
static long number_value(const char *number)
{
    cr_assert(strlen(number) == 7 && number[0] == 'F' && strspn(number + 1, "0123456789") == 6,
              "invoice number %s", number);
    return strtol(number + 1, NULL, 10);
}

/* Asserts that text holds needle. */
static void expect_in(const char *text, const char *needle, const char *what)
{
    cr_assert(strstr(text, needle), "no \"%s\" in %s:\n%s", needle, what, text);
}

/* Asserts that a raw e-mail carries the invoice's PDF, byte for byte, as facture-<number>.pdf. */
static void expect_pdf_attached(const char *to, const char *number, const struct reply *pdf)
{
    char *raw = maildir_raw_for(to);
    cr_assert_not_null(raw, "no e-mail reached %s", to);
    char filename[64];
    snprintf(filename, sizeof(filename), "facture-%s.pdf", number);
    size_t len = 0;
    unsigned char *attached = bl_mail_attachment(raw, filename, &len);
    cr_assert_eq(len, pdf->body_len, "the PDF sent to %s has %zu bytes, the API's %zu", to, len,
                 pdf->body_len);
    cr_assert(memcmp(attached, pdf->body, len) == 0, "the PDF sent to %s is not the API's", to);
    free(attached);
    free(raw);
}

/* A member who holds the built-in member role (letters.send only) submits; the administrator
 * validates; the team's payment method pays, the charges name the member. */
Test(billing_charges, member_sends_on_the_team_payment_method, .timeout = 60)
{
    struct bl_team t;
    struct lt_user member;
    bl_team(&t, "Cabinet Facturation", 1);
    lt_join(&t.admin.c, t.team, NULL, &member);
    const char *who[] = {member.id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM payment_methods WHERE updated_by = $1", 1, who),
                 0, "the member has a payment method of their own");

    char letter[LT_ID_MAX];
    bl_draft(&member.c, t.team, "lre", "DOS-MEMBRE", 2, letter);
    struct reply *r = lt_action(&member.c, t.team, letter, "submit");
    cr_assert_eq(r->status, 200, "submit: %ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "pending_validation", "%s", r->body);
    reply_free(r);
    lt_reauth(&t.admin.c);
    r = lt_action(&t.admin.c, t.team, letter, "validate");
    cr_assert_eq(r->status, 200, "validate: %ld %s", r->status, r->body);
    reply_free(r);
    struct dl_letter sent;
    bl_deliveries(&t.admin.c, t.team, letter, &sent);
    bl_wait_charges(t.team, 2);

    char month[BL_MONTH_MAX];
    r = bl_charges(&t.admin.c, t.team, "");
    cr_assert_eq(r->status, 200, "charges: %ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "month"), current_month(month), "%s", r->body);
    json_t *charges = json_object_get(r->json, "charges");
    cr_assert_eq(json_array_size(charges), 2, "%s", r->body);
    for (int i = 0; i < sent.count; i++)
        expect_charge(bl_charge_of(charges, sent.deliveries[i]), letter, member.id, "lre",
                      "DOS-MEMBRE", BL_LRE_CENTS, NULL);
    expect_totals(r, 2, 2 * BL_LRE_CENTS);
    expect_last_page(r);
    reply_free(r);
}

/* A team without a payment method cannot submit (402), leaves nothing to charge, and can once
 * its administrator registers one. */
Test(billing_charges, team_without_payment_method_is_refused_at_submission, .timeout = 60)
{
    struct bl_team t;
    struct lt_user member;
    char role[LT_ID_MAX], letter[LT_ID_MAX], status[32];
    bl_team(&t, "Cabinet Sans Carte", 0);
    const char *const permissions[] = {"letters.send", "letters.validate", NULL};
    lt_role(&t.admin.c, t.team, "Expéditeur", permissions, role);
    lt_join(&t.admin.c, t.team, role, &member);

    bl_draft(&member.c, t.team, "lre", "DOS-402", 1, letter);
    lt_reauth(&member.c);
    struct reply *r = lt_action(&member.c, t.team, letter, "submit");
    reply_expect_problem(r, 402, "payment_method_required");
    reply_free(r);
    cr_assert_str_eq(lt_db_status(letter, status), "draft");
    const char *params[] = {letter};
    cr_assert_eq(testdb_long("SELECT count(*) FROM deliveries WHERE letter_id = $1", 1, params), 0);
    cr_assert_eq(bl_charge_count(t.team), 0);

    lt_payment_method(&t.admin.c, t.team);
    r = lt_action(&member.c, t.team, letter, "submit");
    cr_assert_eq(r->status, 200, "submit: %ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "sending", "%s", r->body);
    reply_free(r);
    struct dl_letter sent;
    bl_deliveries(&member.c, t.team, letter, &sent);
    bl_wait_charges(t.team, 1);
    r = bl_charges(&t.admin.c, t.team, "");
    cr_assert_eq(r->status, 200, "%s", r->body);
    expect_charge(bl_charge_of(json_object_get(r->json, "charges"), sent.deliveries[0]), letter,
                  member.id, "lre", "DOS-402", BL_LRE_CENTS, NULL);
    reply_free(r);
}

/* Queues a job of `kind` for a delivery again, as a retry or a replay would, and waits until
 * it is done. */
static void replay_job(const char *kind, const char *delivery)
{
    const char *params[] = {kind, delivery};
    PGresult *r = testdb_exec("INSERT INTO jobs (kind, payload, dedupe_key) "
                              "VALUES ($1, json_build_object('delivery_id', $2::text), "
                              "'test:' || gen_random_uuid()) RETURNING id",
                              2, params);
    char id[32], state[32] = "";
    snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    const char *job[] = {id};
    for (int i = 0; i < DL_WAIT_MS / 100; i++) {
        testdb_text("SELECT state FROM jobs WHERE id = $1", 1, job, state, sizeof(state));
        if (strcmp(state, "done") == 0 || strcmp(state, "dead") == 0)
            break;
        stack_sleep(0.1);
    }
    cr_assert_str_eq(state, "done", "the replayed %s job is %s", kind, state);
}

/* Deposits re-applied (the dispatch jobs run again for deliveries already deposited, and the
 * carrier reports a deposit pli already recorded) charge nothing more: one charge per
 * delivery, at the price of its kind. */
Test(billing_charges, replays_never_charge_a_delivery_twice, .timeout = 60)
{
    struct bl_team t;
    bl_team(&t, "Cabinet Rejeu", 1);
    struct dl_letter lre, lrar;
    bl_send(&t.admin.c, t.team, "lre", "DOS-REJEU", 2, &lre);
    dl_send(&t.admin.c, t.team, "lrar", "Mise en demeure",
            json_pack("[o]", lt_postal_recipient("Postal", CA_LINE_UNTRACKED)), 0, &lrar);
    for (int i = 0; i < lre.count; i++)
        json_decref(dl_wait_status(&t.admin.c, t.team, lre.id, lre.deliveries[i], "notified"));
    json_decref(dl_wait_status(&t.admin.c, t.team, lrar.id, lrar.deliveries[0], "deposited"));
    bl_wait_charges(t.team, 3);

    for (int i = 0; i < lre.count; i++)
        replay_job("deliver_email", lre.deliveries[i]);
    replay_job("deliver_postal", lrar.deliveries[0]);
    char *body = ca_event("deposited", lrar.deliveries[0], NULL);
    char webhook[LT_ID_MAX];
    ca_post_accepted(body, webhook);
    free(body);
    cr_assert_eq(ca_wait_event(webhook), 0, "the carrier's repeated deposit was applied");
    ca_expect_one_sandbox_letter(lrar.deliveries[0], NULL);

    cr_assert_eq(bl_charge_count(t.team), 3, "a replay charged again");
    struct reply *r = bl_charges(&t.admin.c, t.team, "");
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *charges = json_object_get(r->json, "charges");
    cr_assert_eq(json_array_size(charges), 3, "%s", r->body);
    for (int i = 0; i < lre.count; i++)
        expect_charge(bl_charge_of(charges, lre.deliveries[i]), lre.id, t.admin.id, "lre",
                      "DOS-REJEU", BL_LRE_CENTS, NULL);
    expect_charge(bl_charge_of(charges, lrar.deliveries[0]), lrar.id, t.admin.id, "lrar",
                  "DOS-2024-17", BL_LRAR_CENTS, NULL);
    expect_totals(r, 3, 2 * BL_LRE_CENTS + BL_LRAR_CENTS);
    reply_free(r);

    /* Nowhere in the database is a delivery deposited without its charge, or charged without
     * its deposit. */
    cr_assert_eq(testdb_long("SELECT count(*) FROM deliveries d WHERE "
                             "EXISTS (SELECT 1 FROM proofs p WHERE p.delivery_id = d.id "
                             "AND p.type = 'deposit') "
                             "<> EXISTS (SELECT 1 FROM charges c WHERE c.delivery_id = d.id)",
                             0, NULL),
                 0, "a delivery is deposited without a charge or charged without a deposit");
}

/* The charges of a month come in pages with a cursor, the totals always of the whole month;
 * a month, a cursor or a limit that is not one is refused. */
Test(billing_charges, charges_come_in_pages_and_the_month_is_checked, .timeout = 60)
{
    struct bl_team t;
    bl_team(&t, "Cabinet Pages", 1);
    struct dl_letter sent;
    bl_send(&t.admin.c, t.team, "lre", "DOS-PAGES", 3, &sent);
    bl_wait_charges(t.team, 3);

    char month[BL_MONTH_MAX], query[128];
    snprintf(query, sizeof(query), "?month=%s&limit=2", current_month(month));
    struct reply *first = bl_charges(&t.admin.c, t.team, query);
    cr_assert_eq(first->status, 200, "%s", first->body);
    cr_assert_eq(json_array_size(json_object_get(first->json, "charges")), 2, "%s", first->body);
    expect_totals(first, 3, 3 * BL_LRE_CENTS);
    const char *cursor = lt_str(first->json, "next_cursor");
    cr_assert(cursor[0], "no next_cursor: %s", first->body);
    snprintf(query, sizeof(query), "?month=%s&limit=2&cursor=%s", month, cursor);
    struct reply *second = bl_charges(&t.admin.c, t.team, query);
    cr_assert_eq(second->status, 200, "%s", second->body);
    json_t *rest = json_object_get(second->json, "charges");
    cr_assert_eq(json_array_size(rest), 1, "%s", second->body);
    expect_last_page(second);
    expect_totals(second, 3, 3 * BL_LRE_CENTS);
    json_t *all = json_deep_copy(json_object_get(first->json, "charges"));
    json_array_extend(all, rest);
    for (int i = 0; i < sent.count; i++)
        cr_assert_not_null(bl_charge_of(all, sent.deliveries[i]), "delivery %d is on no page",
                           i + 1);
    json_decref(all);
    reply_free(first);
    reply_free(second);

    /* A cursor that names no charge of the team gives an empty page. */
    struct reply *r =
        bl_charges(&t.admin.c, t.team, "?cursor=00000000-0000-4000-8000-000000000000");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "charges")), 0, "%s", r->body);
    expect_totals(r, 3, 3 * BL_LRE_CENTS);
    reply_free(r);

    r = bl_charges(&t.admin.c, t.team, "?month=2020-01");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "charges")), 0, "%s", r->body);
    expect_totals(r, 0, 0);
    reply_free(r);

    static const char *const bad_months[] = {"2026-13", "2026-00", "2026-1",
                                             "26-01",   "2026/01", "0000-01"};
    for (size_t i = 0; i < sizeof(bad_months) / sizeof(bad_months[0]); i++) {
        snprintf(query, sizeof(query), "?month=%s", bad_months[i]);
        r = bl_charges(&t.admin.c, t.team, query);
        lt_field_problem(r, "month", "invalid_format");
        reply_free(r);
    }
    r = bl_charges(&t.admin.c, t.team, "?cursor=not-a-cursor");
    lt_field_problem(r, "cursor", "invalid_format");
    reply_free(r);
    r = bl_charges(&t.admin.c, t.team, "?limit=0");
    lt_field_problem(r, "limit", "out_of_range");
    reply_free(r);
}

/* The line `pli prices` prints for a kind, into out; fails when there is none. */
static void price_line(const char *listing, const char *kind, char *out, size_t size)
{
    char start[16];
    snprintf(start, sizeof(start), "%s ", kind);
    for (const char *line = listing; line && *line;) {
        size_t len = strcspn(line, "\n");
        if (strncmp(line, start, strlen(start)) == 0) {
            snprintf(out, size, "%.*s", (int)len, line);
            return;
        }
        line += len + (line[len] == '\n');
    }
    cr_assert_fail("no price for %s in:\n%s", kind, listing);
}

/* Asserts that `pli prices` lists this price (e.g. "3.49 €") for the kind at 20 % VAT. */
static void expect_listed_price(const char *kind, const char *price)
{
    char out[BL_OUTPUT_MAX], line[256];
    int status = bl_pli("prices", out, sizeof(out));
    cr_assert_eq(status, 0, "pli prices exited %d: %s", status, out);
    price_line(out, kind, line, sizeof(line));
    cr_assert(strstr(line, price) && strstr(line, "20.00%"), "%s is listed as: %s", kind, line);
}

/* Whether the test changed the price of simple letters, and the start of the price from a
 * date to come it added ("2099-MM-DDTHH:MM:SSZ", unique to this run), if any. */
static int simple_price_changed;
static char future_price_from[32];

/* Puts the price of simple letters back as it was, whatever the test did. */
static void restore_simple_price(void)
{
    if (simple_price_changed)
        bl_set_price("simple", BL_SIMPLE_CENTS);
    simple_price_changed = 0;
    if (future_price_from[0]) {
        const char *params[] = {future_price_from};
        PQclear(
            testdb_exec("DELETE FROM prices WHERE kind = 'simple' AND valid_from = $1", 1, params));
        future_price_from[0] = '\0';
    }
}

/* Only this test sends simple letters, so that the price it changes reaches no other. The
 * letters before and after the change share a reference: their month's invoice has a line for
 * each price. */
Test(billing_prices, new_price_charges_later_letters_and_earlier_charges_keep_theirs, .timeout = 60,
     .fini = restore_simple_price)
{
    expect_listed_price("lre", " 3.49 €");
    expect_listed_price("lrar", " 6.11 €");
    expect_listed_price("simple", " 0.99 €");

    struct bl_team t;
    bl_team(&t, "Cabinet Tarifs", 1);
    struct dl_letter before, after;
    bl_send(&t.admin.c, t.team, "simple", "PRIX", 1, &before);
    bl_wait_charges(t.team, 1);

    simple_price_changed = 1;
    bl_set_price("simple", 150);
    expect_listed_price("simple", " 1.50 €");
    /* A price from a date to come is not in force yet. */
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(future_price_from, sizeof(future_price_from), "2099-%m-%dT%H:%M:%SZ", &tm);
    char args[160], out[BL_OUTPUT_MAX];
    snprintf(args, sizeof(args), "prices set --kind simple --cents 5000 --from '%s'",
             future_price_from);
    cr_assert_eq(bl_pli(args, out, sizeof(out)), 0, "%s", out);
    expect_listed_price("simple", " 1.50 €");
    /* What is not a price is refused and changes nothing. */
    static const char *const refused[] = {"prices set --kind fax --cents 100",
                                          "prices set --kind simple --cents -1",
                                          "prices set --kind simple --cents 12abc",
                                          "prices set --kind simple",
                                          "prices set --kind simple --cents 100 --vat-bp 10001",
                                          "prices set --kind simple --cents 100 --from demain"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        cr_assert_eq(bl_pli(refused[i], out, sizeof(out)), 2, "pli %s: %s", refused[i], out);
    expect_listed_price("simple", " 1.50 €");

    bl_send(&t.admin.c, t.team, "simple", "PRIX", 1, &after);
    bl_wait_charges(t.team, 2);
    restore_simple_price();
    expect_listed_price("simple", " 0.99 €");
    struct reply *r = bl_charges(&t.admin.c, t.team, "");
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *charges = json_object_get(r->json, "charges");
    expect_charge(bl_charge_of(charges, before.deliveries[0]), before.id, t.admin.id, "simple",
                  "PRIX", BL_SIMPLE_CENTS, NULL);
    expect_charge(bl_charge_of(charges, after.deliveries[0]), after.id, t.admin.id, "simple",
                  "PRIX", 150, NULL);
    expect_totals(r, 2, BL_SIMPLE_CENTS + 150);
    reply_free(r);

    int lock = stack_lock(BL_CLOSE_LOCK);
    bl_move_charges(t.team, "2025-02-12T15:00:00+01:00", 2);
    bl_close_month("2025-02");
    stack_unlock(lock);
    json_t *invoice = bl_invoice_for(&t.admin.c, t.team, "2025-02");
    cr_assert_not_null(invoice, "no invoice for 2025-02");
    json_t *lines = json_object_get(invoice, "lines");
    cr_assert_eq(json_array_size(lines), 2);
    expect_line(lines, 0, "simple", "PRIX", 1, BL_SIMPLE_CENTS);
    expect_line(lines, 1, "simple", "PRIX", 1, 150);
    expect_totals_consistent(invoice, BL_SIMPLE_CENTS + 150);
    json_decref(invoice);
}

/* Three members' letters of a month (references A, A, B and none), closed twice by hand: one
 * invoice, lines by kind and reference, consistent totals, the payment method shown, a PDF
 * that says so, e-mailed to the billing address and to the accounting copy. */
Test(billing_invoices, month_of_three_members_closed_twice_gives_one_invoice, .timeout = 90)
{
    struct bl_team t;
    bl_team(&t, "Cabinet Trois Associés", 1);
    char billing[160], copy[160], role[LT_ID_MAX];
    client_unique_email(billing, sizeof(billing), "facturation");
    client_unique_email(copy, sizeof(copy), "comptabilite");
    bl_team_emails(&t, billing, copy);
    const char *const permissions[] = {"letters.send", "letters.validate", NULL};
    lt_role(&t.admin.c, t.team, "Associé", permissions, role);
    struct lt_user m[3];
    for (int i = 0; i < 3; i++)
        lt_join(&t.admin.c, t.team, role, &m[i]);
    struct dl_letter a1, a2, b, none;
    bl_send(&m[0].c, t.team, "lre", "A", 2, &a1);
    bl_send(&m[1].c, t.team, "lre", "A", 1, &a2);
    bl_send(&m[2].c, t.team, "lre", "B", 1, &b);
    bl_send(&m[0].c, t.team, "lre", NULL, 1, &none);
    bl_wait_charges(t.team, 5);

    struct reply *r = bl_charges(&t.admin.c, t.team, "");
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *charges = json_object_get(r->json, "charges");
    for (int i = 0; i < a1.count; i++)
        expect_charge(bl_charge_of(charges, a1.deliveries[i]), a1.id, m[0].id, "lre", "A",
                      BL_LRE_CENTS, NULL);
    expect_charge(bl_charge_of(charges, a2.deliveries[0]), a2.id, m[1].id, "lre", "A", BL_LRE_CENTS,
                  NULL);
    expect_charge(bl_charge_of(charges, b.deliveries[0]), b.id, m[2].id, "lre", "B", BL_LRE_CENTS,
                  NULL);
    expect_charge(bl_charge_of(charges, none.deliveries[0]), none.id, m[0].id, "lre", NULL,
                  BL_LRE_CENTS, NULL);
    expect_totals(r, 5, 5 * BL_LRE_CENTS);
    reply_free(r);

    int lock = stack_lock(BL_CLOSE_LOCK);
    bl_move_charges(t.team, "2025-03-14T10:00:00+01:00", 5);
    int created = bl_close_month("2025-03");
    int again = bl_close_month("2025-03");
    stack_unlock(lock);
    cr_assert(created >= 1, "closing 2025-03 made %d invoices", created);
    cr_assert_eq(again, 0, "closing 2025-03 again made %d invoices", again);

    /* One invoice, for March. */
    const char *params[] = {t.team};
    cr_assert_eq(testdb_long("SELECT count(*) FROM invoices WHERE team_id = $1", 1, params), 1);
    r = client_send(&t.admin.c, "GET", lt_path("/api/v1/teams/%s/invoices", t.team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "invoices")), 1, "%s", r->body);
    reply_free(r);
    json_t *listed = bl_invoice_for(&t.admin.c, t.team, "2025-03");
    cr_assert_not_null(listed, "no invoice for 2025-03");
    char id[LT_ID_MAX], number[BL_NUMBER_MAX];
    snprintf(id, sizeof(id), "%s", lt_str(listed, "id"));
    snprintf(number, sizeof(number), "%s", lt_str(listed, "number"));
    number_value(number);
    json_decref(listed);

    r = bl_invoice(&t.admin.c, t.team, id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *invoice = r->json;
    cr_assert_str_eq(lt_str(invoice, "number"), number);
    cr_assert_str_eq(lt_str(invoice, "month"), "2025-03");
    cr_assert_str_eq(lt_str(json_object_get(invoice, "team"), "id"), t.team, "%s", r->body);
    cr_assert_str_eq(lt_str(json_object_get(invoice, "team"), "name"), "Cabinet Trois Associés");
    cr_assert(json_is_true(json_object_get(invoice, "pdf_ready")), "%s", r->body);
    json_t *lines = json_object_get(invoice, "lines");
    cr_assert_eq(json_array_size(lines), 3, "%s", r->body);
    expect_line(lines, 0, "lre", NULL, 1, BL_LRE_CENTS);
    expect_line(lines, 1, "lre", "A", 3, BL_LRE_CENTS);
    expect_line(lines, 2, "lre", "B", 1, BL_LRE_CENTS);
    expect_totals_consistent(invoice, 5 * BL_LRE_CENTS);
    cr_assert_eq(json_integer_value(json_object_get(invoice, "vat_cents")), 349, "%s", r->body);
    cr_assert_eq(json_integer_value(json_object_get(invoice, "total_incl_cents")), 2094, "%s",
                 r->body);
    expect_payment_method(invoice);
    cr_assert(!strstr(r->body, "pm_card_visa_test"), "the provider's token shows: %s", r->body);
    reply_free(r);

    /* Every charge of March now names the invoice; none is left in the current month. */
    r = bl_charges(&t.admin.c, t.team, "?month=2025-03");
    cr_assert_eq(r->status, 200, "%s", r->body);
    charges = json_object_get(r->json, "charges");
    cr_assert_eq(json_array_size(charges), 5, "%s", r->body);
    for (int i = 0; i < a1.count; i++)
        expect_charge(bl_charge_of(charges, a1.deliveries[i]), a1.id, m[0].id, "lre", "A",
                      BL_LRE_CENTS, id);
    expect_charge(bl_charge_of(charges, none.deliveries[0]), none.id, m[0].id, "lre", NULL,
                  BL_LRE_CENTS, id);
    reply_free(r);
    r = bl_charges(&t.admin.c, t.team, "");
    cr_assert_eq(r->status, 200, "%s", r->body);
    expect_totals(r, 0, 0);
    reply_free(r);

    /* The PDF, by ?format=pdf and by Accept, and what it says. */
    struct reply *pdf = bl_invoice_pdf(&t.admin.c, t.team, id, number);
    const char *accept[] = {"Accept: application/pdf", NULL};
    r = client_send(&t.admin.c, "GET", lt_path("/api/v1/teams/%s/invoices/%s", t.team, id), NULL,
                    accept);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(r->body_len == pdf->body_len && memcmp(r->body, pdf->body, r->body_len) == 0,
              "Accept: application/pdf answers another document");
    reply_free(r);
    /* format other than pdf, or Accept naming JSON too: the JSON. */
    const char *both[] = {"Accept: application/pdf, application/json", NULL};
    const char *json_asked[] = {
        lt_path("/api/v1/teams/%s/invoices/%s?format=json", t.team, id),
        lt_path("/api/v1/teams/%s/invoices/%s", t.team, id),
    };
    for (size_t i = 0; i < 2; i++) {
        r = client_send(&t.admin.c, "GET", json_asked[i], NULL, i == 0 ? accept : both);
        cr_assert_eq(r->status, 200, "%s", r->body);
        cr_assert_str_eq(lt_str(r->json, "number"), number, "GET %s: %.200s", json_asked[i],
                         r->body);
        reply_free(r);
    }
    char *text = bl_pdf_text(pdf->body, pdf->body_len);
    char title[64];
    snprintf(title, sizeof(title), "Facture n° %s", number);
    expect_in(text, title, "the PDF");
    expect_in(text, "Cabinet Trois Associés", "the PDF");
    expect_in(text, billing, "the PDF");
    expect_in(text, "mars 2025", "the PDF");
    expect_in(text, "Lettre recommandée électronique", "the PDF");
    expect_in(text, "Sans référence", "the PDF");
    expect_in(text, "Réf. A", "the PDF");
    expect_in(text, "Réf. B", "the PDF");
    expect_in(text, "3,49 €", "the PDF");
    expect_in(text, "10,47 €", "the PDF");
    expect_in(text, "Total HT", "the PDF");
    expect_in(text, "17,45 €", "the PDF");
    expect_in(text, "TVA 20 %", "the PDF");
    expect_in(text, "Total TTC", "the PDF");
    expect_in(text, "20,94 €", "the PDF");
    expect_in(text, "Visa se terminant par 4242", "the PDF");
    free(text);

    /* The two e-mails, each with the PDF attached; none to the administrator's own address. */
    char *mail = bl_invoice_mail(billing, id, "billing");
    expect_in(mail, number, "the billing e-mail");
    expect_in(mail, "20,94", "the billing e-mail");
    free(mail);
    mail = bl_invoice_mail(copy, id, "accounting");
    expect_in(mail, number, "the accounting e-mail");
    free(mail);
    expect_pdf_attached(billing, number, pdf);
    expect_pdf_attached(copy, number, pdf);
    char *stray = maildir_wait_for(t.admin.email, "invoice-", 0);
    cr_assert_null(stray, "the administrator got an invoice e-mail besides the billing address");
    reply_free(pdf);

    /* A month that has not ended, or is not one, is not closed. */
    char month[BL_MONTH_MAX], args[128], out[BL_OUTPUT_MAX];
    snprintf(args, sizeof(args), "invoices close --month '%s'", current_month(month));
    cr_assert_eq(bl_pli(args, out, sizeof(out)), 1, "%s", out);
    expect_in(out, "has not ended", "pli's answer");
    cr_assert_eq(bl_pli("invoices close --month 2025-13", out, sizeof(out)), 2, "%s", out);
    cr_assert_eq(testdb_long("SELECT count(*) FROM invoices WHERE team_id = $1", 1, params), 1);
}

/* The close pli-jobs runs on the 1st: the previous month (French time) is invoiced and, the
 * team having no billing address nor accounting copy, e-mailed to its administrator alone. */
Test(billing_invoices, monthly_job_bills_the_administrator_without_a_billing_address, .timeout = 60)
{
    struct bl_team t;
    bl_team(&t, "Étude Mensuelle", 1);
    struct dl_letter sent;
    bl_send(&t.admin.c, t.team, "lre", "AUTO", 2, &sent);
    bl_wait_charges(t.team, 2);

    char month[BL_MONTH_MAX];
    int lock = stack_lock(BL_CLOSE_LOCK);
    bl_move_to_previous_month(t.team, 2, month);
    bl_run_close_job();
    stack_unlock(lock);

    json_t *invoice = bl_invoice_for(&t.admin.c, t.team, month);
    cr_assert_not_null(invoice, "no invoice for %s after the monthly job", month);
    cr_assert(json_is_true(json_object_get(invoice, "pdf_ready")), "no PDF");
    json_t *lines = json_object_get(invoice, "lines");
    cr_assert_eq(json_array_size(lines), 1);
    expect_line(lines, 0, "lre", "AUTO", 2, BL_LRE_CENTS);
    expect_totals_consistent(invoice, 2 * BL_LRE_CENTS);
    expect_payment_method(invoice);
    char id[LT_ID_MAX], number[BL_NUMBER_MAX];
    snprintf(id, sizeof(id), "%s", lt_str(invoice, "id"));
    snprintf(number, sizeof(number), "%s", lt_str(invoice, "number"));
    json_decref(invoice);

    struct reply *pdf = bl_invoice_pdf(&t.admin.c, t.team, id, number);
    char *text = bl_pdf_text(pdf->body, pdf->body_len);
    expect_in(text, t.admin.email, "the PDF (billed to the administrator)");
    free(text);
    char *mail = bl_invoice_mail(t.admin.email, id, "billing");
    expect_in(mail, number, "the e-mail to the administrator");
    free(mail);
    expect_pdf_attached(t.admin.email, number, pdf);
    reply_free(pdf);
    const char *params[] = {id};
    cr_assert_eq(testdb_long("SELECT count(*) FROM jobs WHERE kind = 'invoice_email' "
                             "AND payload->>'invoice_id' = $1",
                             1, params),
                 1, "an accounting copy was queued for a team without one");
}

/* A month ends at midnight in Paris: a charge at 23:30 on 30 June (Paris) is June's, one at
 * 00:30 on 1 July (Paris, still 30 June in UTC) is July's; closing June leaves July's charge and
 * the current month's open, closing July then invoices the one but not the other. */
Test(billing_invoices, month_ends_at_midnight_french_time, .timeout = 60)
{
    struct bl_team t;
    bl_team(&t, "Cabinet Minuit", 1);
    struct dl_letter sent;
    bl_send(&t.admin.c, t.team, "lre", "MINUIT", 3, &sent);
    bl_wait_charges(t.team, 3);

    int lock = stack_lock(BL_CLOSE_LOCK);
    bl_move_charge(sent.deliveries[0], "2025-06-30T23:30:00+02:00");
    bl_move_charge(sent.deliveries[1], "2025-07-01T00:30:00+02:00");
    struct reply *r = bl_charges(&t.admin.c, t.team, "?month=2025-06");
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *charges = json_object_get(r->json, "charges");
    cr_assert_eq(json_array_size(charges), 1, "%s", r->body);
    cr_assert_not_null(bl_charge_of(charges, sent.deliveries[0]), "%s", r->body);
    reply_free(r);
    r = bl_charges(&t.admin.c, t.team, "?month=2025-07");
    cr_assert_eq(r->status, 200, "%s", r->body);
    charges = json_object_get(r->json, "charges");
    cr_assert_eq(json_array_size(charges), 1, "%s", r->body);
    cr_assert_not_null(bl_charge_of(charges, sent.deliveries[1]), "%s", r->body);
    reply_free(r);

    bl_close_month("2025-06");
    const char *params[] = {t.team};
    cr_assert_eq(testdb_long("SELECT count(*) FROM charges WHERE team_id = $1 "
                             "AND invoice_id IS NULL",
                             1, params),
                 2, "closing June invoiced a charge of July or of this month");
    bl_close_month("2025-07");
    stack_unlock(lock);

    json_t *june = bl_invoice_for(&t.admin.c, t.team, "2025-06");
    json_t *july = bl_invoice_for(&t.admin.c, t.team, "2025-07");
    cr_assert(june && july, "June's or July's invoice is missing");
    cr_assert_eq(json_array_size(json_object_get(june, "lines")), 1);
    cr_assert_eq(json_array_size(json_object_get(july, "lines")), 1);
    expect_line(json_object_get(june, "lines"), 0, "lre", "MINUIT", 1, BL_LRE_CENTS);
    expect_line(json_object_get(july, "lines"), 0, "lre", "MINUIT", 1, BL_LRE_CENTS);
    cr_assert(number_value(lt_str(july, "number")) > number_value(lt_str(june, "number")),
              "July's invoice is numbered before June's");
    json_decref(june);
    json_decref(july);
    r = client_send(&t.admin.c, "GET", lt_path("/api/v1/teams/%s/invoices", t.team), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *list = json_object_get(r->json, "invoices");
    cr_assert_eq(json_array_size(list), 2, "%s", r->body);
    cr_assert_str_eq(lt_str(json_array_get(list, 0), "month"), "2025-07", "latest first: %s",
                     r->body);
    cr_assert_str_eq(lt_str(json_array_get(list, 1), "month"), "2025-06", "%s", r->body);
    reply_free(r);
    r = bl_charges(&t.admin.c, t.team, "");
    cr_assert_eq(r->status, 200, "%s", r->body);
    expect_charge(bl_charge_of(json_object_get(r->json, "charges"), sent.deliveries[2]), sent.id,
                  t.admin.id, "lre", "MINUIT", BL_LRE_CENTS, NULL);
    reply_free(r);
}

/* An invoice stays as issued: renaming the team or changing its payment method afterwards
 * changes neither its JSON nor its PDF. A PDF found missing answers 409 until closing the month
 * again makes it, and the e-mail is not sent a second time. */
Test(billing_invoices, invoice_stays_as_issued_and_a_missing_pdf_is_made_once, .timeout = 60)
{
    struct bl_team t;
    bl_team(&t, "Cabinet Avant", 1);
    char billing[160];
    client_unique_email(billing, sizeof(billing), "factures");
    bl_team_emails(&t, billing, NULL);
    struct dl_letter sent;
    bl_send(&t.admin.c, t.team, "lre", "FIGE", 1, &sent);
    bl_wait_charges(t.team, 1);
    int lock = stack_lock(BL_CLOSE_LOCK);
    bl_move_charges(t.team, "2025-08-08T08:00:00+02:00", 1);
    bl_close_month("2025-08");
    stack_unlock(lock);
    json_t *invoice = bl_invoice_for(&t.admin.c, t.team, "2025-08");
    cr_assert_not_null(invoice, "no invoice for 2025-08");
    char id[LT_ID_MAX], number[BL_NUMBER_MAX];
    snprintf(id, sizeof(id), "%s", lt_str(invoice, "id"));
    snprintf(number, sizeof(number), "%s", lt_str(invoice, "number"));
    json_decref(invoice);
    free(bl_invoice_mail(billing, id, "billing"));

    struct reply *r = client_json(&t.admin.c, "PATCH", lt_path("/api/v1/teams/%s", t.team), "{s:s}",
                                  "name", "Cabinet Après");
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = client_json(&t.admin.c, "PUT", lt_path("/api/v1/teams/%s/payment-method", t.team),
                    "{s:s, s:s, s:s, s:s, s:i, s:i}", "provider", "stripe", "token",
                    "pm_card_mastercard_test", "brand", "mastercard", "last4", "5555", "exp_month",
                    6, "exp_year", 2099);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    r = bl_invoice(&t.admin.c, t.team, id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(json_object_get(r->json, "team"), "name"), "Cabinet Avant", "%s",
                     r->body);
    expect_payment_method(r->json);
    reply_free(r);

    /* The PDF goes missing (as when it could not be made): 409 and pdf_ready false. */
    const char *params[] = {id};
    PQclear(testdb_exec("UPDATE invoices SET pdf_sha256 = NULL WHERE id = $1", 1, params));
    r = client_send(&t.admin.c, "GET",
                    lt_path("/api/v1/teams/%s/invoices/%s?format=pdf", t.team, id), NULL, NULL);
    reply_expect_problem(r, 409, "invoice_pdf_pending");
    reply_free(r);
    r = bl_invoice(&t.admin.c, t.team, id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_false(json_object_get(r->json, "pdf_ready")), "%s", r->body);
    reply_free(r);

    lock = stack_lock(BL_CLOSE_LOCK);
    int created = bl_close_month("2025-08");
    stack_unlock(lock);
    cr_assert_eq(created, 0, "closing 2025-08 again made %d invoices", created);
    struct reply *pdf = bl_invoice_pdf(&t.admin.c, t.team, id, number);
    char *text = bl_pdf_text(pdf->body, pdf->body_len);
    expect_in(text, "Cabinet Avant", "the PDF made again");
    expect_in(text, "Visa se terminant par 4242", "the PDF made again");
    cr_assert(!strstr(text, "Cabinet Après") && !strstr(text, "5555"),
              "the PDF made again shows what changed after the invoice:\n%s", text);
    free(text);
    reply_free(pdf);
    cr_assert_eq(testdb_long("SELECT count(*) FROM jobs WHERE kind = 'invoice_email' "
                             "AND payload->>'invoice_id' = $1",
                             1, params),
                 1, "the invoice e-mail was queued again");
    cr_assert_eq(maildir_count_for(billing, 500, 2), 1, "the invoice was e-mailed twice");
}

/* Two teams closed together (by three `pli invoices close` at once) get one invoice each, with
 * numbers that follow each other, and every invoice ever made is numbered F000001, F000002...
 * without a gap, the counter at the last. */
Test(billing_invoices, numbers_follow_each_other_across_teams, .timeout = 60)
{
    struct bl_team t[2];
    struct dl_letter sent[2];
    for (int i = 0; i < 2; i++) {
        bl_team(&t[i], i ? "Cabinet Deux" : "Cabinet Un", 1);
        bl_send(&t[i].admin.c, t[i].team, "lre", "NUM", 1, &sent[i]);
    }
    for (int i = 0; i < 2; i++)
        bl_wait_charges(t[i].team, 1);

    int lock = stack_lock(BL_CLOSE_LOCK);
    for (int i = 0; i < 2; i++)
        bl_move_charges(t[i].team, "2025-04-10T12:00:00+02:00", 1);
    int created = bl_close_month_at_once("2025-04", 3);
    stack_unlock(lock);
    cr_assert(created >= 2, "closing 2025-04 made %d invoices", created);
    for (int i = 0; i < 2; i++) {
        const char *params[] = {t[i].team};
        cr_assert_eq(testdb_long("SELECT count(*) FROM invoices WHERE team_id = $1", 1, params), 1,
                     "team %d has more than one invoice", i + 1);
    }

    long numbers[2];
    for (int i = 0; i < 2; i++) {
        json_t *invoice = bl_invoice_for(&t[i].admin.c, t[i].team, "2025-04");
        cr_assert_not_null(invoice, "team %d has no invoice for 2025-04", i + 1);
        numbers[i] = number_value(lt_str(invoice, "number"));
        json_decref(invoice);
    }
    cr_assert_eq(labs(numbers[0] - numbers[1]), 1, "numbers %ld and %ld do not follow each other",
                 numbers[0], numbers[1]);
    bl_expect_numbers_unbroken();
}

/* Asserts that every billing endpoint of the team refuses c with 403 naming billing.view and
 * shows nothing of the invoice. */
static void expect_refused_everywhere(struct client *c, const char *team, const char *invoice,
                                      const char *number)
{
    const char *paths[] = {
        lt_path("/api/v1/teams/%s/charges", team),
        lt_path("/api/v1/teams/%s/charges?month=2025-05", team),
        lt_path("/api/v1/teams/%s/invoices", team),
        lt_path("/api/v1/teams/%s/invoices/%s", team, invoice),
        lt_path("/api/v1/teams/%s/invoices/%s?format=pdf", team, invoice),
        lt_path("/api/v1/teams/%s/payment-method", team),
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct reply *r = client_send(c, "GET", paths[i], NULL, NULL);
        cr_assert_eq(r->status, 403, "GET %s: %ld %s", paths[i], r->status, r->body);
        teams_assert_forbidden(r, "billing.view");
        cr_assert(!strstr(r->body, number) && !strstr(r->body, "4242"), "GET %s shows: %s",
                  paths[i], r->body);
        reply_free(r);
    }
}

/* Charges, invoices and the payment method: a member whose role holds every permission but
 * billing.view gets 403 on each; a role with billing.view alone reads them all; another
 * team's invoice is 404. */
Test(billing_access, only_billing_view_reads_charges_invoices_and_payment_method, .timeout = 60)
{
    struct bl_team t, other;
    bl_team(&t, "Cabinet Réservé", 1);
    bl_team(&other, "Cabinet Voisin", 1);
    const char *everything_else[16];
    int n = 0;
    for (const char *const *p = teams_all_permissions; *p && n < 15; p++)
        if (strcmp(*p, "billing.view") != 0)
            everything_else[n++] = *p;
    everything_else[n] = NULL;
    const char *const billing_only[] = {"billing.view", NULL};
    char busy[LT_ID_MAX], accountant[LT_ID_MAX];
    lt_role(&t.admin.c, t.team, "Tout sauf la facturation", everything_else, busy);
    lt_role(&t.admin.c, t.team, "Comptable", billing_only, accountant);
    struct lt_user member, reader;
    lt_join(&t.admin.c, t.team, busy, &member);
    lt_join(&t.admin.c, t.team, accountant, &reader);
    struct dl_letter sent;
    bl_send(&member.c, t.team, "lre", "ACCES", 1, &sent);
    bl_wait_charges(t.team, 1);

    int lock = stack_lock(BL_CLOSE_LOCK);
    bl_move_charges(t.team, "2025-05-20T09:00:00+02:00", 1);
    bl_close_month("2025-05");
    stack_unlock(lock);
    json_t *invoice = bl_invoice_for(&t.admin.c, t.team, "2025-05");
    cr_assert_not_null(invoice, "no invoice for 2025-05");
    char id[LT_ID_MAX], number[BL_NUMBER_MAX];
    snprintf(id, sizeof(id), "%s", lt_str(invoice, "id"));
    snprintf(number, sizeof(number), "%s", lt_str(invoice, "number"));
    json_decref(invoice);

    expect_refused_everywhere(&member.c, t.team, id, number);

    struct reply *r = bl_charges(&reader.c, t.team, "?month=2025-05");
    cr_assert_eq(r->status, 200, "%s", r->body);
    expect_charge(bl_charge_of(json_object_get(r->json, "charges"), sent.deliveries[0]), sent.id,
                  member.id, "lre", "ACCES", BL_LRE_CENTS, id);
    reply_free(r);
    invoice = bl_invoice_for(&reader.c, t.team, "2025-05");
    cr_assert_not_null(invoice, "the billing viewer does not see the invoice");
    json_decref(invoice);
    r = bl_invoice(&reader.c, t.team, id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "number"), number);
    reply_free(r);
    reply_free(bl_invoice_pdf(&reader.c, t.team, id, number));
    r = client_send(&reader.c, "GET", lt_path("/api/v1/teams/%s/payment-method", t.team), NULL,
                    NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(lt_str(r->json, "last4"), "4242", "%s", r->body);
    reply_free(r);

    /* Another team's administrator: the invoice and the charges are nowhere to be found. */
    const char *lookups[] = {
        lt_path("/api/v1/teams/%s/charges?month=2025-05", t.team),
        lt_path("/api/v1/teams/%s/invoices/%s", other.team, id),
        lt_path("/api/v1/teams/%s/invoices/%s?format=pdf", other.team, id),
        lt_path("/api/v1/teams/%s/invoices/%s", t.team, id),
        lt_path("/api/v1/teams/%s/invoices/not-an-invoice", other.team),
    };
    for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
        r = client_send(&other.admin.c, "GET", lookups[i], NULL, NULL);
        teams_assert_problem(r, 404, "not_found");
        cr_assert(!strstr(r->body, number), "GET %s shows: %s", lookups[i], r->body);
        reply_free(r);
    }
    invoice = bl_invoice_for(&other.admin.c, other.team, "2025-05");
    cr_assert_null(invoice, "the other team lists an invoice it does not have");
}
