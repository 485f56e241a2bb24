-- Events of a delivery that arrived before their turn, oldest first. $1 delivery id
SELECT id, target, source, rfc3339(occurred_at), details
FROM delivery_events
WHERE delivery_id = $1::uuid AND NOT applied
ORDER BY occurred_at, id
