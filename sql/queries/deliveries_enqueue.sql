-- Queues one job per pending delivery of a letter, by channel; a job already queued for a
-- delivery is kept. $1 team id, $2 letter id
INSERT INTO jobs (kind, payload, dedupe_key, max_attempts)
SELECT CASE WHEN d.channel = 'postal' THEN 'deliver_postal' ELSE 'deliver_email' END,
       json_build_object('delivery_id', d.id), 'deliver:' || d.id::text, 20
FROM deliveries d
WHERE d.team_id = $1::uuid AND d.letter_id = $2::uuid AND d.status = 'pending'
ON CONFLICT (dedupe_key) DO NOTHING
