"""The explorer in a real browser: headless Chromium driven by Playwright.

Each test starts ``python -m sim explore`` on a free port, as a user would, and
saves its screenshots under the test's temporary folder.
"""

from __future__ import annotations

import pytest

from sim.api import run
from tests.conftest import SCENARIOS
from tests.explore.browser import browser_page, changed, chromium, explorer, image, settled

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def step(page, years: int) -> None:
    """Press Step ``years`` times, each time until the power chart has redrawn."""
    for _ in range(years):
        before = image(page, "sim-power")
        page.get_by_role("button", name="Step").click()
        changed(page, "sim-power", before)


def test_stepping_and_a_slider_change_the_charts_and_a_broken_file_is_shown(tmp_path):
    chromium()
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(f"extends: {SCENARIOS / 'sanctions.yaml'}\nname: mine\n")
    with explorer(scenario, tmp_path) as (url, errors), browser_page() as page:
        page.goto(url)
        page.wait_for_selector(".sim-network img")
        page.wait_for_selector(".sim-power img")
        assert page.get_by_text("sim: mine").count() >= 1
        start_power, start_network = image(page, "sim-power"), image(page, "sim-network")
        page.screenshot(path=tmp_path / "start.png", full_page=True)

        step(page, 5)
        power, network = image(page, "sim-power"), image(page, "sim-network")
        assert power != start_power, "the power-share chart did not change over 5 years"
        assert network != start_network, "the network did not change over 5 years"
        assert page.locator(".sim-events").get_by_text("2019", exact=True).count() >= 1
        page.screenshot(path=tmp_path / "after_5_years.png", full_page=True)

        # China's convergence speed to the top of its range, then reset and the same 5 years
        slider = page.locator(".v-input", has_text="economy.convergence_by_state.CHN")
        slider.locator("[role=slider]").first.focus()
        page.keyboard.press("End")
        page.get_by_role("button", name="Reset").click()
        assert changed(page, "sim-power", power) == start_power  # the same 2014
        step(page, 5)
        same = "the slider changed nothing: the {} after 5 years is as before"
        assert image(page, "sim-power") != power, same.format("power-share chart")
        assert image(page, "sim-network") != network, same.format("network")
        page.screenshot(path=tmp_path / "after_slider.png", full_page=True)

        # play runs year after year until paused
        playing = image(page, "sim-power")
        page.get_by_role("button", name="▶").click()
        changed(page, "sim-power", changed(page, "sim-power", playing))
        page.get_by_role("button", name="❚❚").click()
        page.get_by_role("button", name="▶").wait_for()
        settled(page, "sim-power")  # a year already under way is drawn, then nothing moves

        # the file edited into a mistake: Reset shows where, in the page and on the terminal
        scenario.write_text(f"extends: {SCENARIOS / 'sanctions.yaml'}\nname: mine\nyears: many\n")
        page.get_by_role("button", name="Reset").click()
        banner = page.locator(".sim-problem")
        banner.wait_for()
        where = f"{scenario}:3:8: years: "
        assert where in banner.inner_text()
        page.wait_for_selector(".sim-network img")  # the last good version, at its start
        assert page.get_by_role("button", name="Step").is_enabled()
        page.get_by_role("button", name="Step").click()  # does nothing, then Step is off
        page.wait_for_function(
            "() => [...document.querySelectorAll('button')]"
            ".some(b => b.innerText.trim() === 'STEP' && b.disabled)"
        )
        page.screenshot(path=tmp_path / "broken_file.png", full_page=True)
    assert where in errors.read_text()
    assert "Traceback" not in errors.read_text()
    for name in ("start", "after_5_years", "after_slider", "broken_file"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000


def test_a_results_folder_is_shown_with_a_state_picker_and_bloc_polarity(tmp_path):
    chromium()
    out = tmp_path / "run"
    run(SCENARIOS / "sanctions.yaml", runs=4, years=4, out=out, plots=False, progress=False)
    with explorer(out, tmp_path) as (url, errors), browser_page() as page:
        page.goto(url)
        page.wait_for_selector(".sim-fan img")
        assert page.locator(".sim-polarity img").count() == 3
        before = image(page, "sim-fan")
        page.screenshot(path=tmp_path / "folder.png", full_page=True)
        # take the United States off the chart: the fan chart redraws without it
        page.locator(".v-select").first.click()
        page.locator(".menuable__content__active .v-list-item", has_text="USA").first.click()
        changed(page, "sim-fan", before)
        page.keyboard.press("Escape")  # close the list of states
        # polarity among blocs instead of states
        polarity = image(page, "sim-polarity")
        page.get_by_role("button", name="polarity of blocs").click()
        changed(page, "sim-polarity", polarity)
        page.screenshot(path=tmp_path / "folder_picked.png", full_page=True)
    assert "Traceback" not in errors.read_text()
