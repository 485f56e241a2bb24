-- Appends a proof to its delivery's chain, moves the delivery to its new status, and queues
-- the proof's PDF.
-- $1 proof id, $2 team, $3 delivery, $4 seq, $5 type, $6 event, $7 occurred at, $8 issued at,
-- $9 key id, $10 signed bytes (binary), $11 signature (binary), $12 sha256, $13 previous sha256,
-- $14 new status
WITH proof AS (
    INSERT INTO proofs (id, team_id, letter_id, delivery_id, seq, type, event, occurred_at,
                        issued_at, key_id, signed_payload, signature, sha256, previous_sha256)
    SELECT $1::uuid, $2::uuid, d.letter_id, d.id, $4::integer, $5, $6, $7::timestamptz,
           $8::timestamptz, $9, $10::bytea, $11::bytea, $12, $13
    FROM deliveries d WHERE d.id = $3::uuid
    RETURNING id, delivery_id),
pdf AS (
    INSERT INTO jobs (kind, payload, dedupe_key)
    SELECT 'proof_pdf', json_build_object('proof_id', id), 'proof_pdf:' || id::text FROM proof)
UPDATE deliveries SET status = $14, proof_count = $4::integer, chain_head = $12,
                      updated_at = now()
WHERE id = (SELECT delivery_id FROM proof)
RETURNING id
