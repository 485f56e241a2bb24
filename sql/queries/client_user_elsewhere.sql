-- Whether an e-mail is a client user at another office, active or invited and not expired.
-- $1 e-mail, $2 office team id. One row when it is
SELECT 1 FROM client_users
WHERE email = $1 AND team_id <> $2 AND (status = 'active' OR expires_at > now())
LIMIT 1
