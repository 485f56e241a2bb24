-- Records an event that reached a delivery. $1 team, $2 delivery, $3 target status, $4 source,
-- $5 occurred at, $6 details (JSON), $7 applied ('t'/'f'), $8 the proof it issued (or NULL)
INSERT INTO delivery_events (team_id, delivery_id, target, source, occurred_at, details, applied,
                             proof_id)
VALUES ($1::uuid, $2::uuid, $3, $4, $5::timestamptz, $6::jsonb, $7::boolean, $8::uuid)
