"""Writing the YAML files the kit writes itself (match proposals): the events straight to libyaml's emitter.

`yaml.dump` spends most of a 10,000-pair proposal in PyYAML's Python representer
and serializer (a node per value, the implicit resolver on every scalar). Here the
data become events directly, each distinct scalar's event made once (a proposal
repeats its pseudonyms and phrases thousands of times), and libyaml's emitter
writes them: the same bytes as `yaml.dump` with the safe representer (no aliases,
keys in the order given, wide lines), which `tests/test_proposals.py` compares on
every kind of value. Without libyaml, PyYAML's own emitter takes the same events.

Why not `yaml.dump` itself: it writes the same bytes several times slower on a large proposal, even with
libyaml's dumper; `bench/bench_yaml.py` prints both timings and checks the bytes are the same.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import yaml

_BASE: type[yaml.SafeDumper | yaml.CSafeDumper] = (yaml.CSafeDumper if getattr(yaml, "__with_libyaml__", False)
                                                     else yaml.SafeDumper)
_STR, _NULL, _BOOL, _INT, _FLOAT, _TIME = (f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float",
                                                                           "timestamp"))
_resolver = yaml.resolver.Resolver()
_resolve: Callable[[str, tuple[bool, bool]], str] = functools.partial(_resolver.resolve, yaml.ScalarNode)  # untyped in the stubs


@functools.lru_cache(maxsize=65536)
def _scalar(tag: str, value: str) -> yaml.ScalarEvent:
    """The scalar's event, the serializer's way: may it go plain (it reads back as `tag`), or quoted. Cached:
    the emitter only reads an event, and a proposal repeats its pseudonyms and phrases thousands of times."""
    implicit = (tag == _resolve(value, (True, False)), tag == _resolve(value, (False, True)))
    return yaml.ScalarEvent(None, tag, implicit, value)


_MAP_START = yaml.MappingStartEvent(None, "tag:yaml.org,2002:map", True, flow_style=False)
_MAP_END = yaml.MappingEndEvent()
_SEQ_START = yaml.SequenceStartEvent(None, "tag:yaml.org,2002:seq", True, flow_style=False)
_SEQ_END = yaml.SequenceEndEvent()


def _float(x: float) -> str:
    """As `SafeRepresenter.represent_float` writes it (a proposal's scores repeat: cached, but for zero, whose
    sign a cache keyed on equal floats would lose)."""
    return _float_text(x) if x else _float_uncached(x)


@functools.lru_cache(maxsize=65536)
def _float_text(x: float) -> str:
    return _float_uncached(x)


def _float_uncached(x: float) -> str:
    if x != x:
        return ".nan"
    if x in (float("inf"), float("-inf")):
        return ".inf" if x > 0 else "-.inf"
    value = repr(x).lower()
    if "." not in value and "e" in value:
        value = value.replace("e", ".0e", 1)
    return value


def _events(data: object, out: list[yaml.Event]) -> None:
    kind = type(data)  # the common exact types first: a proposal is mostly strings and floats
    if kind is str:
        out.append(_scalar(_STR, data))
        return
    if kind is float:
        out.append(_scalar(_FLOAT, _float(data)))  # type: ignore[arg-type]
        return
    if isinstance(data, dict):
        out.append(_MAP_START)
        for k, v in data.items():
            _events(k, out)
            _events(v, out)
        out.append(_MAP_END)
    elif isinstance(data, list):
        out.append(_SEQ_START)
        for v in data:
            _events(v, out)
        out.append(_SEQ_END)
    else:
        if data is None:
            tag, value = _NULL, "null"
        elif isinstance(data, bool):
            tag, value = _BOOL, "true" if data else "false"
        elif isinstance(data, int):
            tag, value = _INT, str(data)
        elif isinstance(data, float):
            tag, value = _FLOAT, _float(data)
        elif isinstance(data, str):
            tag, value = _STR, data
        elif isinstance(data, dt.datetime):
            tag, value = _TIME, data.isoformat(" ")
        elif isinstance(data, dt.date):
            tag, value = _TIME, data.isoformat()
        else:
            raise yaml.representer.RepresenterError("cannot represent an object", data)
        out.append(_scalar(tag, value))


def dump_yaml(data: object) -> str:
    """Deterministic YAML for files the kit writes (key order as given, no aliases, wide lines)."""
    E = yaml.events
    events = [E.StreamStartEvent(), E.DocumentStartEvent(explicit=False)]
    _events(data, events)
    events += [E.DocumentEndEvent(explicit=False), E.StreamEndEvent()]
    text: str = yaml.emit(events, Dumper=_BASE, allow_unicode=True, width=120)
    return text
