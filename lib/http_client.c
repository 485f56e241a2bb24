#include "lib/http_client.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t collect(char *data, size_t size, size_t n, void *userdata)
{
    struct http_answer *a = userdata;
    size_t len = size * n;
    if (a->body_len + len > (size_t)HTTP_RESPONSE_MAX)
        return 0; /* libcurl fails the transfer */
    char *grown = realloc(a->body, a->body_len + len + 1);
    if (!grown)
        return 0;
    memcpy(grown + a->body_len, data, len);
    a->body = grown;
    a->body_len += len;
    a->body[a->body_len] = '\0';
    return len;
}

bool http_call(const struct http_call *call, struct http_answer *answer)
{
    memset(answer, 0, sizeof(*answer));
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
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)HTTP_TIMEOUT_SECONDS);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (call->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, call->ca_file);
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer->status);
    } else {
        snprintf(answer->error, sizeof(answer->error), "%s",
                 errbuf[0] ? errbuf : curl_easy_strerror(rc));
        free(answer->body);
        answer->body = NULL;
        answer->body_len = 0;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK;
}

void http_answer_free(struct http_answer *answer)
{
    free(answer->body);
    answer->body = NULL;
    answer->body_len = 0;
}
