#include "lib/http_client.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lib/net_address.h"

/* What the callbacks of one call share. */
struct transfer {
    struct http_answer *answer;
    size_t max;
    bool allow_loopback;
    char why[96]; /* why a callback stopped the call, "" when none did */
};

static size_t collect(char *data, size_t size, size_t n, void *userdata)
{
    struct transfer *t = userdata;
    struct http_answer *a = t->answer;
    size_t len = size * n;
    if (a->body_len + len > t->max) {
        snprintf(t->why, sizeof(t->why), "the answer is longer than %zu bytes", t->max);
        return 0; /* libcurl fails the transfer */
    }
    char *grown = realloc(a->body, a->body_len + len + 1);
    if (!grown)
        return 0;
    memcpy(grown + a->body_len, data, len);
    a->body = grown;
    a->body_len += len;
    a->body[a->body_len] = '\0';
    return len;
}

/* Opens the socket of a connection only to an address the call may reach (public_only). */
static curl_socket_t open_guarded(void *userdata, curlsocktype purpose,
                                  struct curl_sockaddr *address)
{
    struct transfer *t = userdata;
    enum net_address_class c = net_address_classify(&address->addr);
    if (purpose != CURLSOCKTYPE_IPCXN || !net_address_allowed(c, t->allow_loopback)) {
        snprintf(t->why, sizeof(t->why), "refused to connect to a %s address",
                 net_address_class_name(c));
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

bool http_call(const struct http_call *call, struct http_answer *answer)
{
    memset(answer, 0, sizeof(*answer));
    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    struct transfer transfer = {
        .answer = answer,
        .max = call->response_max ? call->response_max : (size_t)HTTP_RESPONSE_MAX,
        .allow_loopback = call->allow_loopback,
    };
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(answer->error, sizeof(answer->error), "libcurl could not start");
        return false;
    }
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    char line[512];
    if (call->bearer) {
        snprintf(line, sizeof(line), "Authorization: Bearer %s", call->bearer);
        headers = curl_slist_append(headers, line);
    }
    if (call->idempotency_key) {
        snprintf(line, sizeof(line), "Idempotency-Key: %s", call->idempotency_key);
        headers = curl_slist_append(headers, line);
    }
    for (const char *const *h = call->headers; h && *h; h++)
        headers = curl_slist_append(headers, *h);
    if (call->body) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call->body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)call->body_len);
    }
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, call->url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call->method);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT,
                     call->timeout_seconds > 0 ? call->timeout_seconds : (long)HTTP_TIMEOUT_SECONDS);
    if (call->public_only) {
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_guarded);
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &transfer);
        curl_easy_setopt(curl, CURLOPT_NOPROXY, "*"); /* the guard sees the real address */
    }
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (call->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, call->ca_file);
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer->status);
    } else {
        snprintf(answer->error, sizeof(answer->error), "%s",
                 transfer.why[0]     ? transfer.why
                 : errbuf[0]         ? errbuf
                                     : curl_easy_strerror(rc));
        free(answer->body);
        answer->body = NULL;
        answer->body_len = 0;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    answer->duration_ms = elapsed_ms(&started);
    return rc == CURLE_OK;
}

void http_answer_free(struct http_answer *answer)
{
    free(answer->body);
    answer->body = NULL;
    answer->body_len = 0;
}
