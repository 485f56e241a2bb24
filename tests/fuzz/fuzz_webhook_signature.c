/* Standard Webhooks verification on any input: "id\ntimestamp\nsignature header\nbody", the
 * body being every byte after the third line end (NULs included). A NUL inside one of the
 * first three lines ends that string, as it would in a header value. The secret and the clock
 * are fixed; besides memory safety, the harness checks that nothing but the real signature is
 * ever accepted and that the real signature is accepted whenever the rest is well-formed. */
#include <stdint.h>

#include <sodium.h>

#include "lib/webhook_signature.h"
#include "tests/fuzz/common.h"

/* The example of the Standard Webhooks specification. */
#define FUZZ_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define FUZZ_NOW ((time_t)1614265330)

static struct webhook_secret secret;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    FUZZ_CHECK(sodium_init() >= 0);
    FUZZ_CHECK(webhook_secret_parse(FUZZ_SECRET, &secret));
    return 0;
}

/* The next line of [*p, end) as a new string; *p moves past its line end. */
static char *next_line(const char **p, const char *end)
{
    const char *eol = memchr(*p, '\n', (size_t)(end - *p));
    if (!eol)
        eol = end;
    char *line = strndup(*p, (size_t)(eol - *p));
    FUZZ_CHECK(line);
    *p = eol < end ? eol + 1 : end;
    return line;
}

/* True when one of the first WEBHOOK_SIGNATURES_MAX space-separated entries of header is
 * exactly signature (base64 as libsodium reads it has one spelling per value). */
static bool header_holds(const char *header, const char *signature)
{
    size_t len = strlen(signature);
    const char *p = header;
    for (int looked = 0; looked < WEBHOOK_SIGNATURES_MAX; looked++) {
        while (*p == ' ')
            p++;
        if (!*p)
            return false;
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        if ((size_t)(p - start) == len && memcmp(start, signature, len) == 0)
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    char *id = next_line(&p, end);
    char *timestamp = next_line(&p, end);
    char *header = next_line(&p, end);
    /* The body is read in place: the sanitizer sees any read past its end. */
    const char *body = p;
    size_t body_len = (size_t)(end - p);

    enum webhook_check got =
        webhook_verify(&secret, id, timestamp, body, body_len, header, FUZZ_NOW);
    FUZZ_CHECK(got < WEBHOOK_CHECK__MAX);

    char signature[WEBHOOK_SIGNATURE_MAX];
    webhook_sign(&secret, id, timestamp, body, body_len, signature);
    FUZZ_CHECK(strlen(signature) == WEBHOOK_SIGNATURE_MAX - 1);
    FUZZ_CHECK(strncmp(signature, "v1,", 3) == 0);
    /* libsodium is not instrumented, so a read past body_len inside the HMAC would go unseen:
     * the signature must not change with the byte that follows the body. */
    char *copy = malloc(body_len + 1);
    FUZZ_CHECK(copy);
    if (body_len > 0)
        memcpy(copy, body, body_len);
    char again[WEBHOOK_SIGNATURE_MAX];
    copy[body_len] = '\0';
    webhook_sign(&secret, id, timestamp, copy, body_len, again);
    FUZZ_CHECK(strcmp(again, signature) == 0);
    copy[body_len] = '\xff';
    webhook_sign(&secret, id, timestamp, copy, body_len, again);
    FUZZ_CHECK(strcmp(again, signature) == 0);
    free(copy);

    /* No forgery: accepted only when the header carries the real signature. */
    if (got == WEBHOOK_OK)
        FUZZ_CHECK(header_holds(header, signature));

    /* The real signature, alone: only the id and the timestamp can still be refused. */
    enum webhook_check own =
        webhook_verify(&secret, id, timestamp, body, body_len, signature, FUZZ_NOW);
    FUZZ_CHECK(own == WEBHOOK_OK || own == WEBHOOK_MALFORMED || own == WEBHOOK_STALE);
    if (got == WEBHOOK_OK || got == WEBHOOK_BAD_SIGNATURE)
        FUZZ_CHECK(own == WEBHOOK_OK);
    if (got == WEBHOOK_STALE)
        FUZZ_CHECK(own == WEBHOOK_STALE);
    if (own == WEBHOOK_MALFORMED)
        FUZZ_CHECK(got == WEBHOOK_MALFORMED);

    /* And after the fuzzed entries: found when they leave it among the first ones looked at. */
    size_t header_len = strlen(header);
    char *both = malloc(header_len + 1 + sizeof(signature));
    FUZZ_CHECK(both);
    memcpy(both, header, header_len);
    both[header_len] = ' ';
    memcpy(both + header_len + 1, signature, sizeof(signature));
    enum webhook_check appended =
        webhook_verify(&secret, id, timestamp, body, body_len, both, FUZZ_NOW);
    if (header_holds(both, signature))
        FUZZ_CHECK(appended == own);
    else
        FUZZ_CHECK(appended != WEBHOOK_OK);

    free(both);
    free(header);
    free(timestamp);
    free(id);
    return 0;
}
