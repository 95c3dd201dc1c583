"""`python -m mentorkit.site export OUT`: see `mentorkit.site.export`."""

import sys

from .export import main

sys.exit(main())
