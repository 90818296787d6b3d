"""Take the README's picture of the explorer: sanctions.yaml after ten years.

    uv run python scripts/explorer_screenshot.py [docs/images/explorer.png]

Needs Chromium (``apt-get install chromium``) and the dev dependencies (Playwright).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's tests package

from tests.conftest import SCENARIOS  # noqa: E402
from tests.explore.browser import browser_page, changed, explorer, image  # noqa: E402

YEARS = 10


def main(out: Path) -> None:
    with (
        tempfile.TemporaryDirectory() as logs,
        explorer(SCENARIOS / "sanctions.yaml", Path(logs)) as (url, _),
        browser_page(1600, 1000) as page,
    ):
        page.goto(url)
        page.wait_for_selector(".sim-power img")
        for _ in range(YEARS):
            before = image(page, "sim-power")
            page.get_by_role("button", name="Step").click()
            changed(page, "sim-power", before)
        page.screenshot(path=out)
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images/explorer.png"))
