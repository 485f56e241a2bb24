-- What stands in the way of linking a secondary to a principal through a firm (open requests
-- and links only). $1 firm team id, $2 secondary team id, $3 principal team id. Columns: the
-- secondary is already linked or waiting; the link would make a chain (the principal is a
-- secondary, or the secondary a principal)
SELECT EXISTS (SELECT 1 FROM link_requests l
               WHERE l.firm_team_id = $1 AND l.secondary_team_id = $2
                 AND l.status IN ('pending', 'accepted')),
       EXISTS (SELECT 1 FROM link_requests l
               WHERE l.firm_team_id = $1 AND l.status IN ('pending', 'accepted')
                 AND (l.secondary_team_id = $3 OR l.principal_team_id = $2))
