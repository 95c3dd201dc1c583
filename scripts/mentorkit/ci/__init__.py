"""What the GitHub workflows run, behind `mentorkit ci ...` commands.

The workflows in `.github/workflows/` only wire steps together; every decision
is made here or elsewhere in the library. Pure, tested on fixture workspaces:

- `changes`: what a pull request changes between its base and head workspaces;
- `reminders`: the dates coming up and the pairs needing attention on a day;
- `text`: the Markdown for people: job summary, pull-request comment,
  reminder issue, the pull request opened by hand.

Delivery, kept apart so the text stays pure:

- `context`: what the run is about, from the Actions environment;
- `github`: the few REST calls, over an injectable transport;
- `git`: commit and push the proposal files, the token kept off every command line;
- `publish`: the propose workflow's one step with side effects, composing them.
"""
