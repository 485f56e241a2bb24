/* What a worker holds for its whole life: settings, its database connection, the signing key. */
#ifndef PLI_APP_H
#define PLI_APP_H

#include "db/db.h"
#include "lib/config.h"
#include "lib/crypto.h"

struct metrics_shm;

struct app {
    struct config cfg;
    struct db *db;
    struct signing_key key;
    unsigned char master_key[CRYPTO_MASTER_KEY_BYTES];
    char public_origin[256]; /* scheme://host[:port] of cfg.public_url */
    struct metrics_shm *metrics; /* shared by the master and every worker (fcgi/metrics_shm.h) */
};

#endif
