-- $1 team id, $2 matter id, $3 reference, $4 name (NULL: unchanged), $5 whether to set the
-- manager, $6 manager (NULL: none), $7 whether to set the client group, $8 client group.
-- Returns the matter as JSON
UPDATE matters m
SET reference = coalesce($3, m.reference), name = coalesce($4, m.name),
    manager_user_id = CASE WHEN $5::boolean THEN $6::uuid ELSE m.manager_user_id END,
    client_group_id = CASE WHEN $7::boolean THEN $8::uuid ELSE m.client_group_id END,
    updated_at = now()
WHERE m.team_id = $1 AND m.id = $2
RETURNING matter_json(m)
