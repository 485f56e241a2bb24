-- Redeems a welcome link once: sets the account's first password and activates the client user
-- (and the user's other waiting matters at the same office); the hash stays, so that a used
-- link is told apart from an unknown one. $1 token hash, $2 password hash.
-- Returns the user id and the user as JSON (no row when the link cannot be used)
WITH redeemed AS (
    UPDATE client_users SET status = 'active', activated_at = now()
    WHERE token_hash = $1 AND status = 'invited' AND expires_at > now()
    RETURNING id, user_id, team_id),
siblings AS (
    UPDATE client_users c SET status = 'active', activated_at = now()
    FROM redeemed r
    WHERE c.user_id = r.user_id AND c.team_id = r.team_id AND c.id <> r.id
      AND c.status = 'invited'
    RETURNING c.id),
account AS (
    UPDATE users u SET password_hash = $2
    FROM redeemed r
    WHERE u.id = r.user_id AND u.password_hash IS NULL
    RETURNING u.id, user_json(u) AS json)
SELECT a.id, a.json, (SELECT count(*) FROM siblings) FROM account a
