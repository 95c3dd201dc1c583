"""Turn pydantic validation errors into Problems that point at YAML lines."""

from __future__ import annotations

import difflib
import types
import typing

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from .excerpt import excerpt
from .strict_yaml import YamlDoc, dotted

_CODES = {
    "missing": "missing-key",
    "extra_forbidden": "unknown-key",
    "string_pattern_mismatch": "invalid-format",
    "enum": "invalid-choice",
    "literal_error": "invalid-choice",
    "date_parsing": "invalid-date",
    "date_from_datetime_parsing": "invalid-date",
    "date_from_datetime_inexact": "invalid-date",
    "date_type": "invalid-date",
    "int_parsing": "wrong-type",
    "int_type": "wrong-type",
    "int_from_float": "wrong-type",
    "float_parsing": "wrong-type",
    "float_type": "wrong-type",
    "bool_parsing": "wrong-type",
    "bool_type": "wrong-type",
    "string_type": "wrong-type",
    "list_type": "wrong-type",
    "dict_type": "wrong-type",
    "model_type": "wrong-type",
    "model_attributes_type": "wrong-type",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
    "greater_than": "out-of-range",
    "less_than": "out-of-range",
    "too_short": "too-short",
    "too_long": "too-long",
    "string_too_short": "too-short",
    "string_too_long": "too-long",
}

_HINTS = {
    "invalid-date": "write dates as YYYY-MM-DD, e.g. 2026-03-01",
    "wrong-type": None,
    "missing-key": None,
}


def model_problems(exc: ValidationError, model: type[BaseModel], doc: YamlDoc, rel: str,
                   line_offset: int = 0) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        code = _CODES.get(err["type"], "invalid-value")
        hint = _HINTS.get(code)
        message = err["msg"]
        if code == "unknown-key":
            key = loc[-1]
            line, col = doc.locate(loc, key=True)
            known = sorted(_fields_at(model, loc[:-1]))
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            message = f"unknown key '{key}'"
            hint = f"did you mean '{close[0]}'?" if close else (f"allowed keys here: {', '.join(known)}" if known else None)
        elif code == "missing-key":
            line, col = doc.locate(loc[:-1], key=True)
            message = f"the required key '{loc[-1]}' is missing"
            hint = "add it; see the JSON Schema in schemas/ or the demo program for an example"
        else:
            line, col = doc.locate(loc)
            if "input" in err and not isinstance(err["input"], (dict, list)):
                message = f"{message} (found {excerpt(err['input'])})"
            if err["type"] == "value_error":
                message = message.removeprefix("Value error, ")
        problems.append(Problem(rel, code, message, line=line + line_offset if line else line, column=col,
                                field=dotted(loc), hint=hint))
    return problems


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> set[str]:
    """The keys a mapping at `loc` may hold (for 'did you mean')."""
    target: object = model
    for part in loc:
        target = _unwrap(target)
        if isinstance(target, type) and issubclass(target, BaseModel):
            if isinstance(part, str) and part in target.model_fields:
                target = target.model_fields[part].annotation
            else:
                return set()
        # list items (int parts) and dict values keep the item type
        elif isinstance(part, int):
            continue
    target = _unwrap(target)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return set(target.model_fields)
    return set()


def _unwrap(annotation: object) -> object:
    """Strip Optional / list / Annotated to reach a model class."""
    for _ in range(5):
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if args else annotation
        elif origin in (list, tuple, set):
            annotation = typing.get_args(annotation)[0]
        else:
            break
    return annotation
