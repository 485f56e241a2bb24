#include "lib/webhook_url.h"

#include <curl/curl.h>
#include <string.h>
#include <strings.h>

#include "lib/net_address.h"

/* The URL's part, or NULL when it has none (freed with curl_free). */
static char *url_part(CURLU *u, CURLUPart what)
{
    char *part = NULL;
    if (curl_url_get(u, what, &part, 0) != CURLUE_OK)
        return NULL;
    return part;
}

enum webhook_url_check webhook_url_check(const char *url, bool allow_loopback)
{
    if (!url || strlen(url) > WEBHOOK_URL_MAX)
        return WEBHOOK_URL_INVALID;
    CURLU *u = curl_url();
    if (!u)
        return WEBHOOK_URL_INVALID;
    enum webhook_url_check result = WEBHOOK_URL_INVALID;
    char *scheme = NULL, *host = NULL, *user = NULL, *password = NULL;
    /* Without CURLU_DEFAULT_SCHEME a URL without a scheme (a relative one) does not parse;
     * CURLU_NON_SUPPORT_SCHEME lets "http:" and others parse, to be named as not https. */
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        goto out;
    scheme = url_part(u, CURLUPART_SCHEME);
    host = url_part(u, CURLUPART_HOST);
    user = url_part(u, CURLUPART_USER);
    password = url_part(u, CURLUPART_PASSWORD);
    if (!scheme || !host || !*host || user || password)
        goto out;
    if (strcasecmp(scheme, "https") != 0) {
        result = WEBHOOK_URL_NOT_HTTPS;
        goto out;
    }
    enum net_address_class c = net_address_classify_host(host);
    result = c == NET_ADDRESS_UNKNOWN || net_address_allowed(c, allow_loopback)
                 ? WEBHOOK_URL_OK
                 : WEBHOOK_URL_PRIVATE;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_free(password);
    curl_url_cleanup(u);
    return result;
}
