-- $1 team id, $2 sender, $3 kind, $4 subject, $5 body, $6 body sha256, $7 reference
INSERT INTO letters (team_id, sender_id, kind, subject, body, body_sha256, reference)
VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''))
RETURNING id
