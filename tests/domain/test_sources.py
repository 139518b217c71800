"""Sources say what they may be cited for: every item's sources exist and their scope covers it."""

from __future__ import annotations

import pytest

from backcare.domain import content
from tests.domain.safety_text import cited

CITED = list(cited())


@pytest.mark.parametrize(("where", "claim", "ids"), CITED, ids=[c[0] for c in CITED])
def test_every_item_cites_sources_whose_scope_covers_its_claim(
    where: str, claim: str, ids: list[str]
) -> None:
    known = content.sources()
    assert ids, f"{where}: no sources"
    for source_id in ids:
        assert source_id in known, f"{where}: unknown source {source_id}"
        assert claim in known[source_id].scope, (
            f"{where} makes a {claim!r} claim; {source_id} may be cited only for "
            f"{', '.join(known[source_id].scope)}"
        )


def test_every_source_says_what_it_covers() -> None:
    for source in content.sources().values():
        assert source.scope and source.scope_note, source.id


@pytest.mark.parametrize(
    ("source_id", "claim"),
    [
        ("nice-ng59", "exercise:activation"),  # NG59 recommends group programmes, not each exercise
        ("acp-2017", "exercise:activation"),  # motor control for chronic pain, not acute
        ("seed-004", "exercise:relaxation"),  # seed 004 says nothing about breathing
        ("seed-002", "warning_sign"),  # a clinic article is no source for a red flag
    ],
)
def test_scopes_exclude_what_the_source_does_not_say(source_id: str, claim: str) -> None:
    assert claim not in content.sources()[source_id].scope
