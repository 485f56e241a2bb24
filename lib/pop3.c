#include "lib/pop3.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POP3_TIMEOUT_SECONDS 60L
#define POP3_CONNECT_SECONDS 15L
#define POP3_LIST_MAX (8u * 1024u * 1024u)

struct pop3_session {
    CURL *curl;
    char base[512]; /* pop3[s]://host:port */
};

struct buffer {
    char *data;
    size_t len, cap, max;
    bool overflow;
};

static size_t collect(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct buffer *b = userdata;
    size_t n = size * nmemb;
    if (b->overflow || b->len + n > b->max) {
        /* Read to the end and drop the rest: aborting would close the session, and with it the
         * deletions marked in it (they take effect at QUIT only). */
        b->overflow = true;
        return n;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown)
            return 0;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

bool pop3_tls_parse(const char *name, enum pop3_tls *out)
{
    static const char *const names[POP3_TLS__MAX] = {"none", "starttls", "implicit"};
    for (int i = 0; i < POP3_TLS__MAX; i++)
        if (name && strcmp(names[i], name) == 0) {
            *out = (enum pop3_tls)i;
            return true;
        }
    return false;
}

struct pop3_session *pop3_open(const struct pop3_server *server)
{
    struct pop3_session *s = calloc(1, sizeof(*s));
    if (!s || !(s->curl = curl_easy_init())) {
        free(s);
        return NULL;
    }
    snprintf(s->base, sizeof(s->base), "%s://%s:%d",
             server->tls == POP3_TLS_IMPLICIT ? "pop3s" : "pop3", server->host, server->port);
    CURL *c = s->curl;
    curl_easy_setopt(c, CURLOPT_USERNAME, server->username);
    curl_easy_setopt(c, CURLOPT_PASSWORD, server->password);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, POP3_TIMEOUT_SECONDS);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, POP3_CONNECT_SECONDS);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "pop3,pop3s");
    if (server->tls == POP3_TLS_STARTTLS)
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (server->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, server->ca_file);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    return s;
}

/* Runs one command on the session's connection; the answer's body goes to b. */
static bool run(struct pop3_session *s, const char *path, const char *command, bool no_body,
                struct buffer *b, char *error, size_t error_size)
{
    char url[600], errbuf[CURL_ERROR_SIZE] = {0};
    snprintf(url, sizeof(url), "%s/%s", s->base, path);
    CURL *c = s->curl;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command);
    curl_easy_setopt(c, CURLOPT_NOBODY, no_body ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        return true;
    snprintf(error, error_size, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    return false;
}

bool pop3_list(struct pop3_session *s, struct pop3_entry **entries, size_t *n, char *error,
               size_t error_size)
{
    struct buffer b = {.max = POP3_LIST_MAX};
    *entries = NULL;
    *n = 0;
    if (!run(s, "", "UIDL", false, &b, error, error_size)) {
        free(b.data);
        return false;
    }
    size_t lines = 0;
    for (size_t i = 0; i < b.len; i++)
        lines += b.data[i] == '\n';
    *entries = calloc(lines + 1, sizeof(**entries));
    if (!*entries) {
        free(b.data);
        snprintf(error, error_size, "out of memory");
        return false;
    }
    for (char *line = b.data; line && *line;) {
        char *end = line + strcspn(line, "\r\n");
        char *next = end + strspn(end, "\r\n");
        *end = '\0';
        char *after;
        long number = strtol(line, &after, 10);
        size_t id_len = after > line && *after == ' ' ? strlen(after + 1) : 0;
        /* RFC 1939: a unique id is 1 to 70 characters 0x21 to 0x7E. */
        bool printable = id_len > 0 && id_len <= 70;
        for (size_t i = 0; printable && i < id_len; i++)
            printable = after[1 + i] >= 0x21 && after[1 + i] <= 0x7e;
        if (number > 0 && printable && *n <= lines) {
            (*entries)[*n].number = number;
            memcpy((*entries)[*n].uidl, after + 1, id_len + 1);
            (*n)++;
        }
        line = next;
    }
    free(b.data);
    return true;
}

bool pop3_retrieve(struct pop3_session *s, long number, size_t max, char **data, size_t *len,
                   bool *too_large, char *error, size_t error_size)
{
    struct buffer b = {.max = max};
    char path[32];
    snprintf(path, sizeof(path), "%ld", number);
    *too_large = false;
    bool ok = run(s, path, NULL, false, &b, error, error_size);
    if (!ok || b.overflow) {
        *too_large = b.overflow;
        if (b.overflow)
            snprintf(error, error_size, "larger than %zu bytes", max);
        free(b.data);
        return false;
    }
    *data = b.data ? b.data : calloc(1, 1);
    *len = b.len;
    return *data != NULL;
}

bool pop3_delete(struct pop3_session *s, long number, char *error, size_t error_size)
{
    struct buffer b = {.max = 4096};
    char path[32];
    snprintf(path, sizeof(path), "%ld", number);
    bool ok = run(s, path, "DELE", true, &b, error, error_size);
    free(b.data);
    return ok;
}

void pop3_close(struct pop3_session *s)
{
    if (!s)
        return;
    curl_easy_cleanup(s->curl); /* sends QUIT on the open connection */
    free(s);
}
