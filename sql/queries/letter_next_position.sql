-- The next free recipient position of a letter. $1 letter id
SELECT coalesce(max(position), 0) + 1 FROM letter_recipients WHERE letter_id = $1
