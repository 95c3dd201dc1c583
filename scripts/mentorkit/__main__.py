"""`python -m mentorkit`: the same command line as `mentorkit`."""

from .cli import main

main()
