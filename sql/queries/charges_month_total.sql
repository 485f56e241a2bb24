-- How many charges a team has in a month (French time) and their sum before VAT. $1 team id,
-- $2 the month's first day
SELECT count(*), coalesce(sum(amount_cents), 0)
FROM charges
WHERE team_id = $1::uuid
  AND charged_at >= ($2::date::timestamp AT TIME ZONE 'Europe/Paris')
  AND charged_at < (($2::date + interval '1 month')::timestamp AT TIME ZONE 'Europe/Paris')
