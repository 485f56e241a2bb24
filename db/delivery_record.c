#include "db/delivery_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/signed_json.h"

/* Columns of SQL_DELIVERY_LOCK. */
enum { LOCK_STATUS, LOCK_CHANNEL, LOCK_COUNT, LOCK_HEAD, LOCK_TEAM, LOCK_OCCURRED, LOCK_ISSUED,
       LOCK_CONTEXT };

/* Columns of SQL_DELIVERY_EVENTS_WAITING. */
enum { WAIT_ID, WAIT_TARGET, WAIT_SOURCE, WAIT_OCCURRED, WAIT_DETAILS };

/* The most waiting events applied after one transition (a chain is a handful of steps). */
#define DELIVERY_WAITING_MAX 8

/* Signs and stores the proof of a transition; the delivery's status moves with it. */
static enum db_status append_proof(struct db *db, const struct signing_key *key,
                                   const PGresult *lock, const struct delivery_event *ev,
                                   enum delivery_channel channel, char proof_id[])
{
    int seq = (int)strtol(PQgetvalue(lock, 0, LOCK_COUNT), NULL, 10) + 1;
    const char *previous = PQgetisnull(lock, 0, LOCK_HEAD) ? NULL : PQgetvalue(lock, 0, LOCK_HEAD);
    json_t *context = json_loads(PQgetvalue(lock, 0, LOCK_CONTEXT), 0, NULL);
    proof_record_new_id(proof_id);
    struct proof_fields fields = {delivery_proof_type(ev->target), channel, proof_id, seq,
                                  previous, PQgetvalue(lock, 0, LOCK_OCCURRED),
                                  PQgetvalue(lock, 0, LOCK_ISSUED), key->id, ev->details};
    json_t *record = context ? proof_record_new(context, &fields) : NULL;
    size_t len = 0;
    char *payload = record ? signed_json_serialise(record, &len) : NULL;
    json_decref(record);
    json_decref(context);
    if (!payload)
        return DB_ERROR;
    unsigned char signature[crypto_sign_BYTES];
    signed_json_sign(key, payload, len, signature);
    char sha256[65], seq_text[16];
    crypto_sha256_hex(payload, len, sha256);
    snprintf(seq_text, sizeof(seq_text), "%d", seq);
    enum proof_type type = delivery_proof_type(ev->target);
    const char *params[] = {proof_id,
                            PQgetvalue(lock, 0, LOCK_TEAM),
                            ev->delivery_id,
                            seq_text,
                            proof_type_name(type),
                            proof_event_name(type, channel),
                            PQgetvalue(lock, 0, LOCK_OCCURRED),
                            PQgetvalue(lock, 0, LOCK_ISSUED),
                            key->id,
                            payload,
                            (const char *)signature,
                            sha256,
                            previous,
                            delivery_status_name(ev->target)};
    int lengths[14] = {0};
    int formats[14] = {0};
    lengths[9] = (int)len;
    formats[9] = 1;
    lengths[10] = crypto_sign_BYTES;
    formats[10] = 1;
    PGresult *r;
    enum db_status st = db_exec_binary(db, NULL, SQL_PROOF_ADD, 14, params, lengths, formats, &r);
    free(payload);
    if (st == DB_OK) {
        if (PQntuples(r) != 1)
            st = DB_ERROR;
        PQclear(r);
    }
    return st;
}

/* A delivery that leaves is charged once, at the price in force, with its deposit. */
static enum db_status charge(struct db *db, const char *delivery_id)
{
    const char *params[] = {delivery_id};
    PGresult *r;
    enum db_status st = db_exec(db, NULL, SQL_CHARGE_ADD, 1, params, &r);
    if (st == DB_OK)
        PQclear(r);
    return st;
}

static enum db_status log_event(struct db *db, const char *team, const struct delivery_event *ev,
                                const char *occurred_at, bool applied, const char *proof_id)
{
    char *details = ev->details ? json_dumps(ev->details, JSON_COMPACT) : NULL;
    const char *params[] = {team,
                            ev->delivery_id,
                            delivery_status_name(ev->target),
                            ev->source,
                            occurred_at,
                            details ? details : "{}",
                            applied ? "t" : "f",
                            applied ? proof_id : NULL};
    PGresult *r;
    enum db_status st = db_exec(db, NULL, SQL_DELIVERY_EVENT_ADD, 8, params, &r);
    free(details);
    if (st == DB_OK)
        PQclear(r);
    return st;
}

/* One event against the locked delivery: applied with a proof, or recorded only. When
 * waiting_id is set the event was already recorded and is marked applied instead. */
static enum db_status apply(struct db *db, const struct signing_key *key,
                            const struct delivery_event *ev, const char *waiting_id,
                            struct delivery_outcome *out)
{
    const char *params[] = {ev->delivery_id, ev->occurred_at};
    PGresult *lock;
    enum db_status st = db_exec(db, NULL, SQL_DELIVERY_LOCK, 2, params, &lock);
    if (st != DB_OK)
        return st;
    out->found = PQntuples(lock) == 1;
    if (!out->found) {
        PQclear(lock);
        return DB_OK;
    }
    enum delivery_status current;
    if (!delivery_status_parse(PQgetvalue(lock, 0, LOCK_STATUS), &current) ||
        !delivery_channel_parse(PQgetvalue(lock, 0, LOCK_CHANNEL), &out->channel)) {
        PQclear(lock);
        return DB_ERROR;
    }
    out->applied = delivery_transition_allowed(out->channel, current, ev->target);
    out->status = out->applied ? ev->target : current;
    if (out->applied)
        st = append_proof(db, key, lock, ev, out->channel, out->proof_id);
    if (st == DB_OK && out->applied && ev->target == DELIVERY_DEPOSITED)
        st = charge(db, ev->delivery_id);
    if (st == DB_OK && waiting_id && out->applied) {
        const char *p[] = {waiting_id, out->proof_id};
        PGresult *r;
        st = db_exec(db, NULL, SQL_DELIVERY_EVENT_APPLIED, 2, p, &r);
        if (st == DB_OK)
            PQclear(r);
    } else if (st == DB_OK && !waiting_id) {
        st = log_event(db, PQgetvalue(lock, 0, LOCK_TEAM), ev, PQgetvalue(lock, 0, LOCK_OCCURRED),
                       out->applied, out->proof_id);
    }
    PQclear(lock);
    return st;
}

/* Applies the first waiting event the new status allows; *progressed tells whether one was. */
static enum db_status apply_one_waiting(struct db *db, const struct signing_key *key,
                                        const char *delivery_id, struct delivery_outcome *out,
                                        bool *progressed)
{
    *progressed = false;
    const char *params[] = {delivery_id};
    PGresult *r;
    enum db_status st = db_exec(db, NULL, SQL_DELIVERY_EVENTS_WAITING, 1, params, &r);
    if (st != DB_OK)
        return st;
    for (int i = 0; i < PQntuples(r) && !*progressed && st == DB_OK; i++) {
        enum delivery_status target;
        if (!delivery_status_parse(PQgetvalue(r, i, WAIT_TARGET), &target) ||
            !delivery_transition_allowed(out->channel, out->status, target))
            continue;
        json_t *details = json_loads(PQgetvalue(r, i, WAIT_DETAILS), 0, NULL);
        struct delivery_event ev = {delivery_id, target, PQgetvalue(r, i, WAIT_SOURCE),
                                    PQgetvalue(r, i, WAIT_OCCURRED), details};
        struct delivery_outcome next = {0};
        st = apply(db, key, &ev, PQgetvalue(r, i, WAIT_ID), &next);
        json_decref(details);
        if (st == DB_OK && next.applied) {
            log_info("delivery %s: waiting event %s applied", delivery_id,
                     delivery_status_name(target));
            out->status = next.status;
            *progressed = true;
        }
    }
    PQclear(r);
    return st;
}

enum db_status delivery_record(struct db *db, const struct signing_key *key,
                               const struct delivery_event *event, struct delivery_outcome *out)
{
    memset(out, 0, sizeof(*out));
    enum db_status st = apply(db, key, event, NULL, out);
    if (st != DB_OK || !out->applied)
        return st;
    bool progressed = true;
    for (int i = 0; i < DELIVERY_WAITING_MAX && progressed && st == DB_OK; i++)
        st = apply_one_waiting(db, key, event->delivery_id, out, &progressed);
    return st;
}
