-- $1 mailbox id
SELECT pg_advisory_unlock(hashtextextended('mailbox_poll:' || $1, 0))
