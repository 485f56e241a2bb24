-- $1 team id, $2 email, $3 role id, $4 inviting user, $5 validity in days
INSERT INTO invitations (team_id, email, role_id, invited_by, expires_at)
VALUES ($1, $2, $3, $4, now() + make_interval(days => $5::integer))
RETURNING id, version
