-- A delivery as its recipient sees it. $1 delivery id
SELECT delivery_recipient_json(d) FROM deliveries d WHERE d.id = $1::uuid
