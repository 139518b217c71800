"""Regions: the emergency number a person calls, and their health advice line where one exists.

Reviewed content in content/regions.toml. Every emergency and urgent instruction shows the person's
own numbers, so an Australian reader is told 000, a British one 999 and NHS 111.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, Field

from backcare.domain import content
from backcare.domain.validation import STRICT


class _RegionContent(BaseModel):
    model_config = STRICT

    name: str
    emergency: str = Field(pattern=r"^[0-9]{3}$")
    emergency_note: str = ""
    advice_line: str = ""
    advice_number: str = Field(default="", pattern=r"^([0-9 ]{3,16})?$")
    advice_note: str = ""
    sources: list[str] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    emergency: str
    emergency_note: str
    advice_line: str  # a name such as "NHS 111", or "" where the region has none
    advice_number: str
    advice_note: str
    source_ids: tuple[str, ...]

    @property
    def source(self) -> str:
        return content.cite(self.source_ids)

    @property
    def emergency_tel(self) -> str:
        return "tel:" + self.emergency

    @property
    def advice_tel(self) -> str:
        return "tel:" + self.advice_number.replace(" ", "") if self.advice_number else ""


@cache
def regions() -> Mapping[str, Region]:
    out = {}
    for code, raw in content.read("regions").items():
        item = _RegionContent.model_validate(raw)
        out[code] = Region(
            code=code,
            name=item.name,
            emergency=item.emergency,
            emergency_note=item.emergency_note,
            advice_line=item.advice_line,
            advice_number=item.advice_number,
            advice_note=item.advice_note,
            source_ids=tuple(item.sources),
        )
    return out


def region(code: str) -> Region:
    """The region for `code` (case-insensitive); KeyError for an unknown one."""
    return regions()[code.upper()]


def codes() -> tuple[str, ...]:
    return tuple(regions())
