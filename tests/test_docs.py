"""Documentation that cannot silently fall behind the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_read_from_the_environment_is_documented() -> None:
    settings = (ROOT / "backcare" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list|timezone|choice)\(\s*"([A-Z_]+)"', settings))
    names |= set(re.findall(r'environ\.get\("([A-Z_]+)"', settings))
    names.add("SECRET_KEY")
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert len(names) >= 8
    assert not missing, f"document these in docs/configuration.md: {missing}"


def test_the_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_ci_runs_the_readmes_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_make_test_runs_the_suite_at_every_pinned_instant() -> None:
    from tests.conftest import INSTANTS

    makefile = (ROOT / "Makefile").read_text()
    line = next(x for x in makefile.splitlines() if x.startswith("CLOCK_INSTANTS"))
    assert {*line.split(":=")[1].split(), INSTANTS[1]} == set(INSTANTS)
