-- Replaces an office's e-mail addresses. $1 team id, $2 functional e-mail, $3 communication
-- e-mail (NULL: none), $4 user
INSERT INTO office_settings (team_id, functional_email, communication_email, updated_by)
VALUES ($1, $2, $3, $4)
ON CONFLICT (team_id) DO UPDATE
SET functional_email = EXCLUDED.functional_email,
    communication_email = EXCLUDED.communication_email,
    updated_by = EXCLUDED.updated_by, updated_at = now()
