#include "lib/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return (v && *v) ? v : fallback;
}

static bool env_long(const char *name, long fallback, long min, long max, long *out)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        *out = fallback;
        return true;
    }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || n < min || n > max) {
        fprintf(stderr, "pli: %s must be an integer between %ld and %ld\n", name, min, max);
        return false;
    }
    *out = n;
    return true;
}

/* Reads PLI_WEBHOOK_RETRY_SCHEDULE: 1 to CONFIG_WEBHOOK_RETRIES_MAX comma-separated delays of 1
 * to CONFIG_WEBHOOK_RETRY_DELAY_MAX seconds. */
static bool webhook_schedule(struct config *cfg)
{
    const char *p = env_or("PLI_WEBHOOK_RETRY_SCHEDULE", CONFIG_WEBHOOK_RETRY_SCHEDULE_DEFAULT);
    cfg->webhook_retry_count = 0;
    for (;;) {
        char *end = (char *)p;
        errno = 0;
        long n = (*p >= '0' && *p <= '9') ? strtol(p, &end, 10) : -1;
        if (n < 1 || errno || n > CONFIG_WEBHOOK_RETRY_DELAY_MAX ||
            cfg->webhook_retry_count == CONFIG_WEBHOOK_RETRIES_MAX || (*end && *end != ',')) {
            fprintf(stderr,
                    "pli: PLI_WEBHOOK_RETRY_SCHEDULE must list 1 to %d comma-separated delays of "
                    "1 to %d seconds\n",
                    CONFIG_WEBHOOK_RETRIES_MAX, CONFIG_WEBHOOK_RETRY_DELAY_MAX);
            return false;
        }
        cfg->webhook_retry_delays[cfg->webhook_retry_count++] = (int)n;
        if (!*end)
            return true;
        p = end + 1;
    }
}

/* Returns a heap string "<var>/<rest>" (kept for the process lifetime). */
static const char *under_var(const char *var_dir, const char *rest)
{
    size_t n = strlen(var_dir) + strlen(rest) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", var_dir, rest);
    return p;
}

bool config_load(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->var_dir = env_or("PLI_VAR", "var");
    cfg->database_url = env_or("PLI_DATABASE_URL", "postgresql:///pli");
    cfg->admin_database_url = env_or("PLI_ADMIN_DATABASE_URL", cfg->database_url);
    cfg->socket_path = env_or("PLI_SOCKET", under_var(cfg->var_dir, "run/pli-fcgi.sock"));
    cfg->socket_group = env_or("PLI_SOCKET_GROUP", NULL);
    cfg->pid_file = env_or("PLI_PID_FILE", NULL);
    cfg->public_url = env_or("PLI_PUBLIC_URL", "http://127.0.0.1:8080");
    cfg->signing_key_path = env_or("PLI_SIGNING_KEY", under_var(cfg->var_dir, "keys/signing.key"));
    cfg->master_key_path = env_or("PLI_MASTER_KEY", under_var(cfg->var_dir, "keys/master.key"));
    cfg->smtp_url = env_or("PLI_SMTP_URL", "smtp://127.0.0.1:2525");
    cfg->smtp_username = env_or("PLI_SMTP_USERNAME", NULL);
    cfg->smtp_password = env_or("PLI_SMTP_PASSWORD", NULL);
    cfg->smtp_starttls = strcmp(env_or("PLI_SMTP_STARTTLS", "0"), "1") == 0;
    cfg->mail_from = env_or("PLI_MAIL_FROM", "no-reply@pli.localhost");
    cfg->mail_from_name = env_or("PLI_MAIL_FROM_NAME", "pli");
    cfg->seller_name = env_or("PLI_SELLER_NAME", "pli");
    cfg->seller_address = env_or("PLI_SELLER_ADDRESS", "Adresse à configurer (PLI_SELLER_ADDRESS)");
    cfg->seller_siren = env_or("PLI_SELLER_SIREN", "à configurer");
    cfg->seller_vat_number = env_or("PLI_SELLER_VAT_NUMBER", "à configurer");
    cfg->carrier_url = env_or("PLI_CARRIER_URL", "https://127.0.0.1:8444/v1");
    cfg->carrier_name = env_or("PLI_CARRIER_NAME", "sandbox");
    cfg->carrier_api_key = env_or("PLI_CARRIER_API_KEY", NULL);
    cfg->carrier_webhook_secret = env_or("PLI_CARRIER_WEBHOOK_SECRET", NULL);
    cfg->carrier_ca_file = env_or("PLI_CARRIER_CA_FILE", NULL);
    cfg->pop3_ca_file = env_or("PLI_POP3_CA_FILE", NULL);
    const char *plaintext = env_or("PLI_MAIL_ALLOW_PLAINTEXT", "0");
    cfg->mail_allow_plaintext = strcmp(plaintext, "1") == 0;
    cfg->webhook_allow_loopback = strcmp(env_or("PLI_WEBHOOK_ALLOW_LOOPBACK", "0"), "1") == 0;
    cfg->webhook_ca_file = env_or("PLI_WEBHOOK_CA_FILE", NULL);
    if (strncmp(cfg->carrier_url, "https://", 8) != 0) {
        fprintf(stderr, "pli: PLI_CARRIER_URL must be an https:// address\n");
        return false;
    }
    cfg->public_https = strncmp(cfg->public_url, "https://", 8) == 0;
    if (!addr_allow_parse(env_or("PLI_METRICS_ALLOW", "127.0.0.1 ::1"), &cfg->metrics_allow)) {
        fprintf(stderr, "pli: PLI_METRICS_ALLOW must list 1 to %d addresses or CIDR blocks, "
                        "separated by spaces\n", ADDR_ALLOW_MAX);
        return false;
    }

    long workers = 0, failures = 0;
    bool ok = env_long("PLI_WORKERS", 4, 1, 256, &workers) &&
              env_long("PLI_SESSION_IDLE_SECONDS", 2L * 3600, 60, 30L * 86400,
                       &cfg->session_idle_seconds) &&
              env_long("PLI_SESSION_ABSOLUTE_SECONDS", 12L * 3600, 60, 90L * 86400,
                       &cfg->session_absolute_seconds) &&
              env_long("PLI_STEP_UP_SECONDS", 600, 30, 3600, &cfg->step_up_seconds) &&
              env_long("PLI_LOGIN_MAX_FAILURES", 5, 1, 1000, &failures) &&
              env_long("PLI_LOGIN_LOCK_SECONDS", 900, 1, 86400, &cfg->login_lock_seconds) &&
              env_long("PLI_INVITATION_DAYS", 14, 1, 365, &cfg->invitation_days) &&
              env_long("PLI_IMPORT_MAX_BYTES", 10L * 1024 * 1024, 1024, 1024L * 1024 * 1024,
                       &cfg->import_max_bytes) &&
              env_long("PLI_ATTACHMENT_MAX_BYTES", 20L * 1024 * 1024, 1024, 1024L * 1024 * 1024,
                       &cfg->attachment_max_bytes) &&
              env_long("PLI_DOCUMENT_MAX_BYTES", 50L * 1024 * 1024, 1024, 1024L * 1024 * 1024,
                       &cfg->document_max_bytes) &&
              env_long("PLI_IMPORT_MAX_ROWS", 10000, 1, 1000000, &cfg->import_max_rows) &&
              env_long("PLI_IMPORT_MAX_ENTRIES", 200, 5, 100000, &cfg->import_max_entries) &&
              env_long("PLI_IMPORT_MAX_INFLATED", 50L * 1024 * 1024, 1024,
                       4096L * 1024 * 1024, &cfg->import_max_inflated) &&
              env_long("PLI_IMPORT_MAX_RATIO", 100, 2, 100000, &cfg->import_max_ratio) &&
              env_long("PLI_WEBHOOK_BODY_MAX", 8L * 1024 * 1024, 1024, 64L * 1024 * 1024,
                       &cfg->webhook_body_max) &&
              env_long("PLI_DELIVERY_LINK_DAYS", 365, 30, 3650, &cfg->delivery_link_days) &&
              env_long("PLI_DELIVERY_CODE_SECONDS", 900, 60, 86400,
                       &cfg->delivery_code_seconds) &&
              env_long("PLI_POP3_POLL_SECONDS", 60, 10, 86400, &cfg->pop3_poll_seconds) &&
              env_long("PLI_POP3_MESSAGE_MAX_BYTES", 64L * 1024 * 1024, 64L * 1024,
                       512L * 1024 * 1024, &cfg->pop3_message_max_bytes) &&
              env_long("PLI_POP3_BATCH", 500, 1, 100000, &cfg->pop3_batch) &&
              env_long("PLI_WEBHOOK_ENDPOINTS_MAX", 20, 1, 1000, &cfg->webhook_endpoints_max) &&
              env_long("PLI_WEBHOOK_TIMEOUT_SECONDS", 15, 1, 120,
                       &cfg->webhook_timeout_seconds) &&
              webhook_schedule(cfg) &&
              env_long("PLI_JSON_BODY_MAX", 256L * 1024, 1024, 16L * 1024 * 1024,
                       &cfg->json_body_max);
    cfg->workers = (int)workers;
    cfg->login_max_failures = (int)failures;
    return ok && cfg->socket_path && cfg->signing_key_path && cfg->master_key_path;
}
