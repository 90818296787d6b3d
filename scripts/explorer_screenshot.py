"""Take the pictures of the explorer in the README and docs/explore.md.

    uv run python scripts/explorer_screenshot.py [FOLDER]

Writes FOLDER/explorer.png (sanctions.yaml live, after ten years) and
FOLDER/explorer_folder.png (a finished 20-run sanctions.yaml folder), FOLDER being
docs/images by default. Needs Chromium (``apt-get install chromium``) and the dev
dependencies (Playwright).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's tests package

from sim.api import run  # noqa: E402
from tests.conftest import SCENARIOS  # noqa: E402
from tests.explore.browser import browser_page, changed, explorer, image  # noqa: E402

YEARS = 10


def live(out: Path, logs: Path) -> None:
    with explorer(SCENARIOS / "sanctions.yaml", logs) as (url, _), browser_page(1600, 1000) as page:
        page.goto(url)
        page.wait_for_selector(".sim-power img")
        for _ in range(YEARS):
            before = image(page, "sim-power")
            page.get_by_role("button", name="Step").click()
            changed(page, "sim-power", before)
        page.screenshot(path=out)


def folder(out: Path, logs: Path) -> None:
    results = logs / "sanctions"
    run(SCENARIOS / "sanctions.yaml", out=results, plots=False)
    with explorer(results, logs) as (url, _), browser_page(1600, 1000) as page:
        page.goto(url)
        page.wait_for_selector(".sim-fan img")
        page.screenshot(path=out)


def main(images: Path) -> None:
    with tempfile.TemporaryDirectory() as logs:
        for name, take in (("explorer.png", live), ("explorer_folder.png", folder)):
            take(images / name, Path(logs))
            print(images / name)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
