/* The URL an integrator gives for a webhook endpoint, checked before it is stored: https, absolute,
 * no user name or password in it, and no host that is a literal address of a network pli must
 * not call into (see net_address.h). A name is checked again, on every call, against the
 * addresses it resolves to. */
#ifndef PLI_WEBHOOK_URL_H
#define PLI_WEBHOOK_URL_H

#include <stdbool.h>

/* The longest endpoint URL, in characters. */
#define WEBHOOK_URL_MAX 2048

enum webhook_url_check {
    WEBHOOK_URL_OK,
    WEBHOOK_URL_INVALID,   /* not an absolute URL with a host, or with user info */
    WEBHOOK_URL_NOT_HTTPS, /* another scheme */
    WEBHOOK_URL_PRIVATE,   /* a literal host of a network that may not be called */
    WEBHOOK_URL_CHECK__MAX
};

/* Checks an endpoint URL; loopback hosts pass only when allow_loopback is set (test mode). */
enum webhook_url_check webhook_url_check(const char *url, bool allow_loopback);

#endif
