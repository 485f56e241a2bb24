-- Gives up on a job after its last attempt; it stays for an operator to read. A job done for an
-- office (its payload names team_id, and matter_id when it concerns one) tells the office
-- (failed_tasks). $1 job id, $2 error
WITH dead AS (
    UPDATE jobs SET state = 'dead', finished_at = now(), leased_until = NULL, last_error = $2
    WHERE id = $1
    RETURNING kind, payload, attempts),
told AS (
    SELECT emit_notification(
               (d.payload ->> 'team_id')::uuid, 'failed_tasks', (d.payload ->> 'matter_id')::uuid,
               format('Tâche échouée : %s', CASE d.kind
                   WHEN 'client_user_welcome' THEN 'e-mail de bienvenue d''un utilisateur client'
                   WHEN 'dispatch_letter' THEN 'envoi d''un courrier'
                   ELSE d.kind END),
               format(E'Une tâche a échoué après %s tentative(s)%s et demande votre attention.\n\n'
                      'Motif : %s', d.attempts,
                      coalesce(' (dossier ' || m.reference || ')', ''), $2)) AS id
    FROM dead d LEFT JOIN matters m ON m.id = (d.payload ->> 'matter_id')::uuid
    WHERE d.payload ? 'team_id')
SELECT count(*) FROM told
