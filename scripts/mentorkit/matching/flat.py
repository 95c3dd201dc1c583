"""Every eligible pair as arrays, a chunk of mentees at a time: the memory of the vectorised passes.

`CandidateIndex.keys` holds each eligible pair once (4 bytes: score and mentor in
one key). A pass over every pair (pricing, the proof, the optimal face, in
`livecore`) reads them in `Part`s of about `CHUNK` pairs, with mentee, mentor and
score arrays made for that part only: the passes' temporaries stay the same size
however many pairs are eligible, and what grows with them is the keys alone (and
one flag per pair: in the model or not).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .candidates import CandidateIndex

CHUNK = 1 << 21  # pairs per part (about 2 million: some 40 MB of temporaries)


@dataclass
class Part:
    """The pairs at positions lo..hi (whole mentees' rows, grouped by mentee, each row best first)."""

    lo: int
    hi: int
    i: np.ndarray  # mentee of each pair
    j: np.ndarray  # mentor
    s: np.ndarray  # score in cents
    first: np.ndarray  # where (from lo) each mentee with pairs here begins: groups for `np.*.reduceat`


class Flat:
    """The pairs of a `CandidateIndex` by position (mentee order, each row best first), read in parts."""

    def __init__(self, ix: CandidateIndex, chunk: int | None = None):
        self.ix = ix
        self.key, self.start, self.m, self.smax = ix.keys, ix.start, ix.m, ix.smax
        n, chunk = len(ix.rows), chunk or CHUNK
        cuts = [0]
        while cuts[-1] < n:  # each part ends at a mentee boundary, at most `chunk` pairs in (or one long row)
            k = int(np.searchsorted(self.start, self.start[cuts[-1]] + chunk, side="right")) - 1
            cuts.append(min(n, max(k, cuts[-1] + 1)))
        self._cuts = cuts
        self._kept = self._part(0, n) if len(cuts) <= 2 else None  # one part: made once, kept

    def __len__(self) -> int:
        return len(self.key)

    def parts(self) -> Iterator[Part]:
        if self._kept is not None:
            yield self._kept
            return
        for lo, hi in zip(self._cuts[:-1], self._cuts[1:], strict=True):
            yield self._part(lo, hi)

    def _part(self, ilo: int, ihi: int) -> Part:
        lo, hi = int(self.start[ilo]), int(self.start[ihi])
        lens = np.diff(self.start[ilo:ihi + 1])
        i = np.repeat(np.arange(ilo, ihi, dtype=np.int32), lens)
        q, j = np.divmod(self.key[lo:hi], self.key.dtype.type(self.m))
        s = self.key.dtype.type(self.smax) - q
        return Part(lo, hi, i, j, s, (self.start[ilo:ihi] - lo)[lens > 0])

    def at(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mentee, mentor and score of the pairs at positions `idx`."""
        idx = np.asarray(idx, dtype=np.int64)
        i = np.searchsorted(self.start, idx, side="right") - 1
        q, j = np.divmod(self.key[idx].astype(np.int64), self.m)
        return i, j, self.smax - q

    def position(self, i: int, j: int, s: int) -> int:
        """Where pair (i, j) of score s sits."""
        return int(self.start[i]) + bisect.bisect_left(self.ix.rows[i], self.ix.key(s, j))
