"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright (never
`playwright install`). Import the ``browser`` fixture into a test module to use it there."""
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Flags that work as root in a container; Playwright adds --headless and a fresh temporary --user-data-dir.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        # Like PostgreSQL and Redis: a missing browser fails the run (CI has it), unless told to skip.
        message = (
            f"Chromium is not installed ({CHROMIUM}): scripts/setup.sh installs the Debian packages "
            "chromium and chromium-driver when run as root (apt-get install chromium chromium-driver); "
            "ALLOW_SKIP_SERVICES=1 skips the browser tests instead"
        )
        if os.environ.get("ALLOW_SKIP_SERVICES") == "1":
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=60_000)
        yield browser
        browser.close()


# WCAG 2.1 A and AA rules of axe-core (bundled by axe-playwright-python); best practices are not counted.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list:
    """axe-core's WCAG 2.1 AA violations on the page as it is now: [(rule id, impact, targets)].
    Run it in a context made with ``bypass_csp=True``: the pages' CSP forbids injected scripts."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [(v["id"], v.get("impact"), [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
