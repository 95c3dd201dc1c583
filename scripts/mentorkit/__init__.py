"""mentorkit: run a workplace mentorship program from a Git repository."""

__version__ = "0.1.0"
