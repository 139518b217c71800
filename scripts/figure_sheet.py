"""Render exercise figures to a PNG contact sheet, to look at them.

.venv/bin/python scripts/figure_sheet.py [EXERCISE ...] [--out sheet.png]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from backcare.domain.figures.sheet import contact_sheet


def shoot(html: str, out: Path, width: int = 1200) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as page_file:
        page_file.write(html)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(Path(page_file.name).as_uri())
        page.screenshot(path=str(out), full_page=True)
        browser.close()
    Path(page_file.name).unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("exercises", nargs="*")
    parser.add_argument("--out", default="test-artifacts/figures/contact-sheet.png")
    args = parser.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shoot(contact_sheet(args.exercises or None), out)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
