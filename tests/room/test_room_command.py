"""`tabletop drill --room` on the command line: a room that cannot be served is a one-line usage error
(exit 2) before the console opens, loads no UI and writes nothing to the log."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from roomkit import ROOT, SHIPPED

from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.session import Drill
from engine.plans import load_plan

_PROBE = (
    "import sys\n"
    "from engine.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('UI:' + ','.join(sorted(k for k in sys.modules if k.split('.')[0] in ('textual', 'rich'))))\n"
    "sys.exit(code)\n"
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _PROBE, "drill", str(SHIPPED), *args], cwd=ROOT,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def _log(tmp_path: Path) -> Path:
    drill = Drill.start(load_plan(str(SHIPPED)), FakeClock(), log_path=str(tmp_path / "d.jsonl"))
    drill.close()
    return Path(drill.path)


def test_a_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        out = _run("--log", str(tmp_path / "x.jsonl"), "--room-port", str(port))
    assert out.returncode == 2
    assert out.stderr.startswith(f"tabletop: error: cannot listen on 127.0.0.1:{port}") and "--room-port" in out.stderr
    assert len(out.stderr.splitlines()) == 1 and "UI:\n" in out.stdout
    assert not (tmp_path / "x.jsonl").exists()


def test_a_bad_host_is_a_usage_error() -> None:
    out = _run("--room-host", "<script>")
    assert out.returncode == 2 and "--room-host '<script>': give an IP address" in out.stderr


def test_a_broken_room_file_on_resume_is_a_usage_error_and_the_log_is_untouched(tmp_path: Path) -> None:
    log = _log(tmp_path)
    before = log.read_bytes()
    (tmp_path / "d.room.json").write_text("{not json", encoding="utf-8")
    out = _run("--resume", str(log), "--room")
    assert out.returncode == 2
    assert f"{tmp_path / 'd.room.json'}: cannot be read" in out.stderr and "move it aside" in out.stderr
    assert log.read_bytes() == before and len(read_log(str(log)).events) == 1


def test_a_room_option_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    for args, said in ((("--room-log-cap", "0"), "--room-log-cap 0: give kilobytes a minute"),
                       (("--room-per-address", "-3"), "--room-per-address -3: give a number from 1"),
                       (("--room-name", "evil.example/<x>"), "--room-name 'evil.example/<x>': give a DNS name")):
        out = _run("--log", str(tmp_path / "x.jsonl"), *args)
        assert out.returncode == 2 and said in out.stderr, (args, out.stderr)
        assert len(out.stderr.splitlines()) == 1 and "UI:\n" in out.stdout
    assert not (tmp_path / "x.jsonl").exists()


def test_opening_the_room_to_the_network_says_who_can_reach_it() -> None:
    from engine.room.server import exposure

    open_ = exposure("0.0.0.0", 8123)
    assert open_.startswith("OPEN TO THE NETWORK on 0.0.0.0:8123: anyone on every network this computer is on")
    assert "guest or public Wi-Fi" in open_ and "write to the drill log" in open_ and "plain HTTP" in open_
    assert "by the name drill.example.org" in exposure("0.0.0.0", 80, ("drill.example.org",))
    assert "anyone on the network of 192.0.2.7" in exposure("192.0.2.7", 80)
    assert exposure("127.0.0.1", 8123).startswith("Open on this computer only (127.0.0.1:8123): nobody else")
