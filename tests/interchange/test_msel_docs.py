"""docs/msel.md lists every header the importer knows."""

from pathlib import Path

from engine.msel.columns import ALIASES, SECOND_CHOICE

DOC = (Path(__file__).resolve().parents[2] / "docs" / "msel.md").read_text(encoding="utf-8")


def test_every_header_is_documented() -> None:
    missing = [name for name in [*ALIASES, *SECOND_CHOICE] if f"`{name}`" not in DOC]
    assert not missing, missing
