-- $1 mailbox id, $2 user id. Returns whether the user reads the mailbox's messages
SELECT mailbox_readable($1::uuid, $2::uuid)
