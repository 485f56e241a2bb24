-- $1 team id, $2 invitation id
SELECT invitation_json(i) FROM invitations i WHERE i.team_id = $1 AND i.id = $2
