-- One page of a team's audit log, newest first. $1 team id, $2 cursor (id, exclusive; NULL
-- for the first page), $3 page size. Returns the items and the cursor of the next page (NULL
-- on the last page).
WITH page AS (
    SELECT * FROM audit_events
    WHERE team_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
    ORDER BY id DESC LIMIT $3::integer + 1),
shown AS (SELECT * FROM page ORDER BY id DESC LIMIT $3::integer)
SELECT coalesce((SELECT json_agg(json_build_object('id', e.id, 'actor_id', e.actor_id,
                                                   'action', e.action, 'target', e.target,
                                                   'before', e.before, 'after', e.after,
                                                   'at', e.at) ORDER BY e.id DESC)
                 FROM shown e), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $3::integer THEN (SELECT min(id) FROM shown) END
