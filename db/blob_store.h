/* The blob store: content kept once under its SHA-256 (in PostgreSQL, table blobs). */
#ifndef PLI_BLOB_STORE_H
#define PLI_BLOB_STORE_H

#include <stddef.h>

#include "db/db.h"

/* Stores data (a no-op when the same content is there) and writes its hex SHA-256. */
enum db_status blob_store_put(struct db *db, const unsigned char *data, size_t len,
                              char sha256[65]);

#endif
