#include "support/load.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "support/client.h"
#include "support/stack.h"

#define LOAD_THREADS_MAX 32
#define LOAD_BODY_MAX 4096

/* The first LOAD_BODY_MAX bytes of a body and two headers of one answer. */
struct capture {
    char body[LOAD_BODY_MAX];
    size_t len;
    char content_type[96];
    char retry_after[32];
};

static size_t capture_body(char *ptr, size_t size, size_t n, void *userdata)
{
    struct capture *c = userdata;
    size_t add = size * n, room = sizeof(c->body) - 1 - c->len;
    memcpy(c->body + c->len, ptr, add < room ? add : room);
    c->len += add < room ? add : room;
    c->body[c->len] = '\0';
    return add;
}

static void copy_header(const char *line, size_t len, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return;
    const char *v = line + n + 1;
    const char *end = line + len;
    while (v < end && *v == ' ')
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    snprintf(out, size, "%.*s", (int)(end - v), v);
}

static size_t capture_header(char *ptr, size_t size, size_t n, void *userdata)
{
    struct capture *c = userdata;
    copy_header(ptr, size * n, "Content-Type", c->content_type, sizeof(c->content_type));
    copy_header(ptr, size * n, "Retry-After", c->retry_after, sizeof(c->retry_after));
    return size * n;
}

static void capture_code(const struct capture *c, char *out, size_t size)
{
    json_t *v = json_loadb(c->body, c->len, 0, NULL);
    const char *code = json_string_value(json_object_get(v, "code"));
    snprintf(out, size, "%s", code ? code : "");
    json_decref(v);
}

static void capture_reset(CURL *curl, struct capture *c)
{
    memset(c, 0, sizeof(*c));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, capture_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, capture_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, c);
}

struct load {
    pthread_t threads[LOAD_THREADS_MAX];
    int n_threads;
    char url[1024];
    double until;
    atomic_bool stop;
    pthread_mutex_t lock;
    struct load_result result;
};

static void record(struct load *l, CURLcode rc, long status, const struct capture *c)
{
    char code[64] = "";
    if (rc == CURLE_OK && status == 502)
        capture_code(c, code, sizeof(code));
    pthread_mutex_lock(&l->lock);
    struct load_result *r = &l->result;
    r->answered += rc == CURLE_OK;
    if (rc == CURLE_OK && status == 200) {
        r->ok++;
    } else if (rc == CURLE_OK && status == 502) {
        r->bad_gateway++;
        if (strcmp(c->content_type, "application/problem+json") != 0 ||
            strcmp(code, "upstream_unavailable") != 0)
            r->bad_gateway_raw++;
    } else {
        if (r->other++ == 0) {
            r->first_other = rc == CURLE_OK ? status : 0;
            snprintf(r->first_other_body, sizeof(r->first_other_body), "%.200s",
                     rc == CURLE_OK ? c->body : curl_easy_strerror(rc));
        }
    }
    pthread_mutex_unlock(&l->lock);
}

static void *load_thread(void *arg)
{
    struct load *l = arg;
    CURL *curl = curl_easy_init();
    if (!curl)
        return NULL;
    struct capture c;
    curl_easy_setopt(curl, CURLOPT_URL, l->url);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    while (!atomic_load(&l->stop) && stack_now() < l->until) {
        capture_reset(curl, &c);
        CURLcode rc = curl_easy_perform(curl);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        record(l, rc, status, &c);
    }
    curl_easy_cleanup(curl);
    return NULL;
}

struct load *load_start(const char *path, int threads, double max_seconds)
{
    cr_assert(threads > 0 && threads <= LOAD_THREADS_MAX);
    curl_global_init(CURL_GLOBAL_ALL); /* before any thread: it is not thread-safe */
    struct load *l = calloc(1, sizeof(*l));
    cr_assert_not_null(l);
    snprintf(l->url, sizeof(l->url), "%s%s", client_base_url(), path);
    l->until = stack_now() + max_seconds;
    atomic_init(&l->stop, false);
    pthread_mutex_init(&l->lock, NULL);
    for (int i = 0; i < threads; i++) {
        cr_assert_eq(pthread_create(&l->threads[i], NULL, load_thread, l), 0);
        l->n_threads++;
    }
    return l;
}

void load_stop(struct load *l, struct load_result *out)
{
    atomic_store(&l->stop, true);
    for (int i = 0; i < l->n_threads; i++)
        pthread_join(l->threads[i], NULL);
    *out = l->result;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

bool batch_reply_is_problem(const struct batch_reply *r, const char *code)
{
    return strcmp(r->content_type, "application/problem+json") == 0 &&
           strcmp(r->code, code) == 0;
}

struct transfer {
    CURL *curl;
    struct curl_slist *headers;
    struct capture capture;
    int index;
};

static void transfer_add(CURLM *multi, struct transfer *t, const struct batch_request *req,
                         int index, long timeout_ms)
{
    char url[1024], origin[1100];
    snprintf(url, sizeof(url), "%s%s", client_base_url(), req->path);
    snprintf(origin, sizeof(origin), "Origin: %s", client_base_url());
    t->index = index;
    t->curl = curl_easy_init();
    cr_assert_not_null(t->curl);
    t->headers = curl_slist_append(NULL, "Expect:");
    if (req->body) {
        t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
        t->headers = curl_slist_append(t->headers, origin);
        curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, req->body);
        curl_easy_setopt(t->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(req->body));
    }
    curl_easy_setopt(t->curl, CURLOPT_URL, url);
    curl_easy_setopt(t->curl, CURLOPT_CUSTOMREQUEST, req->method);
    curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(t->curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(t->curl, CURLOPT_PRIVATE, t);
    capture_reset(t->curl, &t->capture);
    curl_multi_add_handle(multi, t->curl);
}

void load_batch(const struct batch_request *requests, struct batch_reply *out, int n,
                int parallel, double timeout_seconds)
{
    curl_global_init(CURL_GLOBAL_ALL);
    CURLM *multi = curl_multi_init();
    cr_assert_not_null(multi);
    struct transfer *t = calloc((size_t)n, sizeof(*t));
    cr_assert_not_null(t);
    memset(out, 0, sizeof(*out) * (size_t)n);
    long timeout_ms = (long)(timeout_seconds * 1000);
    int next = 0, running = 0, done = 0;
    double deadline = stack_now() + timeout_seconds + 1;
    while (done < n && stack_now() < deadline) {
        while (next < n && running < parallel) {
            transfer_add(multi, &t[next], &requests[next], next, timeout_ms);
            next++;
            running++;
        }
        int still;
        curl_multi_perform(multi, &still);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct transfer *x;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            struct batch_reply *r = &out[x->index];
            if (msg->data.result == CURLE_OK)
                curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &r->status);
            snprintf(r->content_type, sizeof(r->content_type), "%s", x->capture.content_type);
            snprintf(r->retry_after, sizeof(r->retry_after), "%s", x->capture.retry_after);
            capture_code(&x->capture, r->code, sizeof(r->code));
            curl_multi_remove_handle(multi, x->curl);
            curl_easy_cleanup(x->curl);
            curl_slist_free_all(x->headers);
            x->curl = NULL;
            running--;
            done++;
        }
        if (done < n)
            curl_multi_poll(multi, NULL, 0, 50, NULL);
    }
    for (int i = 0; i < next; i++) {
        if (t[i].curl) {
            curl_multi_remove_handle(multi, t[i].curl);
            curl_easy_cleanup(t[i].curl);
            curl_slist_free_all(t[i].headers);
        }
    }
    free(t);
    curl_multi_cleanup(multi);
}
