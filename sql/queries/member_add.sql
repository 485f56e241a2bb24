-- $1 team id, $2 user id, $3 role id. Someone who joins with the administrator's role a team
-- that has no administrator yet (a client space a firm created) becomes its administrator.
WITH claim AS (
    UPDATE teams t SET administrator_id = $2
    FROM roles r
    WHERE t.id = $1 AND t.administrator_id IS NULL
      AND r.id = $3 AND r.team_id = t.id AND r.builtin = 'administrator'
    RETURNING t.id)
INSERT INTO memberships (team_id, user_id, role_id, is_administrator)
VALUES ($1, $2, $3, EXISTS (SELECT 1 FROM claim))
