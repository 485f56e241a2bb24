-- A received carrier callback. $1 carrier, $2 webhook id. Columns: delivery id, body (JSON)
SELECT delivery_id, body FROM carrier_webhooks WHERE carrier = $1 AND webhook_id = $2
