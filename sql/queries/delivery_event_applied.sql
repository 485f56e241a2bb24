-- Marks a waiting event as applied now, with the proof it issued. $1 event id, $2 proof id
UPDATE delivery_events SET applied = true, proof_id = $2::uuid WHERE id = $1::bigint
