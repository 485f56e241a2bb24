-- Who sends on behalf of the office about a matter. $1 team id, $2 matter id. Columns:
-- address, name, rule (no row when no level of the cascade has an address)
SELECT o.address, o.name, o.rule FROM office_sender($1, $2) o
