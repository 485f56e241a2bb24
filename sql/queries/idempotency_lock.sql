-- Takes the key for this transaction; false when another request holds it. $1 the lock key
SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))
