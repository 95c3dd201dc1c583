"""Proposal files (participants/matches/<program>.yaml): written for review, read back typed.

The file is written for review in a pull request: a comment header says what it
is and how to approve; pairs come in a stable order with their score, the
points per criterion ("why") and the mentee's next-best alternative. The same
proposal always gives the same bytes (no timestamps, fixed order, fixed number
formatting), so a diff shows real changes only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import MentorkitError
from ..model import PairStatus, Proposal
from . import layout
from .atomic import write_atomic
from .load import read_workspace
from .strict_yaml import parse_yaml
from .yaml_writer import dump_yaml

HEADER = """\
# Match proposal for the program '{program}', written by `mentorkit match {program}`.
#
# Each pair shows its score and why: the points it earned on each criterion
# of program/{program}.yaml (matching.weights), with `reasons` in words and
# `fit`: the skills, goals and languages the two share, their level gap, the
# hours of a 09:00-17:00 working day they share and how they can meet.
# `next_best` is the mentee's best other option and whether it is taken.
# `unmatched` says why each mentee left out has no pair and what would match
# them; `unused` lists mentors with places left. See docs/matching.md.
#
# To approve a pair: change its status from proposed to approved and merge.
# Approved pairs are kept exactly as they are on every re-run. To end a pair,
# set its status to ended: it is never proposed again. To force or forbid a
# pair, use matching.locked / matching.forbidden in the program file.
# Everything else in this file is rewritten by the next run.
"""


def proposal_to_yaml(proposal: Proposal) -> str:
    """The proposal file's text: header comment, then deterministic YAML."""
    data: dict[str, Any] = {"program": proposal.program, "format": str(proposal.format.value),
                  "solver": proposal.solver, "summary": proposal.summary, "pairs": [], "unmatched": [],
                  "unused": [], "notes": list(proposal.notes)}
    for p in proposal.pairs:
        item: dict[str, Any] = {"mentee": p.mentee, "mentor": p.mentor, "status": PairStatus(p.status).value,
                      "score": _num(p.score)}
        for name in ("approved_on", "ended_on"):  # the pair's own clock: kept as the reviewer wrote it
            if (day := getattr(p, name)) is not None:
                item[name] = day.isoformat()
        if p.team is not None:
            item["team"] = p.team
        if p.rank is not None:
            item["rank"] = p.rank
        item["why"] = {k: _num(v) for k, v in p.why.items()}
        if p.reasons:
            item["reasons"] = dict(p.reasons)
        if p.fit is not None:
            item["fit"] = {k: v for k, v in p.fit.model_dump().items() if v not in (None, [], {})}
        if p.next_best:
            item["next_best"] = {k: (_num(v) if isinstance(v, float) else v) for k, v in p.next_best.items()}
        data["pairs"].append(item)
    data["unmatched"] = [{"mentee": u.mentee, "reason": u.reason}
                         | ({"would_match": u.would_match} if u.would_match else {}) for u in proposal.unmatched]
    data["unused"] = [{"mentor": u.mentor, "places": u.places, "reason": u.reason} for u in proposal.unused]
    if not data["unused"]:
        del data["unused"]
    if not data["notes"]:
        del data["notes"]
    return HEADER.format(program=proposal.program) + "\n" + dump_yaml(_plain(data))


def _num(x: float) -> float:
    """Scores are hundredths: round so binary noise never reaches the file."""
    return round(float(x), 2)


def _plain(x: object) -> object:
    """Plain Python types only (enums to strings), so the YAML has no tags."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if hasattr(x, "value") and not isinstance(x, (int, float, str, bool)):
        return x.value
    return x


def write_proposal(path: Path, proposal: Proposal) -> bool:
    """Write the proposal atomically (temporary file, then rename); return False if the file was already identical."""
    text = proposal_to_yaml(proposal)
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True


def save_proposal(root: Path, proposal: Proposal) -> tuple[str, bool]:
    """Write a program's proposal file in the repository: (its relative path, whether it changed)."""
    rel = layout.proposal_file(proposal.program)
    return rel, write_proposal(Path(root) / rel, proposal)


def parse_proposal(text: str, name: str = "proposal") -> Proposal:
    """A proposal from its file text (for `mentorkit diff` on files from any commit)."""
    from pydantic import ValidationError

    doc, problems = parse_yaml(text, name, typed=True)
    if problems or doc is None:
        raise MentorkitError(f"{name} is not a readable proposal: " + "; ".join(p.message for p in problems))
    try:
        return Proposal.model_validate(doc.data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise MentorkitError(f"{name} is not a valid proposal: {where}: {first['msg']}") from None


def read_proposal(path: Path) -> Proposal:
    path = Path(path)
    return parse_proposal(path.read_text(encoding="utf-8-sig"), str(path))


MAX_PROPOSAL_BYTES = 64 * 1024 * 1024  # far above any proposal the kit writes (10,000 pairs: under 10 MB)


def _no_link_on_the_way(root: Path, rel: str) -> str | None:
    """Why writing `rel` under `root` could land elsewhere: a link, or something other than a folder, on its path."""
    here = root
    parts = rel.split("/")
    for i, part in enumerate(parts):
        here = here / part
        if here.is_symlink():
            return f"{'/'.join(parts[:i + 1])} in the branch is a link: the proposal is not written through it"
        if here.exists() and i < len(parts) - 1 and not here.is_dir():
            return f"{'/'.join(parts[:i + 1])} in the branch is not a folder"
        if here.exists() and i == len(parts) - 1 and not here.is_file():
            return f"{rel} in the branch is not a plain file"
    return None


def _read_artifact(artifact: Path, root: Path) -> tuple[dict[str, str], list[str]]:
    """The artifact's proposal files as {relative path in the repository: text}, and what is wrong with it."""
    wrong: list[str] = []
    texts: dict[str, str] = {}
    if artifact.is_symlink() or not artifact.is_dir():
        return {}, [f"the artifact folder {artifact.name} is missing or a link"]
    with os.scandir(artifact) as entries:
        listing = sorted(entries, key=lambda e: e.name)
    if not listing:
        wrong.append("the artifact holds no proposal file")
    for entry in listing:
        name = entry.name
        if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
            wrong.append(f"{name} in the artifact is not a plain file")
            continue
        stem, suffix = os.path.splitext(name)
        program = root / layout.program_file(stem)
        if suffix != ".yaml" or program.is_symlink() or not program.is_file():
            wrong.append(f"{name} in the artifact is not the proposal of a program in {layout.PROGRAMS}/ of the branch")
            continue
        if entry.stat(follow_symlinks=False).st_size > MAX_PROPOSAL_BYTES:
            wrong.append(f"{name} in the artifact is over {MAX_PROPOSAL_BYTES:,} bytes")
            continue
        fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read()
        try:
            texts[layout.proposal_file(stem)] = raw.decode("utf-8")
        except UnicodeDecodeError:
            wrong.append(f"{name} in the artifact is not UTF-8 text")
    return texts, wrong


def receive_proposals(artifact: Path, root: Path) -> list[str]:
    """Check proposal files computed by the pull request's own code, then copy them by content into the branch.

    The propose workflow's privileged job runs none of the pull request's code. The artifact is unpacked into a
    fresh folder outside the branch's checkout (`artifact`); nothing there is trusted: anything but plain
    `<program>.yaml` files of the branch's programs is refused, as is a link on the way to where a proposal would be
    written in the branch (`root`). The files must validate as the branch's proposals (the branch is read with them
    laid over it, nothing written); only then is each one written by content, atomically. Returns what is wrong
    (nothing is written then), or an empty list once the files are in place.
    """
    artifact, root = Path(artifact), Path(root)
    texts, wrong = _read_artifact(artifact, root)
    for rel in texts:
        if (why := _no_link_on_the_way(root, rel)) is not None:
            wrong.append(why)
    if wrong:
        return wrong
    ws, report = read_workspace(root, overlay=texts)
    wrong += [p.one_line() for p in report.problems if p.file in texts]
    wrong += [f"{rel} does not read as the proposal of {Path(rel).stem}" for rel in texts
              if getattr(ws.proposals.get(Path(rel).stem), "program", None) != Path(rel).stem
              and not any(p.file == rel for p in report.problems)]
    if wrong:
        return wrong
    (root / layout.MATCHES).mkdir(parents=True, exist_ok=True)
    for rel, text in sorted(texts.items()):
        write_atomic(root / rel, text)
    return []
