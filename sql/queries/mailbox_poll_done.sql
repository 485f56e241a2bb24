-- Records the end of a poll. $1 mailbox id, $2 error (NULL when it went well)
UPDATE mailboxes SET last_polled_at = now(), last_poll_error = $2 WHERE id = $1::uuid
