-- Sets how one type of automatic e-mail is routed. $1 team id, $2 type, $3 configuration,
-- $4 recipients (uuid array literal)
INSERT INTO notification_settings (team_id, type, configuration, recipients)
VALUES ($1, $2, $3, $4::uuid[])
ON CONFLICT (team_id, type) DO UPDATE
SET configuration = EXCLUDED.configuration, recipients = EXCLUDED.recipients
