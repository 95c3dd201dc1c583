"""Coordinator tools: everything that touches private data (form exports, the key, the roster, e-mails).

Commands: `intake` (sign-ups), `checkins` and `surveys` (on the frame in
`imports`), `intros` (introduction e-mails), `scaffold` (`mentorkit init`).
What they share: `exports` (reading a form export, matching its columns),
`answers` (reading one answer), `candidate` (tables as a command would leave
them, validated before writing), `report` (the one report type), and
`pseudonyms` (the key, the roster, the private folder).
"""
