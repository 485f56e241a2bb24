/* The validation signature: Ed25519 over the canonical digest, checked with the published key
 * (libsodium here, `pli verify-letter` for the operator), and broken by any change. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/client.h"
#include "support/letters.h"

#define GROUP_SIZE 3
#define ATTACHMENTS 2

/* Whether signature_b64 signs payload under the published key key_id. */
static int signature_valid(const json_t *keys, const char *key_id, const unsigned char *payload,
                           size_t len, const char *signature_b64)
{
    const char *public_b64 = NULL;
    size_t i;
    json_t *key;
    json_array_foreach (json_object_get(keys, "keys"), i, key) {
        if (strcmp(lt_str(key, "id"), key_id) == 0)
            public_b64 = lt_str(key, "public_key");
    }
    cr_assert_not_null(public_b64, "key %s is not published", key_id);
    size_t public_len, signature_len;
    unsigned char *public_key = lt_base64_decode(public_b64, &public_len);
    unsigned char *signature = lt_base64_decode(signature_b64, &signature_len);
    cr_assert_eq(public_len, crypto_sign_PUBLICKEYBYTES);
    cr_assert_eq(signature_len, crypto_sign_BYTES);
    int ok = crypto_sign_verify_detached(signature, payload, len, public_key) == 0;
    free(public_key);
    free(signature);
    return ok;
}

/* The signed bytes of a validated letter (malloc'd) and their length. */
static unsigned char *signed_payload(const json_t *letter, size_t *len)
{
    const json_t *validation = json_object_get(letter, "validation");
    cr_assert(json_is_object(validation), "no validation");
    return lt_base64_decode(lt_str(validation, "signed_payload"), len);
}

/* Flips one bit of a byte in the middle of the letter's signed payload, in place. */
static void tamper(json_t *letter)
{
    json_t *validation = json_object_get(letter, "validation");
    size_t len;
    unsigned char *payload = signed_payload(letter, &len);
    payload[len / 2] ^= 0x01;
    char *text = lt_base64_encode(payload, len);
    json_object_set_new(validation, "signed_payload", json_string(text));
    free(text);
    free(payload);
}

static int verifies(const json_t *letter)
{
    const json_t *validation = json_object_get(letter, "validation");
    json_t *keys = lt_keys();
    size_t len;
    unsigned char *payload = signed_payload(letter, &len);
    int ok = signature_valid(keys, lt_str(validation, "key_id"), payload, len,
                             lt_str(validation, "signature"));
    free(payload);
    json_decref(keys);
    return ok;
}

Test(letters_signature, verifies_with_the_published_key)
{
    struct lt_scene s;
    lt_scene(&s);
    json_t *letter = lt_validated_letter(&s, GROUP_SIZE, ATTACHMENTS);
    cr_assert(verifies(letter), "the signature does not verify");
    json_decref(letter);
}

Test(letters_signature, fails_after_one_byte_of_the_payload_changes)
{
    struct lt_scene s;
    lt_scene(&s);
    json_t *letter = lt_validated_letter(&s, GROUP_SIZE, ATTACHMENTS);
    tamper(letter);
    cr_assert_not(verifies(letter), "a tampered payload must not verify");
    json_decref(letter);
}

Test(letters_signature, payload_names_the_letter_its_recipients_and_attachment_hashes)
{
    struct lt_scene s;
    lt_scene(&s);
    json_t *letter = lt_validated_letter(&s, GROUP_SIZE, ATTACHMENTS);
    size_t len;
    unsigned char *payload = signed_payload(letter, &len);
    json_error_t error;
    json_t *doc = json_loadb((const char *)payload, len, 0, &error);
    cr_assert_not_null(doc, "the signed payload is not JSON: %s", error.text);

    cr_assert_str_eq(lt_str(doc, "letter_id"), s.letter);
    cr_assert_str_eq(lt_str(doc, "team_id"), s.team);
    cr_assert_str_eq(lt_str(doc, "kind"), "lre");
    cr_assert_str_eq(lt_str(doc, "subject"), lt_str(letter, "subject"));
    cr_assert_str_eq(lt_str(doc, "body_sha256"), lt_str(letter, "body_sha256"));
    cr_assert_str_eq(lt_str(doc, "submitted_by"), s.member.id);
    cr_assert_str_eq(lt_str(doc, "validated_by"), s.admin.id);
    cr_assert_str_eq(lt_str(doc, "key_id"),
                     lt_str(json_object_get(letter, "validation"), "key_id"));

    json_t *signed_recipients = json_object_get(doc, "recipients");
    json_t *recipients = json_object_get(letter, "recipients");
    cr_assert_eq(json_array_size(signed_recipients), GROUP_SIZE + 2);
    cr_assert_eq(json_array_size(signed_recipients), json_array_size(recipients));
    size_t i;
    json_t *item;
    json_array_foreach (recipients, i, item) {
        json_t *signed_one = json_array_get(signed_recipients, i);
        cr_assert_str_eq(lt_str(signed_one, "email"), lt_str(item, "email"), "recipient %zu", i);
        cr_assert_str_eq(lt_str(signed_one, "last_name"), lt_str(item, "last_name"));
        cr_assert_str_eq(lt_str(signed_one, "status"), lt_str(item, "status"));
    }

    json_t *signed_attachments = json_object_get(doc, "attachments");
    json_t *attachments = json_object_get(letter, "attachments");
    cr_assert_eq(json_array_size(attachments), ATTACHMENTS);
    cr_assert_eq(json_array_size(signed_attachments), ATTACHMENTS);
    json_array_foreach (attachments, i, item) {
        char *pdf = lt_pdf(i == 0 ? "Piece jointe 1" : "Piece jointe 2");
        char sha[65];
        lt_sha256_hex(pdf, strlen(pdf), sha);
        free(pdf);
        cr_assert_str_eq(lt_str(item, "sha256"), sha, "attachment %zu", i);
        cr_assert_str_eq(lt_str(json_array_get(signed_attachments, i), "sha256"), sha);
    }
    json_decref(doc);
    free(payload);
    json_decref(letter);
}

Test(letters_signature, payload_is_canonical_json)
{
    struct lt_scene s;
    lt_scene(&s);
    json_t *letter = lt_validated_letter(&s, GROUP_SIZE, ATTACHMENTS);
    size_t len;
    unsigned char *payload = signed_payload(letter, &len);
    json_t *doc = json_loadb((const char *)payload, len, 0, NULL);
    cr_assert_not_null(doc);
    char *again = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    cr_assert(strlen(again) == len && memcmp(again, payload, len) == 0, "not canonical:\n%.*s\n%s",
              (int)len, payload, again);
    cr_assert_eq(json_integer_value(json_object_get(doc, "v")), 1);
    free(again);
    json_decref(doc);
    free(payload);
    json_decref(letter);
}

/* Writes JSON to a fresh temporary file; fills path. */
static void save(const json_t *value, char path[64])
{
    snprintf(path, 64, "/tmp/pli-letter-test.XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemp");
    close(fd);
    cr_assert_eq(json_dump_file(value, path, JSON_INDENT(2)), 0, "cannot write %s", path);
}

/* Runs `pli verify-letter` on the letter as saved; returns its exit status and first line. */
static int verify_letter(const json_t *letter, char *out, size_t out_size)
{
    const char *dir = getenv("PLI_TEST_BUILD_DIR");
    cr_assert_not_null(dir, "PLI_TEST_BUILD_DIR is not set");
    char keys_path[64], letter_path[64], command[1024];
    json_t *keys = lt_keys();
    save(keys, keys_path);
    json_decref(keys);
    save(letter, letter_path);
    snprintf(command, sizeof(command), "'%s/pli' verify-letter --keys '%s' '%s' 2>&1", dir,
             keys_path, letter_path);
    FILE *p = popen(command, "r");
    cr_assert_not_null(p);
    out[0] = '\0';
    char line[512];
    while (fgets(line, sizeof(line), p))
        if (!out[0])
            snprintf(out, out_size, "%s", line);
    int status = pclose(p);
    unlink(keys_path);
    unlink(letter_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(letters_signature, pli_verify_letter_accepts_the_saved_letter)
{
    struct lt_scene s;
    lt_scene(&s);
    json_t *letter = lt_validated_letter(&s, GROUP_SIZE, ATTACHMENTS);
    char out[512];
    cr_assert_eq(verify_letter(letter, out, sizeof(out)), 0, "%s", out);
    cr_assert(strstr(out, "valid signature"), "%s", out);
    json_decref(letter);
}

Test(letters_signature, pli_verify_letter_refuses_a_tampered_letter)
{
    struct lt_scene s;
    lt_scene(&s);
    json_t *letter = lt_validated_letter(&s, GROUP_SIZE, ATTACHMENTS);
    tamper(letter);
    char out[512];
    cr_assert_eq(verify_letter(letter, out, sizeof(out)), 1, "%s", out);
    cr_assert(strstr(out, "INVALID"), "%s", out);
    json_decref(letter);
}
