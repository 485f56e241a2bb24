-- One poll of a mailbox at a time, across runners: a session lock released when the poll ends
-- or its connection drops. $1 mailbox id. Returns whether it was taken
SELECT pg_try_advisory_lock(hashtextextended('mailbox_poll:' || $1, 0))
