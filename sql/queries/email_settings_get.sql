-- An office's e-mail settings: its two addresses and the routing of each type of automatic
-- e-mail (standard when never set). $1 team id. Returns the settings as JSON
SELECT json_build_object(
    'functional_email', s.functional_email, 'communication_email', s.communication_email,
    'notifications', (SELECT json_agg(json_build_object(
                          'type', t.type, 'configuration', coalesce(n.configuration, 'standard'),
                          'recipients', to_json(coalesce(n.recipients, '{}'))) ORDER BY t.rank)
                      FROM (VALUES (1, 'failed_tasks'), (2, 'messages'), (3, 'vat_documents_ok'),
                                   (4, 'user_requests')) AS t (rank, type)
                      LEFT JOIN notification_settings n ON n.team_id = $1 AND n.type = t.type))
FROM (SELECT $1::uuid AS team_id) o
LEFT JOIN office_settings s ON s.team_id = o.team_id
