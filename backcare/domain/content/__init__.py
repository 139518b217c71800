"""Reviewed clinical content, shipped as TOML inside the package.

Code interprets these files; the words and the sources a person sees live in them. Each file is read
once per process and never changes at run time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def read(name: str) -> dict[str, Any]:
    """The parsed content file ``<name>.toml``."""
    text = files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    short: str
    citation: str
    kind: str
    scope: tuple[str, ...]  # the kinds of claim this source may be cited for
    scope_note: str


@cache
def sources() -> Mapping[str, Source]:
    return {
        key: Source(id=key, **{**value, "scope": tuple(value["scope"])})
        for key, value in read("sources").items()
    }


def cite(ids: Iterable[str]) -> str:
    """The short, human-readable form of a list of source ids, as shown beside a recommendation."""
    known = sources()
    return "; ".join(known[i].short for i in ids)
