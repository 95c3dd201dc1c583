"""Front matter: the YAML block between a first line `---` and the next `---` (or `...`) that opens a Markdown file.

The one splitter of agendas, themes files, e-mail templates and the site's hand-written pages. It accepts
`...` as the closing line as YAML and MkDocs do.
"""

from __future__ import annotations

from dataclasses import dataclass

FENCE = "---"
CLOSERS = ("---", "...")


@dataclass(frozen=True)
class FrontMatter:
    head: str  # the fences and the YAML between them, as written
    yaml: str  # the lines between the fences
    body: str  # everything after the closing fence
    body_line: int  # the file's line number of the body's first line (1-based)


def split_front_matter(text: str) -> FrontMatter | None:
    """The front matter and body of `text`, or None if it does not open with front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != FENCE:
        return None
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in CLOSERS), None)
    if end is None:
        return None
    return FrontMatter("".join(lines[: end + 1]), "".join(lines[1:end]), "".join(lines[end + 1:]), end + 2)
