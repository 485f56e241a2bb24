-- The month that ended last, French time (YYYY-MM).
SELECT to_char(date_trunc('month', now() AT TIME ZONE 'Europe/Paris') - interval '1 month',
               'YYYY-MM')
