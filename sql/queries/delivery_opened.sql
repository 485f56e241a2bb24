-- Whether a recipient may open a delivery's content. $1 token hash. Columns: delivery id,
-- whether the content is open
SELECT d.id, (d.channel = 'registered_email' AND d.status = 'accepted')
             OR (d.channel = 'email' AND d.status = 'notified')
FROM deliveries d
WHERE d.token_hash = $1 AND d.link_expires_at > now()
