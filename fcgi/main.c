/* pli-fcgi: the FastCGI server behind nginx. Settings come from the environment (README). */
#include <stdio.h>
#include <string.h>

#include "fcgi/master.h"
#include "lib/log.h"

/* Keeps scheme://host[:port] of a URL. */
static void origin_of(const char *url, char *out, size_t size)
{
    const char *host = strstr(url, "://");
    size_t len = host ? (size_t)(host + 3 - url) + strcspn(host + 3, "/?#") : strlen(url);
    snprintf(out, size, "%.*s", (int)len, url);
}

int main(void)
{
    static struct app app;
    log_set_role("fcgi-master");
    if (!config_load(&app.cfg))
        return 2;
    if (!crypto_setup()) {
        log_error("libsodium cannot start");
        return 1;
    }
    if (!crypto_signing_key_load(app.cfg.signing_key_path, &app.key)) {
        log_error("cannot load the signing key %s (run: pli keygen)", app.cfg.signing_key_path);
        return 1;
    }
    if (!crypto_master_key_load(app.cfg.master_key_path, app.master_key)) {
        log_error("cannot load the master key %s (run: pli keygen)", app.cfg.master_key_path);
        return 1;
    }
    origin_of(app.cfg.public_url, app.public_origin, sizeof(app.public_origin));
    return master_run(&app);
}
