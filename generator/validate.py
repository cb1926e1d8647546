"""Loaded YAML against the models: pydantic's errors become diagnostics at the field's line."""

from __future__ import annotations

import difflib
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, Position, error
from .load import PosDict, PosList


def locate(data: Any, loc: tuple[Any, ...], key: bool = False) -> Position | None:
    """Where the value at ``loc`` stands (its key, if ``key``), or the nearest parent."""
    node, pos = data, getattr(data, "pos", None)
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, PosDict) and isinstance(part, str) and part in node:
            pos = node.key_pos(part) if key and last else node.value_pos(part)
            node = node[part]
        elif isinstance(node, PosList) and isinstance(part, int) and 0 <= part < len(node):
            pos, node = node.item_pos(part), node[part]
        elif isinstance(node, PosDict) and isinstance(part, int):
            continue  # one mapping written where a list of them is allowed
        else:
            break
    return pos


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found:
            return found
    return None


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model class that validates the mapping at ``loc``."""
    for part in loc:
        if isinstance(part, str) and part in model.model_fields:
            inner = _model_in(model.model_fields[part].annotation)
            if inner is None:
                break
            model = inner
    return model


# Fields earlier versions of the model had: how to write them now.
MOVED = {
    ("Location", "coordinates"): "coordinates are now a geocode with its precision: "
                                 "geocode: {{latitude: {0}, longitude: {1}, precision: city}}",
}


def dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(err: Any, model: type[BaseModel]) -> tuple[str, str, str | None]:
    """(code, message, hint) for one pydantic error."""
    loc, kind = tuple(err["loc"]), err["type"]
    name = dotted(loc)
    if kind == "extra_forbidden":
        parent = model_at(model, loc[:-1])
        fields = list(parent.model_fields)
        if (parent.__name__, loc[-1]) in MOVED:
            given = err.get("input")
            values = given if isinstance(given, list) and len(given) == 2 else ["34.5", "69.2"]
            return "moved-field", f"'{name}' has moved", MOVED[(parent.__name__, loc[-1])].format(*values)
        close = difflib.get_close_matches(str(loc[-1]), fields, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(fields)}"
        return "unknown-field", f"unknown field '{name}'", hint
    if kind == "missing":
        return "missing-field", f"missing required field '{name}'", None
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type", "string_type"):
        given = err.get("input")
        what = {"list_type": "a list", "string_type": "text"}.get(kind, "a mapping")
        found = ("text" if isinstance(given, str) else "a list" if isinstance(given, list)
                 else "a mapping" if isinstance(given, dict) else "empty" if given is None
                 else type(given).__name__)
        advice = ("a sourced fact is written {value: ..., cite: [key]}"
                  if kind == "list_type" and isinstance(given, str) else None)
        return "wrong-type", f"'{name}' should be {what}, not {found}", advice
    message = err["msg"][0].lower() + err["msg"][1:]
    if kind == "string_pattern_mismatch":
        return "bad-id", f"'{name}': '{err['input']}' is not an id", "ids are lowercase letters, digits and hyphens"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        allowed = [e.strip("' ") for e in expected.replace(" or ", ",").split(",")]
        close = difflib.get_close_matches(str(err.get("input")), allowed, n=1)
        return "bad-value", f"'{name}': {message}", f"did you mean '{close[0]}'?" if close else None
    if kind.startswith("value_error") or "date" in kind:
        return "bad-value", f"'{name}': {message.removeprefix('value error, ')}", None
    return "wrong-type" if kind.endswith("_type") or "parsing" in kind else "bad-value", f"'{name}': {message}", None


def validate(data: Any, model: type[BaseModel], path: str) -> tuple[Any, list[Diagnostic]]:
    """The model instance, or None and a diagnostic for every problem in the file."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "text" if isinstance(data, str) else "empty"
        pos = getattr(data, "pos", None) or Position(path)
        return None, [error(pos, "wrong-shape", f"a record is a mapping of fields, not {kind}")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        diagnostics = []
        for err in exc.errors():
            code, message, hint = _message(err, model)
            pos = locate(data, tuple(err["loc"]), key=code in ("unknown-field", "moved-field")) or Position(path)
            diagnostics.append(error(pos, code, message, hint))
        return None, diagnostics


