-- The delivery a recipient's link leads to, as the recipient sees it. $1 token hash
SELECT delivery_recipient_json(d) FROM deliveries d
WHERE d.token_hash = $1 AND d.link_expires_at > now()
