from __future__ import annotations

import pytest

from tests.web.people import People, people


@pytest.fixture
def team() -> People:
    """Maya and Sam, each with a plan, and Eve with none."""
    return people()
