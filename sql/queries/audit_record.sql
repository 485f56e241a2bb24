-- $1 team id, $2 actor user id, $3 action, $4 target, $5 before (json), $6 after (json)
INSERT INTO audit_events (team_id, actor_id, action, target, before, after)
VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)
