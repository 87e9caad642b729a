"""The hostile corpus: one small project per kind of hostile or broken input (not a test module).

Each case is a folder holding a project (runbooks/, scenarios/, logs/, maybe a
tabletop.toml, a team file or a template folder) built by `build(name, folder)`
from a clean base, so the big inputs (120 KB of nesting, 400-digit numbers)
need not be committed. `EXPECT` gives the exit code a case must give for the
commands where one code is the documented answer; every other command must give
one of the codes its help documents. tests/hostile/test_corpus.py runs every
command over every case; `python tests/hostile/corpus.py DIR` writes them all
out to look at.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BASE_RUNBOOK = ROOT / "tests" / "fixtures" / "scenario-bad-anchor" / "mail-outage.yaml"

# Terminal escapes a file can carry: OSC 52 (write the clipboard), OSC 0 (window title),
# clear screen, an 8-bit CSI, a right-to-left override, a line separator.
ESCAPES = "\x1b]52;c;aGFja2Vk\x07\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2028"
NINES = "9" * 400

SCENARIO = """\
scenario: mail-drill
title: A mail outage drill
runbooks: [mail-outage]
duration: 2h
anchor: 2026-01-22T19:33:00Z
injects:
  - id: first-deferrals
    at: T+0m
    services: {mail-transport: degraded}
    say: Partners report that mail to you is deferred.
  - id: portal-down
    at: T+10m
    services: {admin-portal: down}
    say: The admin portal stops loading.
  - id: angry-customer
    after: {decision: route-decision, option: hold}
    at: +15m
    event: customer-escalation
    say: A customer calls.
"""


def _base(folder: Path) -> None:
    (folder / "runbooks").mkdir(parents=True)
    (folder / "scenarios").mkdir()
    (folder / "logs").mkdir()
    shutil.copy(BASE_RUNBOOK, folder / "runbooks" / "mail-outage.yaml")
    (folder / "scenarios" / "drill.yaml").write_text(SCENARIO, encoding="utf-8")


def _scenario(folder: Path, old: str, new: str) -> None:
    path = folder / "scenarios" / "drill.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _runbook(folder: Path, text: str, name: str = "bad.yaml") -> None:
    (folder / "runbooks" / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


# ----- logs -----

_CWD = threading.Lock()

def _good_log(folder: Path) -> Path:
    """A finished headless drill of the base scenario, played in this process."""
    from datetime import UTC, datetime

    from engine.drill.clock import FakeClock
    from engine.drill.play import Player
    from engine.drill.session import Drill
    from engine.plans import load_plan

    plan = load_plan(str(folder / "scenarios" / "drill.yaml"), [str(folder / "runbooks")])
    clock = FakeClock(datetime(2026, 1, 22, 19, 33, tzinfo=UTC))
    log = folder / "logs" / "drill.jsonl"
    with _CWD:  # the working folder is the process's: cases are built on two threads
        cwd = os.getcwd()
        os.chdir(folder)  # the log records paths as given: relative to the project, as people run it
        try:
            drill = Drill.start(load_plan("scenarios/drill.yaml", ["runbooks"]), clock, log_path="logs/drill.jsonl",
                                mode="headless")
            try:
                Player(drill, clock).run()
            finally:
                drill.close()
        finally:
            os.chdir(cwd)
    assert plan.scenario.scenario == "mail-drill"
    return log


def _records(log: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in log.read_bytes().split(b"\n")[:-1]]


def _rechain(log: Path, records: list[dict]) -> None:  # type: ignore[type-arg]
    """Write records as a log whose chain verifies: what anyone can do with a text editor and a script."""
    prev, out = "0" * 64, []
    for seq, record in enumerate(records):
        record = dict(record, seq=seq, prev=prev)
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        out.append(line)
        prev = hashlib.sha256(line).hexdigest()
    log.write_bytes(b"\n".join(out) + b"\n")


def _edited_log(edit: Callable[[list[dict]], None]) -> Callable[[Path], None]:  # type: ignore[type-arg]
    def build(folder: Path) -> None:
        log = _good_log(folder)
        records = copy.deepcopy(_records(log))
        edit(records)
        _rechain(log, records)
    return build


def _before_end(records: list[dict], kind: str, data: dict) -> None:  # type: ignore[type-arg]
    event = dict(records[-1], type=kind, data=data)
    records.insert(len(records) - 1, event)


def _first(records: list[dict], kind: str) -> dict:  # type: ignore[type-arg]
    return next(r for r in records if r["type"] == kind)


def _raw_log(data: bytes) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / "logs" / "drill.jsonl").write_bytes(data)
    return build


def _fifo_log(folder: Path) -> None:
    os.mkfifo(folder / "logs" / "drill.jsonl")


def _names(scenario_path: str, make: Callable[[Path], None] | None = None) -> Callable[[Path], None]:
    """A log whose drill.started names `scenario_path` (and its runbooks under `/`), re-chained."""
    def build(folder: Path) -> None:
        if make is not None:
            make(folder)
        _edited_log(lambda rs: _first(rs, "drill.started")["data"].update(
            scenario=dict(_first(rs, "drill.started")["data"]["scenario"], path=scenario_path),
            runbooks=[dict(r, path="/" + r["path"].split("/")[-1]) for r in _first(rs, "drill.started")["data"]
                      ["runbooks"]]))(folder)
    return build


def _huge_file(folder: Path) -> None:
    with open(folder / "scenarios" / "huge.yaml", "wb") as handle:
        handle.truncate(20 * 1024 * 1024)  # sparse: 20 MB to read, none on disk


def _torn(folder: Path) -> None:
    log = _good_log(folder)
    log.write_bytes(log.read_bytes()[:-25])


# ----- the cases -----

def _settings(text: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / "tabletop.toml").write_text(text + "\n", encoding="utf-8")
    return build


def _team(folder: Path) -> None:
    (folder / "team.yaml").write_text(
        "team: night shift\n"
        f"durations:\n  detect: {NINES}m\n"
        f"notes:\n  - {{kind: observation, text: late, at: T+{NINES}s}}\n", encoding="utf-8")


def _template(folder: Path) -> None:
    (folder / "templates").mkdir()
    (folder / "templates" / "report.md.j2").write_text(
        "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}\n", encoding="utf-8")
    _good_log(folder)


def _hostile_text(folder: Path) -> None:
    _scenario(folder, "say: Partners report that mail to you is deferred.",
              f"say: \"Partners {json.dumps(ESCAPES)[1:-1]} report\"")
    _scenario(folder, "title: A mail outage drill", f"title: \"Drill {json.dumps(ESCAPES)[1:-1]}\"")
    path = folder / "runbooks" / "mail-outage.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Keep mail flowing during a provider outage",
                                 f"title: \"Keep {json.dumps(ESCAPES)[1:-1]} flowing\""), encoding="utf-8")
    _good_log(folder)


def _hostile_names(folder: Path) -> None:
    name = "mail\x1b]0;pwned\x07\u202eoutage.yaml"
    shutil.move(folder / "runbooks" / "mail-outage.yaml", folder / "runbooks" / name)
    _runbook(folder, "runbook: broken\nsteps: [\n", "broken\x1b[2J.yaml")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "runbooks" / "pipe.yaml")


CASES: dict[str, Callable[[Path], None]] = {
    # nesting the C parser cannot survive
    "deep-block-sequence": lambda f: _runbook(f, "runbook: x\nsteps: " + "- " * 60_000 + "a\n"),
    "deep-block-keys": lambda f: _runbook(f, "runbook: x\nsteps:\n" + "? " * 60_000 + "a\n"),
    "deep-flow": lambda f: _runbook(f, "runbook: x\nsteps: " + "[" * 60_000 + "]" * 60_000 + "\n"),
    "deep-indentation": lambda f: _runbook(f, "runbook: x\nsteps:\n" + "".join(" " * i + "-\n" for i in range(1500))),
    # broken files of every kind
    "broken-yaml": lambda f: _runbook(f, "runbook: x\nsteps: {a: [\n"),
    "binary-file": lambda f: _runbook(f, b"\x00\x01\x02runbook"),
    "not-utf8": lambda f: _runbook(f, b"runbook: x\ntitle: caf\xe9\n"),
    "alias-bomb": lambda f: _runbook(f, "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8)) + "runbook: x\n"),
    "python-tag": lambda f: _runbook(f, "runbook: !!python/object/apply:os.system ['touch PWNED']\n"),
    # times and numbers validate must bound
    "anchor-year-9999": lambda f: _scenario(f, "anchor: 2026-01-22T19:33:00Z", "anchor: 9999-12-31T23:00:00Z"),
    "anchor-year-1": lambda f: _scenario(f, "anchor: 2026-01-22T19:33:00Z", "anchor: 0001-01-01T00:00:00Z"),
    "huge-at": lambda f: _scenario(f, "at: T+10m", f"at: T+{NINES}s"),
    "huge-duration": lambda f: _scenario(f, "duration: 2h", f"duration: {NINES}d"),
    "huge-version": lambda f: _runbook(f, "runbook: v\ntitle: V\nversion: 1" + "0" * 3599
                                       + "\nsteps:\n  a:\n    title: A\n"),
    "huge-hex-version": lambda f: _runbook(f, "runbook: v\ntitle: V\nversion: 0x" + "f" * 3600
                                           + "\nsteps:\n  a:\n    title: A\n"),
    "huge-team-file": _team,
    # settings
    "settings-huge-integer": _settings("max-file-bytes = 99999999999999999999"),
    "settings-long-number": _settings("max-file-bytes = " + "9" * 5000),
    "settings-deep-array": _settings("exclude = " + "[" * 5000 + "]" * 5000),
    # text that must stay data on every stream
    "terminal-escapes-in-files": _hostile_text,
    "terminal-escapes-in-paths": _hostile_names,
    "fifo-named-yaml": _fifo,
    "hostile-template": _template,
    # drill logs anyone can hand you
    "log-good": _good_log,
    "log-torn": _torn,
    "log-empty": _raw_log(b""),
    "log-fifo": _fifo_log,
    "log-names-root": _names("/"),
    "log-names-outside": _names("../../../../../../etc/passwd"),
    "log-names-a-fifo": _names("scenarios/pipe.yaml", lambda f: os.mkfifo(f / "scenarios" / "pipe.yaml")),
    "log-names-a-huge-file": _names("scenarios/huge.yaml", _huge_file),
    "log-binary": _raw_log(b"\x00\x01\x02" * 100),
    "log-not-json": _raw_log(b"{not json\n" * 3),
    "log-deep-json": _raw_log(b"[" * 100_000 + b"\n"),
    "log-hostile-note": _edited_log(lambda rs: _before_end(rs, "note", {"kind": "observation", "text": ESCAPES,
                                                                      "by": ESCAPES})),
    "log-hostile-paths": _edited_log(lambda rs: _first(rs, "drill.started")["data"]["scenario"].update(
        path="/\x1b]0;pwned\x07/etc/" + ESCAPES + ".yaml")),
    "log-full-rewrite": _edited_log(lambda rs: _first(rs, "drill.started")["data"].update(facilitator="Mallory")),
    "log-jump-1e11": _edited_log(lambda rs: _before_end(rs, "clock.jumped", {"to": 10 ** 11})),
    "log-jump-400-nines": _edited_log(lambda rs: _before_end(rs, "clock.jumped", {"to": int(NINES)})),
    "log-option-object": _edited_log(lambda rs: _first(rs, "decision.made")["data"].update(option={"x": 1})),
    "log-runbooks-number": _edited_log(lambda rs: _first(rs, "drill.started")["data"].update(runbooks=5)),
    "log-participants-list": _edited_log(lambda rs: _first(rs, "drill.started")["data"].update(participants=["a"])),
    "log-wall-number": _edited_log(lambda rs: rs[3].update(wall=12345)),
}

# Cases that wait for other work to pass (marked xfail, strict); none since every event is shape-checked on read.
WAITS_FOR_CONTRACT: set[str] = set()

# The documented exit code where one is the answer: (case, command) -> code.
EXPECT: dict[tuple[str, str], int] = {
    **{(c, "validate"): 3 for c in ("deep-block-sequence", "deep-block-keys", "deep-flow", "deep-indentation",
                                    "broken-yaml", "binary-file", "not-utf8", "alias-bomb")},
    **{(c, "validate"): 1 for c in ("anchor-year-9999", "anchor-year-1", "huge-at", "huge-duration",
                                    "huge-version", "huge-hex-version", "python-tag")},
    **{(c, cmd): 2 for c in ("settings-huge-integer", "settings-long-number", "settings-deep-array")
       for cmd in ("validate", "explore", "coverage")},
    ("huge-team-file", "play --team"): 2,
    ("hostile-template", "report --template"): 2,
    ("log-full-rewrite", "log verify"): 0,  # the chain alone cannot tell (docs/drill-log.md)
    ("log-torn", "log verify"): 1,
    ("log-empty", "log verify"): 3,
    ("log-fifo", "log verify"): 3,
    ("log-fifo", "report"): 3,
    ("log-fifo", "play --resume"): 4,
    **{(c, cmd): code for c in ("log-names-root", "log-names-outside", "log-names-a-fifo", "log-names-a-huge-file")
       for cmd, code in (("log verify", 0), ("report", 0), ("play --resume", 2))},
    ("log-binary", "log verify"): 3,
    ("log-not-json", "log verify"): 1,
    ("log-deep-json", "log verify"): 1,
    ("log-good", "log verify"): 0,
    ("log-jump-1e11", "log verify"): 1,
    ("log-jump-400-nines", "log verify"): 1,
}


def build(name: str, folder: Path) -> Path:
    """Write case `name` into `folder` (created); returns the folder."""
    _base(folder)
    CASES[name](folder)
    return folder


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for case in CASES:
        build(case, out / case)
        print(out / case)
