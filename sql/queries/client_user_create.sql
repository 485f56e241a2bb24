-- Makes someone a client user of a matter, or renews a welcome that lapsed unused (a new link
-- version, a new expiry, the sender of today). $1 team id, $2 matter id, $3 user id, $4 e-mail,
-- $5 status ('invited' or 'active'), $6 validity of the welcome link in days, $7 sender
-- address, $8 sender name, $9 sender rule, $10 creating member. Returns the id and the welcome
-- version (no row when the person is already an active or waiting client user of the matter)
INSERT INTO client_users (team_id, matter_id, user_id, email, status, expires_at, sender_address,
                          sender_name, sender_rule, created_by, activated_at)
VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6::integer), $7, $8, $9, $10,
        CASE WHEN $5 = 'active' THEN now() END)
ON CONFLICT (matter_id, user_id) DO UPDATE
SET status = EXCLUDED.status, expires_at = EXCLUDED.expires_at,
    sender_address = EXCLUDED.sender_address, sender_name = EXCLUDED.sender_name,
    sender_rule = EXCLUDED.sender_rule, created_by = EXCLUDED.created_by,
    activated_at = EXCLUDED.activated_at, welcome_version = client_users.welcome_version + 1
WHERE client_users.status = 'invited' AND client_users.expires_at <= now()
RETURNING id, welcome_version
