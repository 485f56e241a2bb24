#include "db/blob_store.h"

#include <stdio.h>

#include "lib/crypto.h"

enum db_status blob_store_put(struct db *db, const unsigned char *data, size_t len,
                              char sha256[65])
{
    char size[32];
    crypto_sha256_hex(data, len, sha256);
    snprintf(size, sizeof(size), "%zu", len);
    const char *params[] = {sha256, size, (const char *)data};
    int lengths[] = {0, 0, (int)len};
    int formats[] = {0, 0, 1};
    PGresult *r;
    enum db_status st = db_exec_binary(db, NULL, SQL_BLOB_PUT, 3, params, lengths, formats, &r);
    if (st == DB_OK)
        PQclear(r);
    return st;
}
