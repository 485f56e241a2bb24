-- Drops failure counters that no longer matter. $1 window in seconds
DELETE FROM login_throttle
WHERE window_started_at < now() - make_interval(secs => $1::integer)
  AND (locked_until IS NULL OR locked_until < now())
