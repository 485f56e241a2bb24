#include "support/deliveries.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <sodium.h>
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

#define CODE_MARKER "Votre code de confirmation est : "

/* Writes bytes to a fresh temporary file; fills path. */
static void save_bytes(const void *data, size_t len, const char *suffix, char path[96])
{
    snprintf(path, 96, "/tmp/pli-dl-test.XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    cr_assert(fd >= 0, "mkstemps");
    FILE *f = fdopen(fd, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len, "cannot write %s", path);
    fclose(f);
}

/* Writes JSON to a fresh temporary file; fills path. */
static void save_json(const json_t *value, char path[96])
{
    char *text = json_dumps(value, JSON_INDENT(2));
    cr_assert_not_null(text);
    save_bytes(text, strlen(text), ".json", path);
    free(text);
}

/* Runs a shell command; returns its exit status (-1 when it did not exit) and its output
 * (stdout and stderr, truncated to size) in out. */
static int run_command(const char *command, char *out, size_t size)
{
    FILE *p = popen(command, "r");
    cr_assert_not_null(p, "cannot run %s", command);
    size_t used = 0;
    char chunk[512];
    size_t n;
    out[0] = '\0';
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
        size_t room = used + 1 < size ? size - used - 1 : 0;
        size_t take = n < room ? n : room;
        memcpy(out + used, chunk, take);
        used += take;
        out[used] = '\0';
    }
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void dl_unique_email(char *out, size_t size, const char *prefix, const char *domain)
{
    char email[160];
    client_unique_email(email, sizeof(email), prefix);
    size_t local = strcspn(email, "@");
    snprintf(out, size, "%.*s@%s", (int)local, email, domain);
}

void dl_send(struct client *sender, const char *team, const char *kind, const char *subject,
             json_t *recipients, int attachments, struct dl_letter *out)
{
    memset(out, 0, sizeof(*out));
    size_t expected = json_array_size(recipients);
    cr_assert(expected >= 1 && expected <= DL_RECIPIENTS_MAX, "%zu recipients", expected);
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:o}", "kind", kind, "subject", subject, "body",
                             "Madame, Monsieur,\nVeuillez trouver ci-joint notre courrier.",
                             "reference", "DOS-2024-17", "recipients", recipients);
    struct reply *r = lt_create(sender, team, body, NULL);
    cr_assert_eq(r->status, 201, "create: %ld %s", r->status, r->body);
    snprintf(out->id, sizeof(out->id), "%s", lt_str(r->json, "id"));
    reply_free(r);
    for (int i = 1; i <= attachments; i++) {
        char text[64];
        snprintf(text, sizeof(text), "Piece jointe %d", i);
        char *pdf = lt_pdf(text);
        r = lt_attach(sender, team, out->id, pdf, "application/pdf");
        cr_assert_eq(r->status, 201, "attach: %ld %s", r->status, r->body);
        reply_free(r);
        free(pdf);
    }
    lt_reauth(sender);
    r = lt_action(sender, team, out->id, "submit");
    cr_assert_eq(r->status, 200, "submit: %ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "sending", "%s", r->body);
    reply_free(r);
    r = lt_get(sender, team, out->id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *deliveries = json_object_get(r->json, "deliveries");
    cr_assert_eq(json_array_size(deliveries), expected, "deliveries: %s", r->body);
    size_t i;
    json_t *d;
    json_array_foreach (deliveries, i, d) {
        snprintf(out->deliveries[i], sizeof(out->deliveries[i]), "%s", lt_str(d, "id"));
        cr_assert(out->deliveries[i][0], "a delivery without id: %s", r->body);
    }
    out->count = (int)expected;
    reply_free(r);
}

void dl_send_to(struct client *sender, const char *team, const char *kind, const char *email,
                struct dl_letter *out)
{
    json_t *recipients = json_pack("[o]", lt_email_recipient("Durand", email));
    dl_send(sender, team, kind, "Mise en demeure", recipients, 0, out);
}

json_t *dl_delivery_of(const json_t *letter, const char *delivery)
{
    size_t i;
    json_t *d;
    json_array_foreach (json_object_get(letter, "deliveries"), i, d) {
        if (strcmp(lt_str(d, "id"), delivery) == 0)
            return d;
    }
    return NULL;
}

json_t *dl_delivery(struct client *c, const char *team, const char *letter, const char *delivery)
{
    struct reply *r = lt_get(c, team, letter);
    cr_assert_eq(r->status, 200, "GET letter: %ld %s", r->status, r->body);
    json_t *d = dl_delivery_of(r->json, delivery);
    if (d)
        json_incref(d);
    reply_free(r);
    return d;
}

json_t *dl_wait_status(struct client *c, const char *team, const char *letter, const char *delivery,
                       const char *status)
{
    char last[32] = "";
    double deadline = stack_now() + DL_WAIT_MS / 1000.0;
    for (;;) {
        json_t *d = dl_delivery(c, team, letter, delivery);
        cr_assert_not_null(d, "no delivery %s in letter %s", delivery, letter);
        snprintf(last, sizeof(last), "%s", lt_str(d, "status"));
        if (strcmp(last, status) == 0)
            return d;
        json_decref(d);
        if (stack_now() > deadline)
            break;
        stack_sleep(0.1);
    }
    cr_assert_fail("delivery %s still %s after %d ms, never %s", delivery, last, DL_WAIT_MS,
                   status);
    return NULL;
}

const char *dl_db_status(const char *delivery, char out[32])
{
    return lt_db_text("SELECT status FROM deliveries WHERE id = $1", delivery, out, 32);
}

const char *dl_status_path(const char *delivery, char *out, size_t size)
{
    const char *params[] = {delivery};
    PGresult *r = testdb_exec("SELECT coalesce(string_agg(e.target, ',' ORDER BY p.seq), '') "
                              "FROM delivery_events e JOIN proofs p ON p.id = e.proof_id "
                              "WHERE e.delivery_id = $1 AND e.applied",
                              1, params);
    snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return out;
}

char *dl_notification_mail(const char *email, const char *delivery)
{
    char needle[128];
    snprintf(needle, sizeof(needle), "delivery-%s@", delivery);
    char *text = maildir_wait_for(email, needle, DL_WAIT_MS);
    cr_assert_not_null(text, "no notification e-mail of delivery %s reached %s", delivery, email);
    return text;
}

/* Decodes one RFC 2047 encoded word (=?charset?B|Q?text?=) into out (n bytes); false when
 * word is not one. */
static int decode_word(const char *word, size_t len, unsigned char *out, size_t size, size_t *n)
{
    *n = 0;
    if (len < 8 || strncmp(word, "=?", 2) != 0 || strncmp(word + len - 2, "?=", 2) != 0)
        return 0;
    const char *charset_end = memchr(word + 2, '?', len - 4);
    if (!charset_end || charset_end + 3 > word + len - 2 || charset_end[2] != '?')
        return 0;
    char encoding = charset_end[1];
    const char *text = charset_end + 3;
    size_t text_len = (size_t)(word + len - 2 - text);
    if (encoding == 'B' || encoding == 'b')
        return sodium_base642bin(out, size, text, text_len, NULL, n, NULL,
                                 sodium_base64_VARIANT_ORIGINAL) == 0;
    if (encoding != 'Q' && encoding != 'q')
        return 0;
    for (size_t i = 0; i < text_len && *n < size; i++) {
        if (text[i] == '_') {
            out[(*n)++] = ' ';
        } else if (text[i] == '=' && i + 2 < text_len) {
            char hex[3] = {text[i + 1], text[i + 2], '\0'};
            out[(*n)++] = (unsigned char)strtoul(hex, NULL, 16);
            i += 2;
        } else {
            out[(*n)++] = (unsigned char)text[i];
        }
    }
    return 1;
}

/* Appends len bytes to out (size bytes, *used so far), truncating. */
static void append(char *out, size_t size, size_t *used, const void *data, size_t len)
{
    size_t take = *used + len < size ? len : size - *used - 1;
    memcpy(out + *used, data, take);
    *used += take;
    out[*used] = '\0';
}

const char *dl_mail_subject(const char *message, char *out, size_t size)
{
    out[0] = '\0';
    const char *p = strcasestr(message, "\nSubject:");
    cr_assert_not_null(p, "no Subject header in:\n%.400s", message);
    p += strlen("\nSubject:");
    /* The header's value, its folded continuation lines joined. */
    char value[1024];
    size_t n = 0;
    for (; *p && n + 1 < sizeof(value); p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n') {
            if (p[1] != ' ' && p[1] != '\t')
                break;
            continue;
        }
        value[n++] = *p;
    }
    value[n] = '\0';
    size_t used = 0;
    int previous_encoded = 0;
    for (const char *w = value + strspn(value, " \t"); *w; w += strspn(w, " \t")) {
        size_t len = strcspn(w, " \t");
        unsigned char decoded[512];
        size_t decoded_len;
        int encoded = decode_word(w, len, decoded, sizeof(decoded), &decoded_len);
        /* Whitespace between two encoded words is not part of the text (RFC 2047, 6.2). */
        if (used > 0 && !(encoded && previous_encoded))
            append(out, size, &used, " ", 1);
        if (encoded)
            append(out, size, &used, decoded, decoded_len);
        else
            append(out, size, &used, w, len);
        previous_encoded = encoded;
        w += len;
    }
    return out;
}

void dl_link_token(const char *email, const char *delivery, char token[DL_TOKEN_MAX])
{
    char *text = dl_notification_mail(email, delivery);
    char marker[600];
    snprintf(marker, sizeof(marker), "%s/deliveries/", client_base_url());
    int found = maildir_extract_token(text, marker, token, DL_TOKEN_MAX);
    cr_assert(found, "no link %s in the e-mail to %s:\n%s", marker, email, text);
    free(text);
}

void dl_code_from_mail(const char *email, const char *delivery, int version,
                       char code[DL_CODE_DIGITS + 1])
{
    char needle[160];
    snprintf(needle, sizeof(needle), "delivery-code-%s-v%d@", delivery, version);
    char *text = maildir_wait_for(email, needle, DL_WAIT_MS);
    cr_assert_not_null(text, "no e-mail with code %d of delivery %s reached %s", version, delivery,
                       email);
    const char *p = strstr(text, CODE_MARKER);
    cr_assert_not_null(p, "no code in the e-mail to %s:\n%s", email, text);
    p += strlen(CODE_MARKER);
    cr_assert_eq(strspn(p, "0123456789"), (size_t)DL_CODE_DIGITS, "not a %d-digit code: %.20s",
                 DL_CODE_DIGITS, p);
    memcpy(code, p, DL_CODE_DIGITS);
    code[DL_CODE_DIGITS] = '\0';
    free(text);
}

void dl_new_code(const char *token, const char *email, const char *delivery,
                 char code[DL_CODE_DIGITS + 1])
{
    struct reply *r = dl_request_code(token);
    cr_assert_eq(r->status, 202, "ask for a code: %ld %s", r->status, r->body);
    reply_free(r);
    const char *params[] = {delivery};
    long version = testdb_long("SELECT code_version FROM deliveries WHERE id = $1", 1, params);
    dl_code_from_mail(email, delivery, (int)version, code);
}

/* Sends a recipient's request without any session. nginx limits the requests of one address
 * to /api/v1/deliveries/ (with sign-ins, shared by every test running at once): a request it
 * turned away (429 rate_limited, never seen by pli) is sent again a little later. */
static struct reply *recipient_send(const char *method, const char *path, const char *body)
{
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct reply *r = NULL;
    for (int attempt = 0; attempt < 20; attempt++) {
        if (r) {
            reply_free(r);
            stack_sleep(0.25);
        }
        struct client anyone;
        client_init(&anyone);
        r = client_send(&anyone, method, path, body, body ? json_type : NULL);
        if (r->status != 429 || strcmp(reply_code(r), "rate_limited") != 0)
            break;
    }
    return r;
}

struct reply *dl_recipient_get(const char *token, const char *suffix)
{
    return recipient_send("GET", lt_path("/api/v1/deliveries/%s%s", token, suffix), NULL);
}

struct reply *dl_request_code(const char *token)
{
    return recipient_send("POST", lt_path("/api/v1/deliveries/%s/code", token), NULL);
}

struct reply *dl_answer(const char *token, const char *action, const char *code)
{
    json_t *body = json_pack("{s:s}", "code", code);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    cr_assert_not_null(text);
    struct reply *r =
        recipient_send("POST", lt_path("/api/v1/deliveries/%s/%s", token, action), text);
    free(text);
    return r;
}

void dl_answer_with_code(const char *token, const char *email, const char *delivery,
                         const char *action)
{
    char code[DL_CODE_DIGITS + 1];
    dl_new_code(token, email, delivery, code);
    struct reply *r = dl_answer(token, action, code);
    cr_assert_eq(r->status, 200, "%s: %ld %s", action, r->status, r->body);
    const char *status = strcmp(action, "accept") == 0 ? "accepted" : "refused";
    cr_assert_str_eq(lt_str(r->json, "status"), status, "%s", r->body);
    reply_free(r);
}

json_t *dl_proof_list(struct client *c, const char *team, const char *letter, const char *delivery)
{
    json_t *d = dl_delivery(c, team, letter, delivery);
    cr_assert_not_null(d, "no delivery %s in letter %s", delivery, letter);
    json_t *proofs = json_incref(json_object_get(d, "proofs"));
    cr_assert(json_is_array(proofs), "no proofs array");
    json_decref(d);
    return proofs;
}

json_t *dl_proof_json(struct client *c, const char *team, const char *letter, const char *proof)
{
    struct reply *r = client_send(
        c, "GET", lt_path("/api/v1/teams/%s/letters/%s/proofs/%s?format=json", team, letter, proof),
        NULL, NULL);
    cr_assert_eq(r->status, 200, "proof %s: %ld %s", proof, r->status, r->body);
    cr_assert(json_is_object(r->json), "proof %s is not JSON: %.200s", proof, r->body);
    json_t *p = json_incref(r->json);
    reply_free(r);
    return p;
}

json_t *dl_proofs_json(struct client *c, const char *team, const char *letter, const char *delivery)
{
    json_t *list = dl_proof_list(c, team, letter, delivery);
    json_t *out = json_array();
    size_t i;
    json_t *item;
    json_array_foreach (list, i, item) {
        json_array_append_new(out, dl_proof_json(c, team, letter, lt_str(item, "id")));
    }
    json_decref(list);
    return out;
}

struct reply *dl_proof_pdf(struct client *c, const char *team, const char *letter,
                           const char *proof)
{
    const char *path = lt_path("/api/v1/teams/%s/letters/%s/proofs/%s", team, letter, proof);
    double deadline = stack_now() + DL_WAIT_MS / 1000.0;
    struct reply *r = client_send(c, "GET", path, NULL, NULL);
    /* pli-jobs makes the PDF just after the proof: 409 proof_pdf_pending until then. */
    while (r->status == 409 && stack_now() < deadline) {
        reply_free(r);
        stack_sleep(0.1);
        r = client_send(c, "GET", path, NULL, NULL);
    }
    return r;
}

unsigned char *dl_proof_payload(const json_t *proof, size_t *len)
{
    return lt_base64_decode(lt_str(proof, "signed_payload"), len);
}

json_t *dl_proof_record(const json_t *proof)
{
    size_t len;
    unsigned char *payload = dl_proof_payload(proof, &len);
    json_error_t error;
    json_t *record = json_loadb((const char *)payload, len, 0, &error);
    cr_assert_not_null(record, "the signed payload is not JSON: %s", error.text);
    free(payload);
    return record;
}

void dl_tamper_payload(json_t *proof, size_t offset)
{
    size_t len;
    unsigned char *payload = dl_proof_payload(proof, &len);
    cr_assert(len > 0, "empty signed payload");
    payload[offset % len] ^= 0x01;
    char *text = lt_base64_encode(payload, len);
    json_object_set_new(proof, "signed_payload", json_string(text));
    free(text);
    free(payload);
}

int dl_verify_proofs(const json_t *proofs, char *out, size_t size)
{
    const char *dir = getenv("PLI_TEST_BUILD_DIR");
    cr_assert_not_null(dir, "PLI_TEST_BUILD_DIR is not set");
    size_t n = json_array_size(proofs);
    cr_assert(n >= 1 && n <= DL_RECIPIENTS_MAX, "%zu proofs", n);
    char keys_path[96], paths[DL_RECIPIENTS_MAX][96], command[4096];
    json_t *keys = lt_keys();
    save_json(keys, keys_path);
    json_decref(keys);
    int used =
        snprintf(command, sizeof(command), "'%s/pli' verify-proof --keys '%s'", dir, keys_path);
    for (size_t i = 0; i < n; i++) {
        save_json(json_array_get(proofs, i), paths[i]);
        used += snprintf(command + used, sizeof(command) - (size_t)used, " '%s'", paths[i]);
        cr_assert((size_t)used < sizeof(command), "command too long");
    }
    snprintf(command + used, sizeof(command) - (size_t)used, " 2>&1");
    int status = run_command(command, out, size);
    unlink(keys_path);
    for (size_t i = 0; i < n; i++)
        unlink(paths[i]);
    return status;
}

void dl_expect_proof_types(const json_t *proofs, const char *types)
{
    char seen[256] = "";
    size_t used = 0, i;
    json_t *p;
    json_array_foreach (proofs, i, p) {
        int w = snprintf(seen + used, sizeof(seen) - used, "%s%s", i ? "," : "", lt_str(p, "type"));
        if (w > 0 && (size_t)w < sizeof(seen) - used)
            used += (size_t)w;
    }
    cr_assert_str_eq(seen, types, "proof types \"%s\" where \"%s\" were expected", seen, types);
}

void dl_expect_chain_intact(const json_t *proofs)
{
    char out[4096], want[64];
    int status = dl_verify_proofs(proofs, out, sizeof(out));
    cr_assert_eq(status, 0, "pli verify-proof exited %d:\n%s", status, out);
    snprintf(want, sizeof(want), "chain of %zu proof(s) intact", json_array_size(proofs));
    cr_assert(strstr(out, want), "no \"%s\" in:\n%s", want, out);
}

void dl_expect_delivery_verifies(struct client *c, const char *team, const char *letter,
                                 const char *delivery)
{
    json_t *proofs = dl_proofs_json(c, team, letter, delivery);
    dl_expect_chain_intact(proofs);
    json_decref(proofs);
}

char *dl_pdf_text(const void *pdf, size_t len)
{
    char path[96], command[256];
    save_bytes(pdf, len, ".pdf", path);
    snprintf(command, sizeof(command), "pdftotext -q -enc UTF-8 '%s' - 2>&1", path);
    size_t size = 65536;
    char *text = malloc(size);
    cr_assert_not_null(text);
    int status = run_command(command, text, size);
    unlink(path);
    cr_assert_eq(status, 0, "pdftotext failed (%d): %s", status, text);
    return text;
}

void dl_age_notification(const char *delivery, int days)
{
    char interval[32];
    snprintf(interval, sizeof(interval), "%d days", days);
    const char *params[] = {delivery, interval};
    PGresult *r = testdb_exec("UPDATE deliveries SET notified_at = notified_at - $2::interval "
                              "WHERE id = $1 AND notified_at IS NOT NULL",
                              2, params);
    cr_assert_str_eq(PQcmdTuples(r), "1", "delivery %s was not notified", delivery);
    PQclear(r);
}

void dl_queue_job(const char *kind)
{
    const char *params[] = {kind};
    PGresult *r = testdb_exec("INSERT INTO jobs (kind, dedupe_key) "
                              "VALUES ($1, 'test:' || gen_random_uuid())",
                              1, params);
    PQclear(r);
}

