"""repo/strict_yaml.py against a table of cases: each input, the data, positions and problems it reads as.

The table (tests/data/yaml_cases/expected.json) was recorded once from the reader as it was, and is
data, not code: a reader that differs on any case, with either parser, fails here. An entry holds the
outcome for both parsers ("both") or, where they differ (libyaml accepts a tab after a value, the
pure-Python parser does not), one per parser. Each outcome: the problems (code, line, column, field,
message, hint), and for a readable document its data, positions and key positions; "text" is the
reading of the file as people write it, "typed" as the kit reads its own proposals.

Entries changed on purpose since the recording (each a simpler rule, not a lost refusal):
- aliases: the first alias in the file is refused wherever it is (before: the first node read twice, so
  an alias of a value never read, such as a duplicate key's, was read once, and an alias as a key read
  as that key): "alias as key", "alias of a complex key", "alias of a key as value", "alias of a refused
  value", "alias read once", generated 35 and 516; "alias deepens a node" is refused as an alias (an alias
  is not expanded to measure its depth).
- tests/data/bad/yaml-deep-nesting with the pure-Python parser: too deep where libyaml says (line 28),
  not at line 1 (the pure-Python composer used to run out of stack).
- "surrogate" with libyaml: the pure-Python parser's syntax problem, as without libyaml (it raised
  UnicodeEncodeError; text decoded from a file never holds a lone surrogate).
- "1e3" read typed stays a text (it was 1000.0): PyYAML, which writes the kit's files, has no float without a
  dot and leaves "1e3" plain, so a text written so came back a number ("core numbers", generated 4, 38, 340, 560).

Also here: every YAML file of the repository reads as PyYAML's own loader reads it, and a large proposal
written by the kit reads back as the data written.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from mentorkit.repo import strict_yaml
from mentorkit.repo.strict_yaml import decode_text, parse_yaml
from mentorkit.repo.yaml_writer import dump_yaml

REPO = Path(__file__).resolve().parent.parent
CASES = json.loads((REPO / "tests" / "data" / "yaml_cases" / "expected.json").read_text(encoding="utf-8"))
LIBYAML = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else None
LOADERS = ["python", pytest.param("libyaml", marks=pytest.mark.skipif(LIBYAML is None, reason="no libyaml"))]


def files_param(rel: str) -> object:
    """A fixture file as a test parameter; 1,000 levels of brackets take the pure-Python scanner over a second
    (its look for simple keys is quadratic in the nesting), so that file waits for the full run."""
    return pytest.param(rel, marks=pytest.mark.slow) if "deep-nesting" in rel else rel


@pytest.fixture(params=LOADERS)
def loader(request, monkeypatch):
    """The parser the reader walks: libyaml's when PyYAML has it, else the pure-Python one."""
    monkeypatch.setattr(strict_yaml, "FAST_LOADER", LIBYAML if request.param == "libyaml" else None)
    return request.param


def outcome(text: str, typed: bool) -> dict:
    """Everything a caller sees, in the table's form: problems, and data with both position tables."""
    try:
        doc, problems = parse_yaml(text, "program/x.yaml", typed)
    except Exception as exc:  # an exception is an outcome too (the table holds none)
        return {"raised": type(exc).__name__}
    seen: dict = {"problems": [{k: v for k, v in (("code", p.code), ("line", p.line), ("column", p.column),
                                                  ("field", p.field), ("message", p.message), ("hint", p.hint))
                                if v is not None} for p in problems]}
    if doc is not None:
        seen["data"] = doc.data
        seen["positions"] = [[list(k), *v] for k, v in doc.positions.items()]
        seen["key_positions"] = [[list(k), *v] for k, v in doc.key_positions.items()]
    return json.loads(json.dumps(seen))  # as the table holds it: tuples as lists


def _types(value: object) -> object:
    """The types of the data too: 1 == 1.0 == True would hide a wrong conversion."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def assert_recorded(kind: str, name: str, text: str, loader: str) -> dict:
    """The outcomes of `text` equal the table's, data types included; returns them."""
    entry = CASES[kind][name]
    expected = entry.get("both") or entry[loader]
    for reading, want in expected.items():
        got = outcome(text, reading == "typed")
        assert got == want, f"{kind} {name!r} ({reading}, {loader}): {text[:200]!r}"
        assert _types(got.get("data")) == _types(want.get("data"))
    return expected




# --- hand-written hostile and ordinary snippets ----------------------------------------------------------------------

DEEP_FLOW = "a: " + "[" * 40 + "x" + "]" * 40 + "\n"
DEEP_BLOCK = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n"
SNIPPETS = {
    # plain reading and positions
    "mapping": "a: 1\nb: two\nc:\n  - x\n  - y: z\n    w: [1, {q: r}]\n",
    "sequence root": "- b\n- a\n- - nested\n  - list\n",
    "scalar root": "just text\n",
    "quoted styles": "a: 'single'\nb: \"double\"\nc: |\n  literal\n  block\nd: >\n  folded\n  text\ne: plain  text\n",
    "null forms": "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: 'null'\ng: ''\nh: \"~\"\ni: nULL\n",
    "core numbers": "a: 0123\nb: 1e3\nc: +1\nd: -.5\ne: .inf\nf: 1_000\ng: 0x1F\nh: True\ni: FALSE\nj: yes\nk: 12:30\n"
                    "l: 2026-01-01\nm: '12'\nn: 1.\no: -0\np: 1e\nq: +.5e-3\nr: \"1\"\n",
    "keys stay text": "1: a\ntrue: b\n2026-01-01: c\n~: d\nnull: e\n'': f\n",
    "unicode": "wie: Grüße über\nä: ö\nemoji: \U0001f469\u200d\U0001f4bb\nzwnj: a\u200cb\n",
    "flow": "a: {x: 1, y: [a, b], z: {p: q}}\nb: [a: b, c]\nc: {a, b}\nd: []\ne: {}\n",
    "flow multi-line": "a: [one,\n  two, three\n  ]\nb: {x: 1,\n  y: 2}\n",
    "empty key": "? \n: x\n",
    "flow empty key": "{: x}\n",
    "block scalar key": "? |\n  block\n: v\n",
    "crlf": "a: 1\r\nb:\r\n  c: d\r\n",
    "bom inside": "\ufeffa: 1\n",
    "document markers": "---\na: 1\n...\n",
    "explicit empty document": "---\n",
    "bare document end": "...\n",
    "directives": "%YAML 1.1\n---\na: 1\n",
    "tag directive": "%TAG !e! tag:example.com,2000:\n---\na: !e!foo x\nb: 1\n",
    # duplicate keys
    "duplicate keys": "a: 1\nb:\n  c: 2\n  c: 3\na: 4\n",
    "duplicate in list items": "items:\n  - id: a\n    id: b\n  - id: c\n",
    "duplicate quoted": "a: 1\n'a': 2\n\"a\": 3\n",
    "duplicate flow": "{a: 1, a: 2}\n",
    "duplicate with nested value": "a: {x: 1}\na: {y: [1, 2, 3]}\nb: 2\n",
    # aliases and anchors
    "anchor without alias": "a: &x [1, 2]\nb: 3\nc: &y {p: q}\n",
    "anchor on a key": "&k a: 1\nb: 2\n",
    "alias": "a: &x [1, 2]\nb: *x\n",
    "alias of a scalar": "a: &x 1\nb: *x\n",
    "alias bomb": "a: &a [lol, lol]\nb: &b [*a, *a]\nc: &c [*b, *b]\n",
    "alias as key": "&a x: 1\n*a : 2\n",
    "alias of a key as value": "&a x: 1\ny: *a\nz: *a\n",
    "alias of a refused value": "a: 1\na: &x 2\nb: *x\nc: *x\n",
    "alias read once": "a: 1\na: &x 2\nb: *x\n",
    "alias of a complex key": "? &k [1, 2]\n: v\nb: *k\n",
    "recursive alias": "a: &x [1, *x]\n",
    "undefined alias": "a: *nope\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\n",
    "duplicate anchor and alias": "a: &x 1\nb: &x 2\nc: *x\n",
    "alias in a refused value": "a: 1\na: [*x]\n",
    "alias with cut values": "a: &x one #cut\nb: two #cut\nc: *x\n",
    "alias inside flow": "a: &x {p: q}\nb: [*x, *x]\n",
    "alias and too deep": "a: &x 1\nb: *x\n" + DEEP_FLOW.replace("a:", "c:"),
    "alias deepens a node": "a: &x " + "[" * 30 + "y" + "]" * 30 + "\nb: " + "[" * 5 + "*x" + "]" * 5 + "\n",
    # tags
    "tags": "a: !!python/object:os.system x\nb: !custom y\nc: !!str 5\nd: !!binary aGVsbG8=\ne: !!int abc\n",
    "non-specific tag": "a: ! 5\nb: ! =\nc: ! \"<<\"\nd: ! '&'\ne: ! \"<<\\n\"\nf: ! x\n",
    "resolved odd values": "a: =\nb: <<\nc: '='\nd: <<x\ne: \"<<\"\n",
    "tagged collections": "a: !!map {x: 1}\nb: !!seq [1]\nc: !!set {p, q}\nd: !custom {x: !!str 1}\n",
    "verbatim tag": "a: !<tag:yaml.org,2002:str> x\nb: !<tag:example.com:x> y\n",
    "tag on a key": "!!python/object x: 1\n!!str y: 2\n",
    "tagged null": "a: !!null ''\nb: !!str null\nc: !!str\n",
    # depth
    "deep flow": DEEP_FLOW,
    "deep block": DEEP_BLOCK,
    "deep at the limit": "a: " + "[" * 31 + "x" + "]" * 31 + "\n",
    "deep just over": "a: " + "[" * 32 + "x" + "]" * 32 + "\n",
    "deep empty": "a: " + "[" * 33 + "]" * 33 + "\n",
    "two deep branches": "a: " + "[" * 35 + "x, y" + "]" * 35 + "\nb: " + "{q: " * 34 + "z" + "}" * 34 + "\n",
    "deep inside a refused value": "a: 1\na: " + "[" * 40 + "]" * 40 + "\n",
    "deep inside a complex key": "? " + "[" * 40 + "]" * 40 + "\n: v\n",
    "deep keys": "a: " + "{k: " * 33 + "v" + "}" * 33 + "\n",
    "deep hundred": "a: " + "[" * 100 + "]" * 100 + "\n",
    # cut values
    "cut value": "how: Post in #mentoring\nquoted: \"Post in #x\"\njoined: a#b\nspaced: a # a real comment\n",
    "several cut values": "a: one #x\nb:\n  - two #y\n  - three\t#z\nc: {p: four #w\n  }\n",
    "cut key": "a #b: c\nd: e\n",
    "cut in a refused value": "a: 1\na: two #cut\nb: three #cut\n",
    "cut in a complex key": "? [one #cut\n  ]\n: v\n",
    "cut at the end": "a: b #c",
    "cut with a vertical tab": "a: b\x0bc: d #e\nf: g #h\n",
    "cut with a line separator": "a: b\u2028c #d\ne: f #g\n",
    "comment lines only": "# one\n#two\n  #three\n",
    # hidden characters and long values
    "zero-width": "a: x\u200by\nb: ok\n",
    "bidi": "title: \u202eevil\n",
    "hidden key": "ke\u200by: 1\nb: 2\n",
    "soft hyphen": "a: soft\u00adhyphen\n",
    "long value": "a: " + "x" * 10_001 + "\nb: " + "y" * 10_000 + "\n",
    "long quoted value": "a: '" + "\u00e9" * 10_001 + "'\n",
    "long key": "k" * 101 + ": 1\n" + "j" * 100 + ": 2\n",
    "long hidden": "a: " + "\u200b" * 10_001 + "\n",
    "hidden duplicate key": "a\u200b: 1\na\u200b: 2\n",
    # merge and complex keys
    "merge key": "base: {x: 1}\nmore:\n  <<: {y: 2}\n  z: 3\n",
    "quoted merge key": "\"<<\": x\n",
    "merge key twice": "<<: a\n<<: b\n",
    "complex key": "? [a, b]\n: c\n",
    "complex mapping key": "? {a: 1}\n: c\nd: e\n",
    "flow complex key": "[a]: b\n",
    # several documents
    "two documents": "a: 1\n---\nb: 2\n",
    "two empty documents": "---\n---\n",
    "document then error": "a: 1\n---\nb: [\n",
    "document then deep": "a: 1\n---\n" + DEEP_FLOW,
    "deep then document": DEEP_FLOW + "---\nb: 1\n",
    "document then alias": "a: &x 1\n---\nb: *x\n",
    # empty and syntax errors
    "empty": "",
    "blank": "   \n\n",
    "comment": "# only a comment\n",
    "tab indentation": "a:\n\tb: 1\n",
    "tab line": "a:\n  b: 1\n\t\n",
    "tab value": "a:\t1\nb: 2\t# c\n",
    "mapping values error": "title: x\na: b: c\n",
    "unclosed flow": "a: [1, 2\nb: 3\n",
    "unclosed mapping": "a: 1\nb: 2\nc: {x: 1\n" + "".join(f"k{i}: {i}\n" for i in range(11)),
    "unclosed double quote": "a: 1\nb: \"never closed\nc: 2\n",
    "unclosed single quote": "a: 'x\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "nul": "a: \x00\n",
    "nel": "a: b\x85c: d\n",
    "surrogate": "a: \ud800\n",
    "error after cut": "a: b #c\nd: [\n",
    "error after alias": "a: &x 1\nb: *x\nc: [\n",
}


def test_the_table_covers_every_snippet_and_no_more():
    assert sorted(CASES["snippet"]) == sorted(SNIPPETS)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippets_read_as_recorded(name, loader):
    assert_recorded("snippet", name, SNIPPETS[name], loader)


def test_the_table_reaches_every_outcome():
    """The table covers what matters: each refusal occurs, so a reader that missed one would differ."""
    codes = {p["code"] for entry in CASES["snippet"].values() for outcomes in entry.values()
             for o in outcomes.values() for p in o.get("problems", [])}
    assert codes >= {"yaml-syntax", "duplicate-key", "yaml-alias", "yaml-tag", "yaml-cut-value", "too-deep",
                     "value-too-long", "invisible-character", "empty-file"}
    readable = [name for name, entry in CASES["snippet"].items() if "data" in (entry.get("both") or entry["libyaml"])["text"]]
    assert "anchor without alias" in readable and "duplicate keys" in readable and "alias" not in readable


# --- generated snippets ----------------------------------------------------------------------------------------------

_VALUES = ["a", "b c", "'q'", '"d"', "1", "0.5", "1e3", "true", "~", "null", "", "x #c", "x # c", "!!str s", "!t u", "! =",
           "=", "<<", "y\u200bz", "Grüße", "l" * 12, "'a #b'", "|\n{i}  block\n{i}  text", ">\n{i}  folded", "&A v", "*A",
           "*B", "&B w", "!!int 7", "!!binary aGk=", "0123", "-1", "+.5", "'x'  #c", "[]", "{}", "[a, b]", "{k: v, k: w}",
           "[a: b]", "{x}", "&C [p, *A]", "x\t#y", "! '<<'", "\u00ad", "k" * 101, "[1, [2, {a: b}]]", "{a: [1], b: {c: d}}"]
_KEYS = ["a", "b", "a", "'a'", "<<", "? [x]", "k\u200b", "1", "~", "!!str t", "&K kk", "*K", '"q q"', "z #c", "j" * 101, ""]


def generated(seed: int) -> str:
    """A document of random shape from hostile pieces: about half of them valid YAML, the rest refused somewhere."""
    rng = random.Random(seed)

    def node(depth: int, indent: str) -> tuple[str, list[str]]:
        if rng.random() < 0.45 or depth > rng.choice([3, 5, 36]):
            return " " + rng.choice(_VALUES).replace("{i}", indent), []
        if rng.random() < 0.1:
            return " " + "[" * depth + "x" + "]" * depth, []
        lines: list[str] = []
        sequence = rng.random() < 0.5
        for _ in range(rng.randrange(1, 4)):
            head, body = node(depth + 1, indent + "  ")
            key = rng.choice(_KEYS)
            if sequence:
                lines.append(f"{indent}-{head}")
            elif key.startswith("? "):
                lines += [f"{indent}{key}", f"{indent}:{head}"]
            else:
                lines.append(f"{indent}{key}:{head}")
            lines += body
        return rng.choice(["", "", "", " &A", " &B", " !!map", " !x"]), lines

    head, lines = node(0, "")
    start = f"--- {head.strip()}\n" if head.strip() else ""
    return start + "\n".join(lines) + rng.choice(["\n", "", "\n---\na: 1\n", "\n# end\n"])


@pytest.mark.parametrize("block", range(4))
def test_generated_documents_read_as_recorded(block, loader):
    results = [assert_recorded("generated", str(seed), generated(seed), loader)
               for seed in range(block * 150, block * 150 + 150)]
    readable = sum("data" in next(iter(r.values())) for r in results)
    assert readable > 40 and readable < 150


# --- the fixture files of the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", [files_param(rel) for rel in sorted(CASES["file"])])
def test_fixture_files_read_as_recorded(rel, loader):
    text, problems = decode_text((REPO / rel).read_bytes(), rel, "")
    assert text is not None, problems
    assert_recorded("file", rel, text, loader)


def test_the_table_holds_the_hostile_fixture_files():
    assert any("yaml-alias-bomb" in rel for rel in CASES["file"]) and any("yaml-deep-nesting" in rel for rel in CASES["file"])


# --- the table can fail ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["no odd first characters", "no cut check", "other depth", "keys not checked"])
def test_a_broken_reader_is_told_apart(change, loader, monkeypatch):
    """Break one rule of the reader: the table must notice."""
    if change == "no odd first characters":
        monkeypatch.setattr(strict_yaml, "_ODD_FIRST", frozenset())
        name = "resolved odd values"
    elif change == "no cut check":
        monkeypatch.setattr(strict_yaml, "_CUT_ANYWHERE", re.compile("(?!)"))
        name = "cut value"
    elif change == "other depth":
        monkeypatch.setattr(strict_yaml, "MAX_DEPTH", 33)
        name = "deep just over"
    else:
        monkeypatch.setattr(strict_yaml, "MAX_KEY_CHARS", 1000)
        name = "long key"
    with pytest.raises(AssertionError):
        assert_recorded("snippet", name, SNIPPETS[name], loader)


# --- as PyYAML reads it ----------------------------------------------------------------------------------------------


def repo_yaml_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "*.yaml", "*.yml"], cwd=REPO, capture_output=True, text=True,
                            check=False).stdout.split()
    data = [str(p.relative_to(REPO)) for p in (REPO / "tests" / "data").rglob("*") if p.suffix in (".yaml", ".yml")]
    return sorted(set(listed) | set(data))


def _plain(value: object) -> object:
    """Data with every null form as None: the strict reader reads a plain `~` as None, PyYAML's base loader as '~'."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return None if value is None or value in ("", "~", "null", "Null", "NULL") else value


def assert_as_pyyaml_reads(text: str, loader: str) -> bool:
    """A document read without problems holds what PyYAML's base loader (no implicit types) reads; whether it was.

    The base loader on the same parser: libyaml accepts a tab after a value, the pure-Python parser does not.
    """
    doc, problems = parse_yaml(text, "x.yaml")
    if doc is None or problems:
        return False
    base = yaml.CBaseLoader if loader == "libyaml" else yaml.BaseLoader
    assert _plain(doc.data) == _plain(yaml.load(text, Loader=base)), text[:200]
    return True


def test_the_repository_has_yaml_files_to_compare():
    files = repo_yaml_files()
    assert len(files) > 40 and any(f.startswith("participants/matches/") for f in files)


@pytest.mark.parametrize("rel", [files_param(rel) for rel in repo_yaml_files()])
def test_every_yaml_file_of_the_repository_reads_as_pyyaml_reads_it(rel, loader):
    text, problems = decode_text((REPO / rel).read_bytes(), rel, "")
    if text is None:  # refused before parsing (the encoding fixtures)
        assert problems
        return
    assert_as_pyyaml_reads(text, loader)


def test_every_readable_case_reads_as_pyyaml_reads_it(loader):
    texts = list(SNIPPETS.values()) + [generated(seed) for seed in range(600)]
    assert sum(assert_as_pyyaml_reads(text, loader) for text in texts) > 200


# --- a large proposal-like document ---------------------------------------------------------------------------------

def proposal_like(pairs: int) -> str:
    """A proposal's shape, written by dump_yaml as the kit writes it: nested mappings, lists, numbers, text."""
    rng = random.Random(7)
    data: dict = {"program": "grow", "format": "one-to-one", "solver": {"status": "optimal", "objective": {"matched": pairs}},
                  "summary": {"mentees": pairs, "match_rate": 1.0, "approved": 3, "ok": True, "none": None}, "pairs": []}
    for i in range(pairs):
        data["pairs"].append({
            "mentee": f"mk-{i:08x}", "mentor": f"mk-{rng.randrange(16**8):08x}", "status": rng.choice(["proposed", "approved"]),
            "score": round(rng.uniform(0, 100), 2), "rank": rng.randrange(1, 5),
            "why": {"skills": rng.choice([0.0, 15.0, 30.0]), "goals": 5.0, "level": rng.choice([0, 10, 7.5])},
            "reasons": {"skills": "offers financial-acumen; stakeholder-management through influencing",
                        "goals": "both want network-building: 'quoted' #tag", "level": "level gap 3 (ideal 2)"},
            "fit": {"skills": ["financial-acumen", "0123", "1e3", "yes", "null", "~", ""], "languages": ["en", "de"],
                    "shared_hours": 8.0, "shared_hours_utc": "08:00-16:00", "meet": ["in-person at berlin-office"]},
            "next_best": {"mentor": f"mk-{i + 1:08x}", "score": 61.5, "taken": rng.random() < 0.5},
            "notes": "Grüße über die Straße" if i % 7 == 0 else None})
    return "# Match proposal, written for the test\n\n" + dump_yaml(data)


@pytest.mark.parametrize("typed", [True, False])
def test_a_large_proposal_reads_back_as_written(loader, typed):
    pairs = 300 if loader == "libyaml" else 60  # the pure-Python parser is slow
    text = proposal_like(pairs)
    doc, problems = parse_yaml(text, "participants/matches/x.yaml", typed)
    assert problems == [] and doc is not None and len(doc.data["pairs"]) == pairs
    summary = {"mentees": pairs, "match_rate": 1.0, "approved": 3, "ok": True, "none": None}
    if typed:  # numbers and true/false as written
        assert doc.data["summary"] == summary and _types(doc.data["summary"]) == _types(summary)
    else:
        assert doc.data["summary"] == {k: None if v is None else str(v).lower() for k, v in summary.items()}
        assert _plain(doc.data) == _plain(yaml.load(text, Loader=yaml.BaseLoader))
    assert len(doc.positions) > pairs * 20
    assert doc.positions[("pairs", pairs - 1, "mentee")] == (text.splitlines().index(f"- mentee: mk-{pairs - 1:08x}") + 1, 11)
