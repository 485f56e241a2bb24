/* pli: the operator's command line (migrate, keygen, public-keys, create-user, verify-letter,
 * verify-proof, prices, invoices). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/migrate.h"
#include "jobs/cli.h"
#include "lib/config.h"
#include "lib/crypto.h"
#include "lib/json_spec.h"
#include "lib/log.h"
#include "lib/published_keys.h"

#define CLI_PASSWORD_MAX 1024

static int usage(void)
{
    fprintf(stderr, "usage: pli migrate\n"
                    "       pli keygen\n"
                    "       pli public-keys\n"
                    "       pli create-user --email E --first-name F --last-name L\n"
                    "           (password from PLI_PASSWORD or the first line of stdin)\n"
                    "       pli verify-letter --keys KEYS.json LETTER.json\n"
                    "       pli verify-proof --keys KEYS.json PROOF.json [PROOF.json...]\n"
                    "       pli prices [set --kind lre|lrar|simple --cents N [--vat-bp B] [--from T]]\n"
                    "       pli invoices close --month YYYY-MM\n");
    return 2;
}

static int cmd_keygen(const struct config *cfg)
{
    bool created;
    if (!crypto_master_key_create(cfg->master_key_path, &created)) {
        fprintf(stderr, "pli keygen: cannot create %s\n", cfg->master_key_path);
        return 1;
    }
    if (created)
        printf("created master key (%s)\n", cfg->master_key_path);
    if (!crypto_signing_key_create(cfg->signing_key_path, &created)) {
        fprintf(stderr, "pli keygen: cannot create %s\n", cfg->signing_key_path);
        return 1;
    }
    struct signing_key key;
    if (!crypto_signing_key_load(cfg->signing_key_path, &key)) {
        fprintf(stderr, "pli keygen: %s is not a valid key\n", cfg->signing_key_path);
        return 1;
    }
    printf("%s signing key %s (%s)\n", created ? "created" : "kept", key.id,
           cfg->signing_key_path);
    sodium_memzero(&key, sizeof(key));
    return 0;
}

/* Prints the public keys as GET /api/v1/keys publishes them (the --keys file of the verifiers). */
static int cmd_public_keys(const struct config *cfg)
{
    struct signing_key key;
    if (!crypto_signing_key_load(cfg->signing_key_path, &key)) {
        fprintf(stderr, "pli public-keys: cannot load the signing key %s\n", cfg->signing_key_path);
        return 1;
    }
    json_t *doc = published_keys_json(&key);
    sodium_memzero(&key, sizeof(key));
    int rc = doc && json_dumpf(doc, stdout, JSON_INDENT(2)) == 0 && putchar('\n') != EOF ? 0 : 1;
    json_decref(doc);
    return rc;
}

const char *cli_option(int argc, char **argv, const char *name)
{
    for (int i = 2; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return NULL;
}

static bool read_password(char *out, size_t size)
{
    const char *env = getenv("PLI_PASSWORD");
    if (env) {
        snprintf(out, size, "%s", env);
    } else {
        if (!fgets(out, (int)size, stdin))
            return false;
        out[strcspn(out, "\r\n")] = '\0';
    }
    return json_utf8_length(out) >= 8;
}

static int cmd_create_user(const struct config *cfg, int argc, char **argv)
{
    const char *email = cli_option(argc, argv, "--email");
    const char *first = cli_option(argc, argv, "--first-name");
    const char *last = cli_option(argc, argv, "--last-name");
    if (!email || !first || !last)
        return usage();
    char lower[256];
    snprintf(lower, sizeof(lower), "%s", email);
    for (char *p = lower; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    if (!json_is_email(lower)) {
        fprintf(stderr, "pli create-user: %s is not a valid e-mail address\n", email);
        return 1;
    }
    char password[CLI_PASSWORD_MAX + 2];
    char hash[crypto_pwhash_STRBYTES];
    if (!read_password(password, sizeof(password))) {
        fprintf(stderr, "pli create-user: the password needs at least 8 characters\n");
        return 1;
    }
    bool hashed = crypto_password_hash(password, hash);
    sodium_memzero(password, sizeof(password));
    struct db *db = db_open(cfg->database_url, "pli-cli");
    if (!hashed || !db)
        return 1;
    const char *params[] = {lower, hash, first, last};
    PGresult *r;
    enum db_status st = db_exec(db, NULL, SQL_USER_CREATE, 4, params, &r);
    int rc = 0;
    if (st == DB_OK) {
        printf("created user %s <%s>\n", PQgetvalue(r, 0, 0), lower);
        PQclear(r);
    } else {
        fprintf(stderr, "pli create-user: %s\n",
                st == DB_CONFLICT ? "an account already uses this e-mail"
                : st == DB_INVALID ? "a field breaks a rule (names: 1 to 100 characters)"
                                   : "the database refused the account");
        rc = 1;
    }
    db_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    struct config cfg;
    log_set_role("cli");
    if (argc < 2)
        return usage();
    if (!config_load(&cfg) || !crypto_setup())
        return 2;
    if (strcmp(argv[1], "migrate") == 0)
        return db_migrate(cfg.admin_database_url, cfg.database_url) ? 0 : 1;
    if (strcmp(argv[1], "keygen") == 0)
        return cmd_keygen(&cfg);
    if (strcmp(argv[1], "public-keys") == 0)
        return cmd_public_keys(&cfg);
    if (strcmp(argv[1], "verify-letter") == 0)
        return cli_verify_letter(argc, argv);
    if (strcmp(argv[1], "verify-proof") == 0)
        return cli_verify_proof(argc, argv);
    if (strcmp(argv[1], "create-user") == 0)
        return cmd_create_user(&cfg, argc, argv);
    if (strcmp(argv[1], "prices") == 0)
        return cli_prices(&cfg, argc, argv);
    if (strcmp(argv[1], "invoices") == 0)
        return cli_invoices(&cfg, argc, argv);
    return usage();
}
