#include "support/client.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>
#include <unistd.h>

const char *client_base_url(void)
{
    const char *base = getenv("PLI_TEST_BASE_URL");
    return base ? base : "http://127.0.0.1:8080";
}

void client_init(struct client *c)
{
    memset(c, 0, sizeof(*c));
    c->send_origin = true;
}

struct buffer {
    char *data;
    size_t len;
};

static size_t collect(char *ptr, size_t size, size_t n, void *userdata)
{
    struct buffer *b = userdata;
    size_t add = size * n;
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, ptr, add);
    b->data = grown;
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

/* Keeps the session cookie the way a browser would (Max-Age=0 deletes it). */
static void remember_cookie(struct client *c, const struct reply *r)
{
    for (const char *p = r->headers; p && (p = strcasestr(p, "\nset-cookie:")); p++) {
        const char *v = p + strlen("\nset-cookie:");
        while (*v == ' ')
            v++;
        const char *eq = strchr(v, '=');
        if (!eq || strncmp(eq - strlen("pli_session"), "pli_session", 11) != 0)
            continue;
        size_t len = strcspn(eq + 1, ";\r\n");
        bool deleted = strstr(v, "Max-Age=0") && strstr(v, "Max-Age=0") < strchr(v, '\n');
        if (deleted || len == 0)
            c->session[0] = '\0';
        else
            snprintf(c->session, sizeof(c->session), "%.*s", (int)len, eq + 1);
    }
}

static bool is_unsafe(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* The media type of a reply (Content-Type without parameters) when it is JSON, else NULL. */
static char *json_media_type(const struct reply *r)
{
    char *type = reply_header(r, "Content-Type");
    if (!type)
        return NULL;
    type[strcspn(type, "; \t")] = '\0';
    if (strcasecmp(type, "application/json") == 0 ||
        strcasecmp(type, "application/problem+json") == 0)
        return type;
    free(type);
    return NULL;
}

/* With PLI_TEST_RESPONSE_LOG set (a folder), appends a JSON reply of the stack as one line to
 * this process's file there: method, path, query, status, media type, parsed body (null when it
 * does not parse) and the test that got it. scripts/lib/openapi-responses.mjs checks them
 * against docs/openapi.yaml. */
static void log_reply(const char *method, const char *path, const struct reply *r)
{
    const char *dir = getenv("PLI_TEST_RESPONSE_LOG");
    char *type = dir && *dir ? json_media_type(r) : NULL;
    if (!type)
        return;
    char test[256], file[4096];
    snprintf(test, sizeof(test), "%s/%s",
             criterion_current_suite ? criterion_current_suite->name : "",
             criterion_current_test ? criterion_current_test->name : "");
    int n = snprintf(file, sizeof(file), "%s/responses-%ld.jsonl", dir, (long)getpid());
    cr_assert(n > 0 && (size_t)n < sizeof(file), "PLI_TEST_RESPONSE_LOG is too long");
    size_t path_len = strcspn(path, "?");
    json_t *record = json_pack("{s:s, s:s%, s:s, s:I, s:s, s:O?, s:s}", "method", method, "path",
                               path, path_len, "query", path[path_len] ? path + path_len + 1 : "",
                               "status", (json_int_t)r->status, "content_type", type, "body",
                               r->json, "test", test);
    free(type);
    cr_assert_not_null(record);
    FILE *f = fopen(file, "a");
    cr_assert_not_null(f, "cannot append to %s", file);
    bool ok = json_dumpf(record, f, JSON_COMPACT) == 0 && fputc('\n', f) != EOF;
    ok = fclose(f) == 0 && ok;
    json_decref(record);
    cr_assert(ok, "cannot write to %s", file);
}

struct reply *client_send(struct client *c, const char *method, const char *path,
                          const char *body, const char *const *extra_headers)
{
    return client_send_bytes(c, method, path, body, body ? strlen(body) : 0, extra_headers);
}

struct reply *client_send_bytes(struct client *c, const char *method, const char *path,
                                const void *body, size_t len, const char *const *extra_headers)
{
    CURL *curl = curl_easy_init();
    cr_assert_not_null(curl);
    char url[2048], line[512];
    snprintf(url, sizeof(url), "%s%s", c->base_url ? c->base_url : client_base_url(), path);
    struct curl_slist *headers = NULL;
    if (c->session[0]) {
        snprintf(line, sizeof(line), "Cookie: pli_session=%s", c->session);
        headers = curl_slist_append(headers, line);
    }
    if (c->bearer[0]) {
        snprintf(line, sizeof(line), "Authorization: Bearer %s", c->bearer);
        headers = curl_slist_append(headers, line);
    }
    if (c->send_origin && is_unsafe(method)) {
        snprintf(line, sizeof(line), "Origin: %s", client_base_url());
        headers = curl_slist_append(headers, line);
    }
    for (const char *const *h = extra_headers; h && *h; h++)
        headers = curl_slist_append(headers, *h);
    headers = curl_slist_append(headers, "Expect:");
    struct buffer out = {0}, head = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    /* A HEAD answer announces a Content-Length it does not send. */
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &head);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
    if (c->ca_file && c->ca_file[0])
        curl_easy_setopt(curl, CURLOPT_CAINFO, c->ca_file);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    CURLcode rc = curl_easy_perform(curl);
    cr_assert_eq(rc, CURLE_OK, "%s %s: %s", method, url, curl_easy_strerror(rc));
    struct reply *r = calloc(1, sizeof(*r));
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
    r->body = out.data ? out.data : strdup("");
    r->body_len = out.len;
    r->headers = head.data ? head.data : strdup("");
    r->json = json_loadb(r->body, r->body_len, 0, NULL);
    remember_cookie(c, r);
    if (!c->base_url && strcmp(method, "HEAD") != 0)
        log_reply(method, path, r);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return r;
}

struct reply *client_json(struct client *c, const char *method, const char *path,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_t *v = json_vpack_ex(NULL, 0, fmt, ap);
    va_end(ap);
    cr_assert_not_null(v, "bad json_pack format in test");
    char *text = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct reply *r = client_send(c, method, path, text, json_type);
    free(text);
    return r;
}

char *reply_header(const struct reply *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = r->headers; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            return strndup(v, strcspn(v, "\r\n"));
        }
    }
    return NULL;
}

const char *reply_code(const struct reply *r)
{
    const char *code = json_string_value(json_object_get(r->json, "code"));
    return code ? code : "";
}

void reply_free(struct reply *r)
{
    if (!r)
        return;
    json_decref(r->json);
    free(r->body);
    free(r->headers);
    free(r);
}

void client_unique_email(char *out, size_t size, const char *prefix)
{
    unsigned char raw[8];
    char hex[17];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    snprintf(out, size, "%s.%s@example.test", prefix, hex);
}

const char *client_signup(struct client *c, char *email, size_t email_size)
{
    static char id[64];
    char local[128];
    client_unique_email(local, sizeof(local), "user");
    struct reply *r = client_json(c, "POST", "/api/v1/auth/signup",
                                  "{s:s, s:s, s:s, s:s}", "email", local, "password",
                                  CLIENT_PASSWORD, "first_name", "Camille", "last_name",
                                  "Martin");
    cr_assert_eq(r->status, 201, "signup: %ld %s", r->status, r->body);
    snprintf(id, sizeof(id), "%s",
             json_string_value(json_object_get(json_object_get(r->json, "user"), "id")));
    if (email)
        snprintf(email, email_size, "%s", local);
    reply_free(r);
    return id;
}

struct reply *client_login(struct client *c, const char *email, const char *password)
{
    return client_json(c, "POST", "/api/v1/auth/login", "{s:s, s:s}", "email", email, "password",
                       password);
}

void client_create_api_key(struct client *c, const char *name, char *token, size_t token_size,
                           char *id, size_t id_size)
{
    struct reply *r = client_json(c, "POST", "/api/v1/me/api-keys", "{s:s}", "name", name);
    cr_assert_eq(r->status, 201, "create API key: %ld %s", r->status, r->body);
    const char *t = reply_string(r, "token"), *i = reply_string(r, "id");
    cr_assert(t && i, "create API key: %s", r->body);
    if (token)
        snprintf(token, token_size, "%s", t);
    if (id)
        snprintf(id, id_size, "%s", i);
    reply_free(r);
}

const char *reply_string(const struct reply *r, const char *path)
{
    const json_t *v = r->json;
    char key[128];
    for (const char *p = path; v && *p;) {
        size_t len = strcspn(p, ".");
        snprintf(key, sizeof(key), "%.*s", (int)len, p);
        v = json_object_get(v, key);
        p += len + (p[len] == '.');
    }
    return json_string_value(v);
}

void reply_expect_problem(const struct reply *r, long status, const char *code)
{
    cr_assert_eq(r->status, status, "expected %ld %s, got %ld: %s", status, code, r->status,
                 r->body);
    cr_assert_str_eq(reply_code(r), code, "body: %s", r->body);
    char *type = reply_header(r, "Content-Type");
    cr_assert(type && strncmp(type, "application/problem+json", 24) == 0,
              "Content-Type of a problem: %s", type ? type : "(none)");
    free(type);
    cr_assert_eq(json_integer_value(json_object_get(r->json, "status")), status, "%s", r->body);
}
