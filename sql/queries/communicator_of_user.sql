-- Whether a user opens the Communicator: owner of an active mailbox, or holder of a grant, in a
-- team it belongs to. $1 user id
SELECT EXISTS (SELECT 1 FROM mailboxes b JOIN memberships m
                   ON m.team_id = b.team_id AND m.user_id = $1
               WHERE b.active AND b.owner_user_id = $1)
    OR EXISTS (SELECT 1 FROM mailbox_grants g JOIN memberships m
                   ON m.team_id = g.team_id AND m.user_id = $1
               WHERE g.user_id = $1)
