-- Seconds left on a lockout of this e-mail (no row when not locked). $1 email
SELECT ceil(extract(epoch FROM locked_until - now()))::integer
FROM login_throttle WHERE email = $1 AND locked_until > now()
