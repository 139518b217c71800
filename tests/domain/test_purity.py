"""The clinical core stays pure: importable and usable without Django."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_domain_imports_without_django() -> None:
    script = textwrap.dedent(
        """
        import json, sys, pkgutil, importlib
        import backcare.domain
        for mod in pkgutil.walk_packages(backcare.domain.__path__, "backcare.domain."):
            importlib.import_module(mod.name)
        import backcare.cli
        from backcare.domain.assessment import Assessment
        from backcare.domain.triage import triage
        assert "django" not in sys.modules, sorted(m for m in sys.modules if "django" in m)
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
