/* Settings read from the environment, each with an embedded default. */
#ifndef PLI_CONFIG_H
#define PLI_CONFIG_H

#include <stdbool.h>

#include "lib/addr_allow.h"

/* Most retries PLI_WEBHOOK_RETRY_SCHEDULE may list (a message is tried at most once more). */
#define CONFIG_WEBHOOK_RETRIES_MAX 20
/* The longest wait it may name before a retry (seconds). */
#define CONFIG_WEBHOOK_RETRY_DELAY_MAX 86400
/* Standard Webhooks' schedule: after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. */
#define CONFIG_WEBHOOK_RETRY_SCHEDULE_DEFAULT "5,300,1800,7200,18000,36000,36000"

struct config {
    const char *var_dir;          /* PLI_VAR */
    const char *database_url;     /* PLI_DATABASE_URL: the services' (application) role */
    const char *admin_database_url; /* PLI_ADMIN_DATABASE_URL: the schema owner, for migrate */
    const char *socket_path;      /* PLI_SOCKET */
    const char *socket_group;     /* PLI_SOCKET_GROUP, may be NULL */
    const char *pid_file;         /* PLI_PID_FILE, may be NULL */
    const char *public_url;       /* PLI_PUBLIC_URL */
    const char *signing_key_path; /* PLI_SIGNING_KEY */
    const char *master_key_path;  /* PLI_MASTER_KEY */
    const char *smtp_url;         /* PLI_SMTP_URL: smtp://host:port or smtps://host:port */
    const char *smtp_username;    /* PLI_SMTP_USERNAME, may be NULL */
    const char *smtp_password;    /* PLI_SMTP_PASSWORD, may be NULL */
    bool smtp_starttls;           /* PLI_SMTP_STARTTLS=1: require STARTTLS on smtp:// */
    const char *mail_from;        /* PLI_MAIL_FROM: the address system e-mails come from */
    const char *mail_from_name;   /* PLI_MAIL_FROM_NAME */
    long invitation_days;         /* PLI_INVITATION_DAYS */
    int workers;                  /* PLI_WORKERS */
    long session_idle_seconds;    /* PLI_SESSION_IDLE_SECONDS */
    long session_absolute_seconds; /* PLI_SESSION_ABSOLUTE_SECONDS */
    long step_up_seconds;         /* PLI_STEP_UP_SECONDS */
    int login_max_failures;       /* PLI_LOGIN_MAX_FAILURES */
    long login_lock_seconds;      /* PLI_LOGIN_LOCK_SECONDS */
    long json_body_max;           /* PLI_JSON_BODY_MAX */
    long import_max_bytes;        /* PLI_IMPORT_MAX_BYTES: an uploaded spreadsheet */
    long attachment_max_bytes;    /* PLI_ATTACHMENT_MAX_BYTES: one PDF attachment */
    long document_max_bytes;      /* PLI_DOCUMENT_MAX_BYTES: one document a firm shares */
    long import_max_rows;         /* PLI_IMPORT_MAX_ROWS: data rows of one import */
    long import_max_entries;      /* PLI_IMPORT_MAX_ENTRIES: entries of an XLSX archive */
    long import_max_inflated;     /* PLI_IMPORT_MAX_INFLATED: bytes an XLSX may unpack to */
    long import_max_ratio;        /* PLI_IMPORT_MAX_RATIO: inflated/compressed, per entry */
    const char *carrier_url;      /* PLI_CARRIER_URL: the postal carrier's API (https) */
    const char *carrier_name;     /* PLI_CARRIER_NAME: its name in callback paths */
    const char *carrier_api_key;  /* PLI_CARRIER_API_KEY: bearer credential, may be NULL */
    const char *carrier_webhook_secret; /* PLI_CARRIER_WEBHOOK_SECRET: whsec_..., may be NULL */
    const char *carrier_ca_file;  /* PLI_CARRIER_CA_FILE: extra CA for the carrier, may be NULL */
    long webhook_body_max;        /* PLI_WEBHOOK_BODY_MAX: a carrier callback, proof included */
    long delivery_link_days;      /* PLI_DELIVERY_LINK_DAYS: how long a recipient link works */
    long delivery_code_seconds;   /* PLI_DELIVERY_CODE_SECONDS: life of a one-time code */
    long pop3_poll_seconds;       /* PLI_POP3_POLL_SECONDS: how often an active mailbox is polled */
    long pop3_message_max_bytes;  /* PLI_POP3_MESSAGE_MAX_BYTES: the largest message archived */
    long pop3_batch;              /* PLI_POP3_BATCH: messages taken per poll before the next */
    const char *pop3_ca_file;     /* PLI_POP3_CA_FILE: extra CA for mail servers, may be NULL */
    bool mail_allow_plaintext;    /* PLI_MAIL_ALLOW_PLAINTEXT=1: tls "none" beyond loopback */
    long webhook_endpoints_max;   /* PLI_WEBHOOK_ENDPOINTS_MAX: webhook endpoints of one team */
    long webhook_timeout_seconds; /* PLI_WEBHOOK_TIMEOUT_SECONDS: one call to an endpoint */
    /* PLI_WEBHOOK_RETRY_SCHEDULE: seconds before each retry of a message not delivered */
    int webhook_retry_delays[CONFIG_WEBHOOK_RETRIES_MAX];
    int webhook_retry_count;
    bool webhook_allow_loopback;  /* PLI_WEBHOOK_ALLOW_LOOPBACK=1: endpoints on loopback (tests) */
    const char *webhook_ca_file;  /* PLI_WEBHOOK_CA_FILE: extra CA for endpoints, may be NULL */
    const char *seller_name;      /* PLI_SELLER_NAME: who invoices are from */
    const char *seller_address;   /* PLI_SELLER_ADDRESS: its postal address (\n between lines) */
    const char *seller_siren;     /* PLI_SELLER_SIREN */
    const char *seller_vat_number; /* PLI_SELLER_VAT_NUMBER */
    struct addr_allow metrics_allow; /* PLI_METRICS_ALLOW: who may read GET /metrics */
    bool public_https;            /* derived: public_url starts with https:// */
};

/* Fills cfg from the environment; prints the offending variable and returns false on bad values. */
bool config_load(struct config *cfg);

#endif
