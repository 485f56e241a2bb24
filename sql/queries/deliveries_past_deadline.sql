-- Registered e-mails left unanswered past their deadline, oldest first. $1 how many. Columns:
-- delivery id, its deadline (RFC 3339)
SELECT id, rfc3339(delivery_deadline(notified_at))
FROM deliveries
WHERE status = 'notified' AND channel = 'registered_email'
  AND notified_at <= now() - interval '15 days'
  AND delivery_deadline(notified_at) <= now()
ORDER BY notified_at
LIMIT $1::integer
