"""The command line's help is as wide as argparse makes it, though tabletop finds the width without shutil
(issue 28: importing shutil and its compression modules was a few per cent of a small validate)."""

from __future__ import annotations

import shutil

import pytest

from engine import cli


@pytest.mark.parametrize("columns", [None, "", "abc", "0", "-5", "1", "57", "200"])
def test_the_width_is_shutils(columns: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert cli._columns() == shutil.get_terminal_size().columns


def test_help_wraps_as_argparse_wraps_it(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        cli.main(["validate", "--help"])
    ours = capsys.readouterr().out
    monkeypatch.setattr(cli, "_Formatter", argparse.RawDescriptionHelpFormatter)
    with pytest.raises(SystemExit):
        cli.main(["validate", "--help"])
    assert ours == capsys.readouterr().out
    assert "  -o FILE, --output FILE\n" in ours  # 60 columns: the option's help on a line of its own
