-- Whether a month is over, French time. $1 the month's first day
SELECT $1::date + interval '1 month' <= date_trunc('month', now() AT TIME ZONE 'Europe/Paris')
