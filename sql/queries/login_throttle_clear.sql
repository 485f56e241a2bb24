-- $1 email
DELETE FROM login_throttle WHERE email = $1
