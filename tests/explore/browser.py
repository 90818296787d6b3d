"""Starting ``sim explore`` and a headless Chromium for the browser tests.

The browser is the system's Chromium (Debian's ``chromium``; ``.ci/run`` installs
it), driven by Playwright. Without one the tests are skipped, saying why.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [  # as root, on a machine with no network beyond localhost
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
URL = re.compile(r"(http://\S+/)")


def chromium() -> str:
    """The system's Chromium, or skip the test saying why there is none."""
    path = os.environ.get("SIM_CHROMIUM") or shutil.which("chromium")
    if path is None:
        pytest.skip(
            "no Chromium on this machine (apt-get install chromium, or set SIM_CHROMIUM): "
            "the explorer's browser tests need a real browser"
        )
    return path


@contextmanager
def explorer(target: Path, logs: Path, timeout: float = 120.0):
    """Run ``python -m sim explore TARGET`` and yield (its address, its stderr file in ``logs``)."""
    errors = logs / f"{target.stem}-explore-stderr.txt"
    with errors.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "sim", "explore", str(target)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            start_new_session=True,
        )
        try:
            line = server.stdout.readline()
            found = URL.search(line)
            assert found, f"no address printed: {line!r} {errors.read_text()}"
            url = found.group(1)
            _wait_until_up(url, timeout)
            yield url, errors
        finally:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            server.stdout.close()


def _wait_until_up(url: str, timeout: float) -> None:
    import urllib.request

    end = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.25)


@contextmanager
def browser_page(width: int = 1600, height: int = 1200):
    """A page of a headless Chromium (Playwright)."""
    executable = chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(90_000)
            yield page
        finally:
            browser.close()


FETCH = """async (img) => {
    const reply = await fetch(img.src);
    const bytes = new Uint8Array(await reply.arrayBuffer());
    let text = "";
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
}"""


def image(page, panel: str) -> str:
    """The picture a panel shows now: its PNG's bytes (base64), not the address they sit at.

    Solara hands each redraw a new ``blob:`` address, even of the same picture, so
    pictures are compared by what they hold.
    """
    return page.locator(f".{panel} img").first.evaluate(FETCH)


def changed(page, panel: str, before: str, timeout: float = 60.0) -> str:
    """Wait until a panel's picture is no longer ``before``; return the new one."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        now = image(page, panel)
        if now != before:
            return now
        time.sleep(0.1)
    raise AssertionError(f"the {panel} panel did not change within {timeout:.0f} s")


def settled(page, panel: str, quiet: float = 3.0, timeout: float = 60.0) -> str:
    """Wait until a panel's picture has not changed for ``quiet`` seconds; return it.

    Raises:
        AssertionError: The picture is still changing after ``timeout`` seconds.
    """
    end = time.monotonic() + timeout
    last, since = image(page, panel), time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.2)
        now = image(page, panel)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return now
    raise AssertionError(f"the {panel} panel was still changing after {timeout:.0f} s")
