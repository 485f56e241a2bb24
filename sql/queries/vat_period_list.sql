-- The periods a matter's client users declared complete, latest first. $1 team id,
-- $2 matter id. Returns a JSON array
SELECT coalesce(json_agg(json_build_object('period', v.period, 'completed_by', v.completed_by,
                                           'completed_at', v.completed_at)
                         ORDER BY v.period DESC), '[]')
FROM vat_periods v WHERE v.team_id = $1 AND v.matter_id = $2
