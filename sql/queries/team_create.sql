-- Creates a team with its two built-in roles and its administrator, in one statement.
-- $1 name, $2 kind, $3 billing e-mail, $4 creator, $5 administrator permissions,
-- $6 member permissions (text arrays). Returns the team id and the administrator role id.
WITH t AS (
    INSERT INTO teams (name, kind, billing_email, administrator_id)
    VALUES ($1, $2, $3, $4) RETURNING id),
r AS (
    INSERT INTO roles (team_id, name, builtin, permissions)
    SELECT t.id, v.name, v.name, v.permissions
    FROM t, (VALUES ('administrator', $5::text[]), ('member', $6::text[])) AS v (name, permissions)
    RETURNING id, team_id, builtin),
m AS (
    INSERT INTO memberships (team_id, user_id, role_id, is_administrator)
    SELECT r.team_id, $4, r.id, true FROM r WHERE r.builtin = 'administrator'
    RETURNING team_id, role_id)
SELECT team_id, role_id FROM m
