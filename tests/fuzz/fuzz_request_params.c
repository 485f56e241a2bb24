/* The FastCGI parameters a worker receives, read the way the dispatcher and handlers read
 * them: parameters, cookies and credentials, the media type, the query string, percent
 * decoding, the page size and the Idempotency-Key. Input: "NAME=value" lines, which become the
 * request's environment as libfcgi hands it over. */
#include <stdint.h>

#include "fcgi/authn.h"
#include "fcgi/ctx.h"
#include "fcgi/idempotency.h"
#include "lib/crypto.h"
#include "tests/fuzz/common.h"

#define FUZZ_PARAMS_MAX 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    FUZZ_CHECK(crypto_setup());
    return 0;
}

static const char *param_or(const struct request *req, const char *name, const char *fallback)
{
    const char *v = request_param(req, name);
    return v ? v : fallback;
}

/* True when p points into one of the environment's strings. */
static bool in_envp(char *const *envp, const char *p)
{
    for (; *envp; envp++)
        if (p >= *envp && p <= *envp + strlen(*envp))
            return true;
    return false;
}

static void check_credentials(struct request *req, const char *cookie_name)
{
    const char *token;
    enum authn_credentials kind = authn_credentials(req, cookie_name, &token);
    FUZZ_CHECK(kind < AUTHN__MAX);
    FUZZ_CHECK((kind == AUTHN_API_KEY || kind == AUTHN_SESSION) == (token != NULL));
    if (kind == AUTHN_SESSION)
        FUZZ_CHECK(strlen(token) == CRYPTO_TOKEN_CHARS && !strchr(token, ';'));
    if (kind == AUTHN_API_KEY)
        FUZZ_CHECK(strncmp(token, "pli_", 4) == 0);
    if (token) {
        char hash[CRYPTO_TOKEN_HASH_HEX + 1];
        crypto_token_hash(token, strlen(token), hash);
        FUZZ_CHECK(strlen(hash) == CRYPTO_TOKEN_HASH_HEX);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *envp[FUZZ_PARAMS_MAX + 1];
    int n = 0;
    const char *p = (const char *)data, *end = p + size;
    while (p < end && n < FUZZ_PARAMS_MAX) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        /* A NUL inside a value ends it, as it does in C strings. */
        FUZZ_CHECK((envp[n++] = strndup(p, (size_t)(eol - p))));
        p = eol + 1;
    }
    envp[n] = NULL;

    struct app app;
    memset(&app, 0, sizeof(app));
    struct ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.app = &app;
    struct request *req = &ctx.req;
    req->arena = arena_new(FUZZ_ARENA_CAP);
    FUZZ_CHECK(req->arena);
    req->envp = envp;
    /* What the worker reads first (fcgi/worker.c). REQUEST_ID is nginx's own $request_id (hex),
     * never the client's, so it stays fixed here. */
    req->id = "4f2c9a0e6b1d8f3a5c7e9b0d2f4a6c8e";
    req->method = param_or(req, "REQUEST_METHOD", "GET");
    req->path = param_or(req, "DOCUMENT_URI", "/");
    req->query = param_or(req, "QUERY_STRING", "");
    response_init(&ctx.resp, req->arena, req->id);

    static const char *const names[] = {
        "CONTENT_LENGTH", "CONTENT_TYPE",       "HTTP_ORIGIN",          "HTTP_SEC_FETCH_SITE",
        "HTTP_COOKIE",    "HTTP_AUTHORIZATION", "HTTP_IDEMPOTENCY_KEY", "HTTP_X_FILENAME",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *v = request_param(req, names[i]);
        FUZZ_CHECK(!v || (in_envp(envp, v) && v[-1] == '='));
    }
    (void)request_is_unsafe(req);

    const char *type = request_media_type(req);
    FUZZ_CHECK(type && !strchr(type, ';'));
    for (const char *t = type; *t; t++)
        FUZZ_CHECK(*t < 'A' || *t > 'Z');

    /* Session cookies under both names (plain http and __Host- behind https). */
    check_credentials(req, "pli_session");
    check_credentials(req, "__Host-pli_session");

    /* Every query parameter a handler reads. */
    static const char *const queries[] = {"limit",     "cursor", "status", "sender",    "q",
                                          "recipient", "from",   "to",     "reference", "dry_run"};
    size_t query_len = strlen(req->query);
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        const char *v = request_query(req, queries[i]);
        FUZZ_CHECK(!v || strlen(v) <= query_len);
    }
    int limit = 0;
    if (ctx_page_limit(&ctx, &limit))
        FUZZ_CHECK(limit >= 1 && limit <= CTX_PAGE_MAX);
    else
        FUZZ_CHECK(ctx.resp.status == 422);

    /* The attachment's file name: percent-encoded UTF-8 (handlers/attachments.c). */
    const char *raw = request_param(req, "HTTP_X_FILENAME");
    if (raw) {
        size_t raw_len = strlen(raw);
        const char *name = request_url_decode(req->arena, raw, raw_len, false);
        if (name) {
            FUZZ_CHECK(strlen(name) <= raw_len);
            (void)(text_is_utf8(name, strlen(name)) && json_utf8_length(name) <= 255);
        }
    }
    /* And the decoder on the whole query string, '+' as a space. */
    const char *decoded = request_url_decode(req->arena, req->query, query_len, true);
    FUZZ_CHECK(!decoded || strlen(decoded) <= query_len);

    struct idempotency idem;
    if (idempotency_begin(&ctx, &idem) && idem.key)
        FUZZ_CHECK(strlen(idem.request_hash) == 64);

    arena_free(req->arena);
    for (int i = 0; i < n; i++)
        free(envp[i]);
    return 0;
}
