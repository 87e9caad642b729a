"""The evidence pack as an auditor opens it: index.html in a real headless Chromium, every link on it and on
each control page opening a page of the pack, axe-core finding no serious or critical violation, and the
index printing on A4. Skips without Chromium and Playwright, unless TABLETOP_REQUIRE_BROWSER is set."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from evidencekit import drill, live_drill, pack, project

SAFETY_MS = 600_000  # only stops a hung page; the test waits on loads, not on a clock


def _chromium() -> str:
    chromium = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    why = None if chromium else "Chromium is not installed (apt-get install chromium)"
    if why is None:
        try:
            import axe_playwright_python  # noqa: F401
            import playwright.sync_api  # noqa: F401
        except ImportError:
            why = "the playwright and axe-playwright-python packages are not installed (pip install '.[test]')"
    if why:
        if os.environ.get("TABLETOP_REQUIRE_BROWSER"):
            pytest.fail(f"TABLETOP_REQUIRE_BROWSER is set but {why}")
        pytest.skip(f"{why}; the evidence pack's browser test needs it")
    assert chromium is not None
    return chromium


@pytest.fixture
def page() -> Iterator[Any]:
    chromium = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            tab.set_default_timeout(SAFETY_MS)
            tab.set_default_navigation_timeout(SAFETY_MS)
            yield tab
        finally:
            browser.close()


def _serious(page: Any) -> list[tuple[str, str, str]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.response["passes"], "axe-core did not run"
    return [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_the_index_opens_links_within_the_pack_passes_axe_and_prints_on_a4(
        page: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    live_drill(root, "live-1.jsonl", datetime(2026, 3, 2, 9, 0), improvement="The probe took 40 minutes")
    drill(root, "play-1.jsonl", datetime(2026, 4, 2, 9, 0), mode="headless")
    assert pack(capsys, root, "-o", "audit")[0] == 0
    folder = (root / "audit").resolve()
    index = folder / "index.html"
    page.goto(index.as_uri())
    assert page.title().startswith("Audit evidence: tabletop exercises")
    assert _serious(page) == []
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and re.search(rb"/MediaBox \[0 0 59[45]\.?\d* 84[12]", pdf)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert any("/controls/" in h for h in hrefs) and any("/aar/" in h for h in hrefs)
    opened, seen = 0, set()
    for href in hrefs:
        target = href.split("#")[0]
        if target in seen:
            continue
        seen.add(target)
        assert target.startswith(folder.as_uri() + "/"), f"a link leaves the pack: {href}"
        path = Path(target.removeprefix("file://"))
        assert path.is_file(), f"a link on the index does not resolve: {href}"
        if path.suffix != ".html":
            continue  # SHA256SUMS: a plain file
        page.goto(target)
        assert page.title(), f"{target} opened no page"
        opened += 1
        if "/controls/" in target and opened <= 3:
            assert _serious(page) == [], target
            back = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
            for link in back:
                assert Path(link.split("#")[0].removeprefix("file://")).is_file(), f"{target} -> {link}"
    assert opened >= 20
