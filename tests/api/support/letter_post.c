#include "support/letter_post.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "support/client.h"
#include "support/stack.h"

#define LOAD_THREADS_MAX 16

void letter_post_prepare(struct letter_post *p)
{
    unsigned char raw[12];
    char hex[25];
    memset(p, 0, sizeof(*p));
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    snprintf(p->key, sizeof(p->key), "fault-%s", hex);
    snprintf(p->body, sizeof(p->body),
             "{\"kind\":\"lre\",\"subject\":\"fault %s\",\"body\":\"Madame, Monsieur,\","
             "\"recipients\":[{\"email\":\"r.%s@example.test\",\"last_name\":\"Durand\","
             "\"first_name\":\"Paul\",\"status\":\"individual\"}]}",
             p->key, hex);
}

struct answer {
    char body[8192];
    size_t len;
    struct letter_post *p;
};

static size_t on_body(char *ptr, size_t size, size_t n, void *userdata)
{
    struct answer *a = userdata;
    size_t add = size * n, room = sizeof(a->body) - 1 - a->len;
    memcpy(a->body + a->len, ptr, add < room ? add : room);
    a->len += add < room ? add : room;
    a->body[a->len] = '\0';
    return add;
}

/* The value of header `name` in one header line, copied into out; false when not that one. */
static bool header_value(const char *line, size_t len, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return false;
    const char *v = line + n + 1, *end = line + len;
    while (v < end && *v == ' ')
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    snprintf(out, size, "%.*s", (int)(end - v), v);
    return true;
}

static size_t on_header(char *ptr, size_t size, size_t n, void *userdata)
{
    struct answer *a = userdata;
    char replayed[16];
    header_value(ptr, size * n, "Content-Type", a->p->content_type, sizeof(a->p->content_type));
    if (header_value(ptr, size * n, "Idempotent-Replayed", replayed, sizeof(replayed)))
        a->p->replayed = strcmp(replayed, "true") == 0;
    return size * n;
}

/* Sends p on curl (reset first; its open connections are kept for the next call). */
static void post_on(CURL *curl, const char *session, const char *team, struct letter_post *p,
                    double timeout_seconds)
{
    static struct answer empty;
    struct answer *a = malloc(sizeof(*a));
    p->status = 0;
    p->id[0] = p->code[0] = p->content_type[0] = p->error[0] = '\0';
    p->replayed = false;
    if (!a || !curl) {
        snprintf(p->error, sizeof(p->error), "out of memory");
        free(a);
        return;
    }
    *a = empty;
    a->p = p;
    char url[1024], cookie[400], origin[1100], key[LETTER_POST_KEY_MAX + 32];
    snprintf(url, sizeof(url), "%s/api/v1/teams/%s/letters", client_base_url(), team);
    snprintf(cookie, sizeof(cookie), "Cookie: pli_session=%s", session);
    snprintf(origin, sizeof(origin), "Origin: %s", client_base_url());
    snprintf(key, sizeof(key), "Idempotency-Key: %s", p->key);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    h = curl_slist_append(h, cookie);
    h = curl_slist_append(h, origin);
    h = curl_slist_append(h, key);
    h = curl_slist_append(h, "Expect:");
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, p->body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(p->body));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, a);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, a);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(timeout_seconds * 1000));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &p->status);
    if (rc != CURLE_OK) {
        snprintf(p->error, sizeof(p->error), "%s", curl_easy_strerror(rc));
        p->status = 0; /* a cut answer counts as none */
    }
    json_t *v = json_loadb(a->body, a->len, 0, NULL);
    const char *code = json_string_value(json_object_get(v, "code"));
    const char *id = json_string_value(json_object_get(v, "id"));
    snprintf(p->code, sizeof(p->code), "%s", code ? code : "");
    if (p->status == 201)
        snprintf(p->id, sizeof(p->id), "%s", id ? id : "");
    json_decref(v);
    curl_slist_free_all(h);
    free(a);
}

void letter_post_send(const char *session, const char *team, struct letter_post *p,
                      double timeout_seconds)
{
    CURL *curl = curl_easy_init();
    post_on(curl, session, team, p, timeout_seconds);
    curl_easy_cleanup(curl);
}

struct letter_load {
    pthread_t threads[LOAD_THREADS_MAX];
    int n_threads;
    int per_thread;
    const char *session;
    const char *team;
    double until;
    atomic_bool stop;
    struct letter_post *posts; /* per_thread slots per thread */
    int counts[LOAD_THREADS_MAX];
};

struct slot {
    struct letter_load *l;
    int index;
};

static void *load_thread(void *arg)
{
    struct slot *s = arg;
    struct letter_load *l = s->l;
    struct letter_post *mine = l->posts + (size_t)s->index * (size_t)l->per_thread;
    int n = 0;
    /* One handle, so one kept-alive connection to nginx: a fresh connection per request would
     * take ephemeral ports, the database's among them while it is down. */
    CURL *curl = curl_easy_init();
    while (n < l->per_thread && !atomic_load(&l->stop) && stack_now() < l->until) {
        letter_post_prepare(&mine[n]);
        post_on(curl, l->session, l->team, &mine[n], 15.0);
        if (mine[n++].status != 201)
            stack_sleep(0.02);
    }
    curl_easy_cleanup(curl);
    l->counts[s->index] = n;
    free(s);
    return NULL;
}

struct letter_load *letter_load_start(const char *session, const char *team, int threads,
                                      int per_thread, double max_seconds)
{
    cr_assert(threads > 0 && threads <= LOAD_THREADS_MAX && per_thread > 0);
    curl_global_init(CURL_GLOBAL_ALL); /* before any thread: it is not thread-safe */
    cr_assert_geq(sodium_init(), 0);
    struct letter_load *l = calloc(1, sizeof(*l));
    cr_assert_not_null(l);
    l->posts = calloc((size_t)threads * (size_t)per_thread, sizeof(*l->posts));
    cr_assert_not_null(l->posts);
    l->per_thread = per_thread;
    l->session = session;
    l->team = team;
    l->until = stack_now() + max_seconds;
    atomic_init(&l->stop, false);
    for (int i = 0; i < threads; i++) {
        struct slot *s = malloc(sizeof(*s));
        cr_assert_not_null(s);
        *s = (struct slot){l, i};
        cr_assert_eq(pthread_create(&l->threads[i], NULL, load_thread, s), 0);
        l->n_threads++;
    }
    return l;
}

int letter_load_stop(struct letter_load *l, struct letter_post **out)
{
    atomic_store(&l->stop, true);
    int total = 0;
    for (int i = 0; i < l->n_threads; i++) {
        pthread_join(l->threads[i], NULL);
        total += l->counts[i];
    }
    struct letter_post *all = calloc(total ? (size_t)total : 1, sizeof(*all));
    int k = 0;
    for (int i = 0; all && i < l->n_threads; i++)
        for (int j = 0; j < l->counts[i]; j++)
            all[k++] = l->posts[(size_t)i * (size_t)l->per_thread + (size_t)j];
    free(l->posts);
    free(l);
    *out = all;
    return all ? total : 0;
}
