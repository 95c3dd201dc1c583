"""Populations for the matching benchmark, in the shapes real sign-ups produce.

- uniform   mentees at levels 1-6, mentors at 3-9, six time zones, six language sets, twelve skills
            (tests/matching_helpers.random_people): the easy case, few eligible mentors per mentee score alike;
- popular   the same, but 5% of mentors suit everyone (every skill, every language, a level and a time zone
            every mentee's window accepts): everybody's favourites are the same few mentors;
- tied      every mentor offers the same skills, speaks the same language and sits in the same time zone:
            every pair is eligible and scores take a handful of integer values (massive exact ties);
- tied-share  tied, with `min_cross_department_share: 0.5`: the integer program and its exact tie-break
            (matching/tiebreak.py) on the worst case for it. Not in the default table (the flow core's);
            run it with --shapes tied-share --methods mentorkit --sizes 60x30,200x100.

Mentor capacity is 2 in every shape. `instance(shape, n, m, seed)` returns the workspace; the
populations come from tests/matching_helpers.py, so the tests cross-check the same shapes.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

SHAPES = ["uniform", "popular", "tied"]
SIDE_RULES = {"tied-share": ("tied", {"min_cross_department_share": 0.5})}  # shape: (population, program rules)


def instance(shape: str, n: int, m: int, seed: int = 7):
    from matching_helpers import popular_people, program, random_people, tied_people, workspace

    population, rules = SIDE_RULES.get(shape, (shape, {}))
    build = {"uniform": random_people, "popular": popular_people, "tied": tied_people}[population]
    people = build(random.Random(seed), n, m, capacity=(2, 2))
    return workspace(people, {"pilot": program(**rules)})
