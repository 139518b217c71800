"""Every region has its emergency number, a source, and its advice line where it has one."""

from __future__ import annotations

import pytest

from backcare.domain import content
from backcare.domain.regions import region, regions

EXPECTED = {
    "AU": ("000", "1800 022 222"),
    "GB": ("999", "111"),
    "US": ("911", ""),
    "CA": ("911", ""),
    "IE": ("112", ""),
    "EU": ("112", ""),
    "NZ": ("111", "0800 611 116"),
}


@pytest.mark.parametrize(("code", "numbers"), EXPECTED.items())
def test_each_region_has_the_right_numbers(code: str, numbers: tuple[str, str]) -> None:
    r = region(code)
    assert (r.emergency, r.advice_number) == numbers
    assert r.emergency_tel == "tel:" + r.emergency
    assert r.advice_tel == ("tel:" + numbers[1].replace(" ", "") if numbers[1] else "")
    assert bool(r.advice_line) is bool(r.advice_number)


def test_every_region_is_listed_and_cites_a_known_source() -> None:
    assert set(regions()) == set(EXPECTED)
    known = content.sources()
    for r in regions().values():
        assert r.source_ids and all(i in known for i in r.source_ids)


def test_codes_are_case_insensitive_and_unknown_ones_are_refused() -> None:
    assert region("au").emergency == "000"
    with pytest.raises(KeyError):
        region("XX")
