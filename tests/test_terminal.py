"""One escaping function for terminal streams, and standard error guarded in every command."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from engine.cli import main
from engine.terminal import escape, escape_lines, guard_stderr

HOSTILE = "\x1b]52;c;aGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2066\u2028\x00\x7f"


def test_escape_covers_every_control_and_format_character() -> None:
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            assert escape(char) != char, hex(code)
            assert escape(char).isascii() and escape(char).isprintable()


def test_escape_keeps_ordinary_text_and_names_the_common_ones() -> None:
    text = "Décision prise — 決定 ✓ <b>[bold]"
    assert escape(text) == text
    assert escape("a\nb\tc\rd\x1b") == "a\\nb\\tc\\rd\\x1b"
    assert escape_lines("a\nb\x1b\n") == "a\nb\\x1b\n"
    assert escape("\U000e0041") == "\\U000e0041"


def test_guarded_stderr_escapes_everything_but_newlines(capsys) -> None:  # type: ignore[no-untyped-def]
    with guard_stderr():
        print(HOSTILE, file=sys.stderr)
        with guard_stderr():  # nested: escaped once
            sys.stderr.write("\x1b\n")
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "\x9b" not in err
    assert err.endswith("\\x1b\n") and err.count("\n") == 2
    assert not isinstance(sys.stderr, type(None))


def test_a_hostile_path_in_an_error_is_escaped(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / f"no{HOSTILE.replace(chr(0), '')}.yaml"
    code = main(["graph", str(missing)])
    err = capsys.readouterr().err
    assert code == 2
    assert "\x1b" not in err and "\u202e" not in err and err.count("\n") == 1
    assert "\\x1b]52;c;aGVsbG8=\\x07" in err


# ----- colour: TERM=dumb and NO_COLOR (issue 26) -----


def test_colour_follows_no_color_org_and_term_dumb() -> None:
    from engine.terminal import wants_color

    assert wants_color("auto", True, {"TERM": "xterm-256color"})
    assert wants_color("auto", True, {"TERM": "xterm", "NO_COLOR": ""})  # an empty NO_COLOR is not set
    assert not wants_color("auto", True, {"TERM": "xterm", "NO_COLOR": "1"})
    assert not wants_color("auto", True, {"TERM": "dumb"})
    assert not wants_color("auto", False, {"TERM": "xterm"})
    assert wants_color("always", False, {"TERM": "dumb", "NO_COLOR": "1"})
    assert not wants_color("never", True, {"TERM": "xterm"})


@pytest.mark.parametrize(("env", "coloured"), [({"TERM": "dumb"}, False), ({"NO_COLOR": ""}, True),
                                               ({"NO_COLOR": "yes"}, False), ({}, True)])
def test_validate_colours_a_terminal_by_the_conventions(tmp_path, capsys, monkeypatch, env, coloured) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "broken.yaml").write_text("runbook: x\nversion: 1\n", encoding="utf-8")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    main(["validate", str(tmp_path / "broken.yaml")])
    assert ("\x1b[" in capsys.readouterr().out) is coloured


def test_data_written_to_a_terminal_keeps_no_bidi_or_escape(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`-o -` onto a terminal (msel import, handbook --format md...): the text stays data (issue 26)."""
    source = tmp_path / "msel.csv"
    source.write_text("Time,Inject text\n09:00,\"Read \u202eevil\u202c aloud \x1b[2J\"\n", encoding="utf-8")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code = main(["msel", "import", str(source), "--runbooks", str(Path(__file__).parent.parent / "runbooks"),
                 "--runbook", "inbound-mail-continuity", "-o", "-"])
    out = capsys.readouterr().out
    assert code == 0
    assert "\u202e" not in out and "\x1b" not in out
    assert "\\u202eevil" in out
