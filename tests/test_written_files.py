"""Files tabletop writes get the usual mode (0666 less the umask), arrive whole, and a failed write keeps the old."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "drill"))
from drillkit import ROOT, SHIPPED, tabletop  # noqa: E402

from engine import whole_file  # noqa: E402
from engine.whole_file import WriteError, write_whole  # noqa: E402


@pytest.fixture
def umask_022():  # type: ignore[no-untyped-def]
    old = os.umask(0o022)
    whole_file._UMASK.clear()
    yield
    os.umask(old)
    whole_file._UMASK.clear()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_writer_gives_the_usual_mode(tmp_path: Path, capsys, umask_022) -> None:  # type: ignore[no-untyped-def]
    runs = [
        (["new", "runbook", "Mail outage", "-o", tmp_path], tmp_path / "mail-outage.yaml"),
        (["msel", "export", SHIPPED, "-o", tmp_path / "msel.csv"], tmp_path / "msel.csv"),
        (["msel", "export", SHIPPED, "--format", "xlsx", "-o", tmp_path / "msel.xlsx"], tmp_path / "msel.xlsx"),
        (["cacao", "export", ROOT / "runbooks" / "inbound-mail-continuity.yaml", "-o", tmp_path / "p.json"],
         tmp_path / "p.json"),
        (["validate", ROOT / "runbooks", "-o", tmp_path / "findings.txt"], tmp_path / "findings.txt"),
        (["explore", SHIPPED, "-o", tmp_path / "explore.txt"], tmp_path / "explore.txt"),
    ]
    for args, made in runs:
        code, _, err = tabletop(capsys, *args)
        assert code in (0, 1), (args, err)
        assert _mode(made) == 0o644, (args, oct(_mode(made)))
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_full_disk_keeps_the_earlier_file_and_says_so_in_one_line(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "findings.txt"
    target.write_text("the earlier report\n", encoding="utf-8")

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(whole_file.os, "write", full)
    runs = (["validate", ROOT / "runbooks", "-o", target, "--force"], ["explore", SHIPPED, "-o", target, "--force"])
    for args in runs:
        code, _, err = tabletop(capsys, *args)
        assert code == 2, err
        assert err == f"tabletop: error: cannot write {target}: no space left on the device\n"
        assert target.read_text(encoding="utf-8") == "the earlier report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["findings.txt"]


def test_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(WriteError, match="cannot write in"):
            write_whole(tmp_path / "x.txt", "x")
    finally:
        tmp_path.chmod(0o755)


@pytest.mark.parametrize("command", [["validate", "runbooks"], ["rules"], ["schema", "runbook"],
                                     ["log", "show", "tests/drill/data"], ["coverage"]])
def test_a_full_device_under_standard_output_is_one_line(command: list[str]) -> None:
    import subprocess

    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "engine", *command], cwd=ROOT, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    if command[:2] == ["log", "show"]:  # a folder: an input error before anything is written
        assert done.returncode == 3
        return
    assert done.returncode == 2, done.stderr
    assert done.stderr == "tabletop: error: cannot write the output: No space left on device\n"
