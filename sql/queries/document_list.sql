-- One page of the documents a team reads, grouped by account (the company they were shared
-- with) in name order, newest first inside an account. $1 team id, $2 account team id (NULL:
-- all), $3 cursor (the last document id of the previous page, or NULL), $4 page size.
-- Returns the items and the next cursor.
WITH readable AS (
    SELECT d AS doc, d.id, d.company_team_id, d.created_at, lower(a.name) AS account_key
    FROM documents d JOIN teams a ON a.id = d.company_team_id
    WHERE document_readable($1, d.firm_team_id, d.company_team_id)
      AND ($2::uuid IS NULL OR d.company_team_id = $2::uuid)),
after AS (
    SELECT r.account_key, r.company_team_id, r.created_at, r.id FROM readable r
    WHERE r.id = $3::uuid),
page AS (
    SELECT r.* FROM readable r
    WHERE $3::uuid IS NULL
       OR EXISTS (SELECT 1 FROM after c
                  WHERE (r.account_key, r.company_team_id) > (c.account_key, c.company_team_id)
                     OR ((r.account_key, r.company_team_id) = (c.account_key, c.company_team_id)
                         AND (r.created_at, r.id) < (c.created_at, c.id)))
    ORDER BY r.account_key, r.company_team_id, r.created_at DESC, r.id DESC
    LIMIT $4::integer + 1),
shown AS (
    SELECT * FROM page ORDER BY account_key, company_team_id, created_at DESC, id DESC
    LIMIT $4::integer)
SELECT coalesce((SELECT json_agg(document_json(s.doc)
                                 ORDER BY s.account_key, s.company_team_id, s.created_at DESC,
                                          s.id DESC)
                 FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $4::integer
            THEN (SELECT s.id FROM shown s
                  ORDER BY s.account_key DESC, s.company_team_id DESC, s.created_at, s.id
                  LIMIT 1) END
