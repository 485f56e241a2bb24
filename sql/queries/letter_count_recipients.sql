-- Records how many recipients a letter has. $1 letter id
UPDATE letters SET recipient_count = (SELECT count(*) FROM letter_recipients r
                                      WHERE r.letter_id = $1)
WHERE id = $1
