"""docs/msel.md lists every header the importer knows."""

from pathlib import Path

from engine.msel.columns import ALIASES, SECOND_CHOICE

DOC = (Path(__file__).resolve().parents[2] / "docs" / "msel.md").read_text(encoding="utf-8")


def test_every_header_is_documented() -> None:
    missing = [name for name in [*ALIASES, *SECOND_CHOICE] if f"`{name}`" not in DOC]
    assert not missing, missing


def test_the_layout_table_names_every_layout_the_tests_build() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from msel_corpus import CORPUS
    from msel_layouts import LAYOUTS

    table = DOC[DOC.index("## Layouts known to import"):]
    listed = [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")]
    assert sorted(listed) == sorted(s.name for s in [*CORPUS, *LAYOUTS])
