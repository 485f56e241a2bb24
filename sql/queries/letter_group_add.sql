-- $1 team id, $2 letter id, $3 group id (another team's group breaks the foreign key)
INSERT INTO letter_groups (team_id, letter_id, group_id) VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING
