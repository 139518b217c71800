"""Strict parsing at the edge, with one readable line per problem.

Every message names the field and what is allowed, worked out from the model's own JSON Schema so
that the constraint and its description can never drift apart.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)

M = TypeVar("M", bound=BaseModel)


class InputError(ValueError):
    """Input that cannot be accepted; ``problems`` holds one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_json(model: type[M], text: str | bytes) -> M:
    """Validate JSON text against ``model``, raising InputError with readable problems."""
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        raise InputError(describe_errors(model, exc)) from None


def parse_obj(model: type[M], data: object) -> M:
    """Validate already-decoded JSON data (dicts, lists, str, int, bool, None) against ``model``."""
    try:
        return model.model_validate_json(json.dumps(data))
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise InputError(describe_errors(model, exc)) from None
        raise InputError([f"input: cannot be read as JSON ({exc})"]) from None


def describe_errors(model: type[BaseModel], exc: ValidationError) -> list[str]:
    schema = _schema(model)
    lines: list[str] = []
    for error in exc.errors(include_url=False):
        line = _describe(schema, tuple(error["loc"]), error)
        if line not in lines:
            lines.append(line)
    return lines


@cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def _describe(root: dict[str, Any], loc: tuple[int | str, ...], error: Any) -> str:
    kind = error["type"]
    if kind == "json_invalid":
        return f"input: is not valid JSON ({error['ctx'].get('error', 'syntax error')})"
    path = _path(loc) or "input"
    if kind == "value_error":
        return f"{path}: {error['ctx']['error']}"
    if not loc:
        return f"input: must be {_allowed(root, root)}"
    if kind == "extra_forbidden":
        parent = _resolve(root, root, loc[:-1])
        known = sorted((parent or {}).get("properties", {}))
        hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
        suffix = f" (did you mean {hint[0]}?)" if hint else ""
        return f"{path}: unknown field{suffix}"
    allowed = _allowed(root, _resolve(root, root, loc))
    if kind == "missing":
        return f"{path}: is required and must be {allowed}" if allowed else f"{path}: is required"
    if allowed:
        return f"{path}: must be {allowed}"
    return f"{path}: {error['msg'].lower()}"


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _deref(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _resolve(
    root: dict[str, Any], node: dict[str, Any] | None, loc: tuple[int | str, ...]
) -> dict[str, Any] | None:
    for part in loc:
        if node is None:
            return None
        node = _deref(root, node)
        options = node.get("anyOf")
        if options:
            node = next((o for o in options if o.get("type") != "null"), None)
            if node is None:
                return None
            node = _deref(root, node)
        key = "items" if isinstance(part, int) else None
        node = node.get("items") if key else node.get("properties", {}).get(part)
    return None if node is None else _deref(root, node)


def _allowed(root: dict[str, Any], node: dict[str, Any] | None) -> str:
    if node is None:
        return ""
    options = node.get("anyOf")
    if options:
        real = [_allowed(root, _deref(root, o)) for o in options if o.get("type") != "null"]
        nullable = any(o.get("type") == "null" for o in options)
        return " or ".join([*real, "null"] if nullable else real)
    if "enum" in node or "const" in node:
        values = node.get("enum", [node.get("const")])
        return "one of " + ", ".join(json.dumps(v) for v in values)
    kind = node.get("type")
    if kind == "boolean":
        return "true or false"
    if kind in ("integer", "number"):
        noun = "an integer" if kind == "integer" else "a number"
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f"{noun} from {_num(low)} to {_num(high)}"
        if low is not None:
            return f"{noun} of {_num(low)} or more"
        return noun
    if kind == "string":
        return _string_rule(node)
    if kind == "array":
        return _array_rule(root, node)
    if kind == "object":
        return "a JSON object"
    return ""


def _string_rule(node: dict[str, Any]) -> str:
    if node.get("format") == "date":
        return "a date as YYYY-MM-DD"
    low, high = node.get("minLength"), node.get("maxLength")
    if low and high:
        return f"text of {low} to {high} characters"
    if high:
        return f"text of at most {high} characters"
    return "text"


def _array_rule(root: dict[str, Any], node: dict[str, Any]) -> str:
    item = _allowed(root, _deref(root, node.get("items", {}))) or "items"
    low, high = node.get("minItems"), node.get("maxItems")
    if low is not None and high is not None:
        return f"a list of {low} to {high} items, each {item}"
    if high is not None:
        return f"a list of at most {high} items, each {item}"
    return f"a list, each item {item}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
