-- A client user says the VAT documents of a period are all there; the first time only, the
-- office is told (vat_documents_ok). $1 team id, $2 matter id, $3 period, $4 user id.
-- Columns: the period as JSON, whether it was new
WITH added AS (
    INSERT INTO vat_periods (team_id, matter_id, period, completed_by)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (matter_id, period) DO NOTHING
    RETURNING *),
told AS (
    SELECT emit_notification(
               a.team_id, 'vat_documents_ok', a.matter_id,
               format('Documents TVA complets : %s, période %s', m.reference, a.period),
               format('%s %s (%s) indique avoir transmis tous les documents TVA de la période %s '
                      'pour le dossier %s (%s).', u.first_name, u.last_name, u.email, a.period,
                      m.reference, m.name)) AS id
    FROM added a JOIN matters m ON m.id = a.matter_id JOIN users u ON u.id = a.completed_by)
SELECT json_build_object('period', a.period, 'matter_id', a.matter_id,
                         'completed_by', a.completed_by, 'completed_at', a.completed_at,
                         'notification_id', (SELECT t.id FROM told t)), true
FROM added a
UNION ALL
SELECT json_build_object('period', v.period, 'matter_id', v.matter_id,
                         'completed_by', v.completed_by, 'completed_at', v.completed_at,
                         'notification_id', NULL), false
FROM vat_periods v
WHERE v.matter_id = $2 AND v.period = $3 AND NOT EXISTS (SELECT 1 FROM added)
