-- The current month, French time (YYYY-MM).
SELECT to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY-MM')
