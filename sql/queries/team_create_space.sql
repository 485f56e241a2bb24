-- Creates a company space for a firm's client: the team and its two built-in roles, without a
-- member; the invited person who accepts becomes its administrator (see member_add).
-- $1 name, $2 administrator permissions, $3 member permissions (text arrays).
-- Returns the team id and the administrator role id.
WITH t AS (
    INSERT INTO teams (name, kind) VALUES ($1, 'company') RETURNING id),
r AS (
    INSERT INTO roles (team_id, name, builtin, permissions)
    SELECT t.id, v.name, v.name, v.permissions
    FROM t, (VALUES ('administrator', $2::text[]), ('member', $3::text[])) AS v (name, permissions)
    RETURNING id, team_id, builtin)
SELECT team_id, id FROM r WHERE builtin = 'administrator'
