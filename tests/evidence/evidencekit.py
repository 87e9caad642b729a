"""Helpers of the evidence-pack tests (not a test module): a project with the shipped drill, live drills
and headless rehearsals on a fake clock, an improvement plan, and the pack read back as an auditor would."""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "improvement"))

from planskit import SCENARIO, drill, project, tabletop  # noqa: E402

__all__ = ["SCENARIO", "TODAY", "drill", "links", "live_drill", "pack", "project", "tabletop"]

TODAY = "2026-06-01"
MAIL = "inbound-mail-continuity/route-decision"


def live_drill(root: Path, name: str, when: datetime, *, rating: str = "S", seats: bool = True,
               improvement: str | None = None) -> Path:
    """A live drill of the shipped scenario: two seats in the drill room, the mail objective rated, and
    an area for improvement when given."""
    def body(session: Any, clock: Any) -> None:
        if seats:
            session.join("s1", "Dana Okafor", "incident-commander")
            session.join("s2", "Lee Park", "observer")
            session.leave("s2")
        session.rate(MAIL, rating)
        if improvement:
            session.note("improvement", improvement, owner="Dana Okafor", due="2026-04-01")

    return drill(root, name, when, body=body)


def pack(capsys: Any, root: Path, *args: object) -> tuple[int, str, str]:
    """`tabletop evidence` in `root` (the cache inside it), judged at TODAY."""
    import os

    here = os.getcwd()
    os.chdir(root)
    try:
        return tabletop(capsys, "evidence", "--today", TODAY, "--cache", root / ".cache", *args)
    finally:
        os.chdir(here)


_HREF = re.compile(r'href="([^"#]*)(#[^"]*)?"')
_MD_LINK = re.compile(r"(?<!\\)\]\(([^)#\s]*)(#[^)]*)?\)")  # a link; an escaped \] is text


def links(page: Path) -> list[str]:
    """The targets of the links on a page of the pack (HTML or Markdown), fragments left off."""
    text = page.read_text(encoding="utf-8")
    found = _HREF.findall(text) if page.suffix == ".html" else _MD_LINK.findall(text)
    from urllib.parse import unquote

    return [unquote(target) for target, _ in found if target]
