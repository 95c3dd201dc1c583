"""The `mentorkit` command: a thin shell over the library.

Commands only parse options, call the library, and turn domain exceptions into
messages and exit codes: 0 clean, 1 problems, 2 usage errors.
"""

from . import coordinator, program, site, workflows  # noqa: F401  (importing a module registers its commands)
from .shell import main

__all__ = ["main"]
