-- Archives the raw bytes of a message taken from a mailbox (stored in blobs by the caller, in
-- the same transaction), before anything is read from them; its first reading counts as
-- started. $1 team id, $2 mailbox id, $3 uidl, $4 raw sha256 (NULL over the size cap, then
-- recorded as read with $6 as its error), $5 size, $6 error. Returns the message id (no row when
-- this uidl was archived already)
INSERT INTO messages (team_id, mailbox_id, uidl, raw_sha256, size, parse_error, read_state)
VALUES ($1::uuid, $2::uuid, $3, $4, $5::bigint, $6,
        CASE WHEN $4::text IS NULL THEN 'read' ELSE 'pending' END)
ON CONFLICT (mailbox_id, uidl) DO NOTHING
RETURNING id
