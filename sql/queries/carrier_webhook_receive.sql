-- Stores a carrier callback for a postal delivery and queues the job that applies it; a
-- webhook id seen before changes nothing. $1 carrier, $2 webhook id, $3 delivery id, $4 body.
-- Columns: whether the delivery is known, whether the callback is new
WITH d AS (
    SELECT id FROM deliveries WHERE id = $3::uuid AND channel = 'postal'),
stored AS (
    INSERT INTO carrier_webhooks (carrier, webhook_id, delivery_id, body)
    SELECT $1, $2, d.id, $4::jsonb FROM d
    ON CONFLICT (carrier, webhook_id) DO NOTHING
    RETURNING 1),
job AS (
    INSERT INTO jobs (kind, payload, dedupe_key)
    SELECT 'carrier_event', json_build_object('carrier', $1::text, 'webhook_id', $2::text),
           'carrier_event:' || $1 || ':' || $2
    FROM stored
    ON CONFLICT (dedupe_key) DO NOTHING)
SELECT EXISTS (SELECT 1 FROM d), EXISTS (SELECT 1 FROM stored)
