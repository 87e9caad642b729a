"""Every command that takes `-o` writes the same way (issue 27): a regular file is replaced whole, a device or a
FIFO is written into as a stream, a symbolic link or a folder is never replaced, and the command says what it did.

The targets are made in a temporary folder: a FIFO, a character device (when this user may make one), a
symbolic link to a file and one to a folder. Nothing outside the folder is touched.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "drill"))
from drillkit import ROOT, SHIPPED, tabletop  # noqa: E402

RUNBOOK = ROOT / "runbooks" / "inbound-mail-continuity.yaml"
REPORT_DATA = ROOT / "tests" / "report" / "data"
REPORT_FILES = ["--scenario", str(REPORT_DATA / "files" / "scenarios" / "m365-na-outage-2026-01-22.yaml"),
                "--runbooks", str(REPORT_DATA / "files" / "runbooks")]


def _inputs(folder: Path) -> dict[str, Path]:
    """A log, an MSEL CSV and a CACAO playbook to import, made here from the shipped files."""
    log = folder / "drill.jsonl"
    shutil.copyfile(REPORT_DATA / "golden.jsonl", log)
    csv = folder / "in.csv"
    playbook = folder / "in.json"
    assert tabletop_quiet("msel", "export", SHIPPED, "-o", csv) == 0
    assert tabletop_quiet("cacao", "export", RUNBOOK, "-o", playbook) == 0
    return {"log": log, "csv": csv, "playbook": playbook}


def tabletop_quiet(*args: object) -> int:
    from engine.cli import main

    return main([str(a) for a in args])


# Each command that writes a file with -o; OUT stands for the target.
COMMANDS: dict[str, Callable[[dict[str, Path]], list[object]]] = {
    "validate": lambda i: ["validate", ROOT / "runbooks", "-o", "OUT"],
    "explore": lambda i: ["explore", SHIPPED, "-o", "OUT"],
    "msel export csv": lambda i: ["msel", "export", SHIPPED, "-o", "OUT"],
    "msel export xlsx": lambda i: ["msel", "export", SHIPPED, "--format", "xlsx", "-o", "OUT"],
    "msel import": lambda i: ["msel", "import", i["csv"], "-o", "OUT"],
    "cacao export": lambda i: ["cacao", "export", RUNBOOK, "-o", "OUT"],
    "cacao import": lambda i: ["cacao", "import", i["playbook"], "-o", "OUT"],
    "report md": lambda i: ["report", i["log"], "--format", "md", *REPORT_FILES, "-o", "OUT"],
    "report docx": lambda i: ["report", i["log"], "--format", "docx", *REPORT_FILES, "-o", "OUT"],
    "handbook": lambda i: ["handbook", SHIPPED, "-o", "OUT"],
    "readiness": lambda i: ["readiness", "--runbooks", ROOT / "runbooks", "-o", "OUT"],
}


def _argv(name: str, inputs: dict[str, Path], out: Path, *extra: str) -> list[object]:
    return [out if a == "OUT" else a for a in COMMANDS[name](inputs)] + list(extra)


@pytest.fixture
def inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    (tmp_path / "in").mkdir()
    made = _inputs(tmp_path / "in")
    capsys.readouterr()
    return made


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_symbolic_link_is_never_replaced(name: str, tmp_path: Path, inputs: dict[str, Path], capsys) -> None:  # type: ignore[no-untyped-def]
    real = tmp_path / "real.txt"
    real.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "out.link"
    link.symlink_to(real)
    code, _, err = tabletop(capsys, *_argv(name, inputs, link, "--force"))
    assert code == 2, err
    assert "symbolic link" in err and "Traceback" not in err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "keep me\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_fifo_is_written_into_as_a_stream(name: str, tmp_path: Path, inputs: dict[str, Path], capsys) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # open first: the writer's open then does not wait
    try:
        fcntl.fcntl(reader, fcntl.F_SETPIPE_SZ, 1 << 20)  # room for the whole output: nothing reads meanwhile
        code, out, err = tabletop(capsys, *_argv(name, inputs, fifo, "--force"))
        received = _drain(reader)
    finally:
        os.close(reader)
    assert code in (0, 1), err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert received, "nothing was written into the FIFO"
    assert f"wrote into {fifo}" in out + err


def _drain(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _null_device(folder: Path) -> Path:
    """A character device like /dev/null, made in `folder` (so a wrong replace harms nothing)."""
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        with open(node, "wb") as handle:
            handle.write(b"probe")
    except OSError as exc:  # not root, or a folder mounted nodev
        pytest.skip(f"cannot make a device node here: {exc}")
    return node


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_device_is_written_into_never_replaced(name: str, tmp_path: Path, inputs: dict[str, Path], capsys) -> None:  # type: ignore[no-untyped-def]
    node = _null_device(tmp_path)
    code, out, err = tabletop(capsys, *_argv(name, inputs, node, "--force"))
    assert code in (0, 1), err
    assert stat.S_ISCHR(os.lstat(node).st_mode), "the device was replaced by a regular file"
    assert f"wrote into {node}" in out + err


@pytest.mark.parametrize("name", ["validate", "report md", "cacao export"])
def test_a_link_to_a_device_is_written_into(name: str, tmp_path: Path, inputs: dict[str, Path], capsys) -> None:  # type: ignore[no-untyped-def]
    link = tmp_path / "to-null"
    link.symlink_to(os.devnull)
    code, out, err = tabletop(capsys, *_argv(name, inputs, link, "--force"))
    assert code in (0, 1), err
    assert link.is_symlink() and stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_folder_is_refused_in_one_line(name: str, tmp_path: Path, inputs: dict[str, Path], capsys) -> None:  # type: ignore[no-untyped-def]
    if name.startswith("report"):
        pytest.skip("report -o FOLDER writes the report into the folder (documented)")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _, err = tabletop(capsys, *_argv(name, inputs, folder, "--force"))
    assert code == 2 and err.count("\n") == 1 and "folder" in err, err
    assert list(folder.iterdir()) == []


def test_replacing_a_file_says_so(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "findings.txt"
    code, _, err = tabletop(capsys, "validate", ROOT / "runbooks", "-o", target)
    assert code == 0 and err == f"wrote {target}\n"
    code, _, err = tabletop(capsys, "validate", ROOT / "runbooks", "-o", target, "--force")
    assert code == 0 and err == f"wrote {target} (replaced the previous file)\n"


# Writes into files under FOLDER fail as on a full disk; everything else is written as usual.
_FULL_DISK = """
import builtins, errno, io, sys
real = io.open
class Full:
    def __init__(self, f): self._f = f
    def write(self, data): raise OSError(errno.ENOSPC, "No space left on device")
    def __getattr__(self, name): return getattr(self._f, name)
    def __enter__(self): return self
    def __exit__(self, *exc): self._f.close()
def full_open(file, mode="r", *args, **kwargs):
    handle = real(file, mode, *args, **kwargs)
    return Full(handle) if "w" in mode and str(file).startswith(sys.argv[1]) else handle
io.open = builtins.open = full_open
from engine.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _on_a_full_disk(folder: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    import resource

    def small_files() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-c", _FULL_DISK, str(folder) if limit is None else "/nowhere", *args],
                          cwd=ROOT, capture_output=True, text=True, preexec_fn=small_files,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


@pytest.mark.parametrize("limit", [None, 2048])
def test_a_full_disk_under_a_zip_export_is_one_line(limit: int | None, tmp_path: Path) -> None:
    """No ZipFile left open to print a traceback when collected. limit=None: the target's disk is full; 2048:
    every file is limited to 2 KB (the file size limit), so the library's own temporary files fail too."""
    for args in (["msel", "export", str(SHIPPED), "--format", "xlsx", "-o", str(tmp_path / "msel.xlsx")],
                 ["handbook", str(SHIPPED), "--format", "docx", "-o", str(tmp_path / "book.docx")]):
        done = _on_a_full_disk(tmp_path, *args, limit=limit)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("tabletop: error: cannot write ") and done.stderr.count("\n") == 1, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_huge_version_numbers_are_findings_not_tracebacks(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    for written in ("0x" + "f" * 3600, "9" * 6000, "0o" + "7" * 6000, "1" + "0" * 3599):
        path = tmp_path / "v.yaml"
        path.write_text(f"runbook: v\ntitle: V\nversion: {written}\nsteps:\n  a:\n    title: A\n", encoding="utf-8")
        code, out, err = tabletop(capsys, "validate", path)
        assert code == 1 and "v.yaml:3:10: error: `version`" in out, (out, err)
        assert max(len(line) for line in out.splitlines()) < 200
        code, out, err = tabletop(capsys, "graph", path)
        assert code in (0, 1, 2, 3) and "Traceback" not in err


def test_long_numbers_are_summarised_in_messages() -> None:
    from engine.bounds import number_text

    assert number_text(12) == "12" and number_text(1.5) == "1.5"
    assert number_text(16 ** 3600) == "a whole number of about 4,336 digits"


@pytest.mark.parametrize("steps", [
    "  a:\n    title: A\n    needs: [nowhere]\n",
    "  a:\n    title: A\n    needs: [b]\n  b:\n    title: B\n    needs: [a]\n",
])
def test_cacao_export_refuses_what_validate_rejects(steps: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    runbook = tmp_path / "r.yaml"
    runbook.write_text(f"runbook: r\ntitle: R\nsteps:\n{steps}", encoding="utf-8")
    out = tmp_path / "p.json"
    code, _, err = tabletop(capsys, "cacao", "export", runbook, "-o", out)
    assert code == 1, err
    assert f"{runbook}:" in err and "error:" in err and "not a valid runbook" in err
    assert not out.exists()


def test_new_with_a_very_long_name_is_one_line(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code, _, err = tabletop(capsys, "new", "runbook", "a" * 300)
    assert code == 2 and err.count("\n") == 1 and "at most 200" in err, err
    code, _, err = tabletop(capsys, "new", "runbook", "x", "-o", "b" * 300)
    assert code == 2 and err.count("\n") == 1 and "too long" in err, err
    code, out, err = tabletop(capsys, "new", "runbook", "a" * 200)
    assert code == 0, err
    assert json.dumps(sorted(p.name for p in tmp_path.iterdir())) == json.dumps(["a" * 200 + ".yaml"])


@pytest.mark.parametrize("kind", ["link", "fifo"])
def test_the_room_file_is_never_written_through_a_link_or_into_a_fifo(kind: str, tmp_path: Path) -> None:
    from engine.room.seats import RoomFileError, Seats, save

    real = tmp_path / "elsewhere.txt"
    real.write_text("keep me\n", encoding="utf-8")
    room = tmp_path / "drill.room.json"
    if kind == "link":
        room.symlink_to(real)
    else:
        os.mkfifo(room)
    with pytest.raises(RoomFileError, match="not a regular file"):
        save(room, Seats.new(), "http://127.0.0.1:8080", 8080)
    assert real.read_text(encoding="utf-8") == "keep me\n"
    assert room.is_symlink() if kind == "link" else stat.S_ISFIFO(os.lstat(room).st_mode)


def test_a_block_device_is_refused_never_written_onto(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    disk = tmp_path / "disk"
    try:
        os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 250))  # a loop device number; never opened
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    code, _, err = tabletop(capsys, "validate", ROOT / "runbooks", "-o", disk, "--force")
    assert code == 2 and "block device" in err and err.count("\n") == 1, err
    assert stat.S_ISBLK(os.lstat(disk).st_mode)
