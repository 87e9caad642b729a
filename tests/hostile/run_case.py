"""Run every tabletop command over one case of the hostile corpus, in this process; print one JSON line each.

    python tests/hostile/run_case.py CASE_FOLDER

Each command runs with the case folder as the working folder and its output
captured. A command that raises (a traceback) is recorded as such; one that
runs past TIMEOUT seconds makes faulthandler dump the stacks and end the
process, which the caller sees as a hang. Not a test module: test_corpus.py
runs it in a subprocess per case, so a crash takes down one case, not pytest.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import json
import os
import sys
import time
import traceback
from pathlib import Path

# Seconds for one command: only a hang reaches it. A last-resort net far past any command on a loaded machine
# (the slowest take seconds); it was 60, which a slow run of a big case could pass without hanging.
TIMEOUT = 300


def commands(folder: Path) -> list[tuple[str, list[str]]]:
    """(name, argv) for every command that reads what the case holds."""
    runbooks = sorted(str(p.relative_to(folder)) for p in (folder / "runbooks").iterdir() if p.is_file())
    scenario = "scenarios/drill.yaml"
    out: list[tuple[str, list[str]]] = [
        ("validate", ["validate", "."]),
        ("validate json", ["validate", ".", "--format", "json"]),
        ("validate sarif", ["validate", ".", "--format", "sarif", "-o", "out/findings.sarif"]),
        ("explore", ["explore", scenario]),
        ("coverage", ["coverage"]),
        ("play", ["play", scenario, "--log", "out/played.jsonl"]),
        ("play --start", ["play", scenario, "--start", "0001-01-01T00:00:00Z", "--log", "out/start.jsonl"]),
        ("msel export", ["msel", "export", scenario, "-o", "out/msel.csv"]),
    ]
    for runbook in runbooks:
        out.append(("graph", ["graph", runbook]))
        out.append(("cacao export", ["cacao", "export", runbook, "-o", f"out/{len(out)}.json"]))
    if (folder / "team.yaml").exists():
        out.append(("play --team", ["play", scenario, "--team", "team.yaml", "--log", "out/team.jsonl"]))
    log = folder / "logs" / "drill.jsonl"
    if log.exists():
        out += [
            ("log verify", ["log", "verify", "logs/drill.jsonl"]),
            ("log show", ["log", "show", "logs/drill.jsonl"]),
            ("report", ["report", "logs/drill.jsonl", "--format", "md", "-o", "-"]),
            ("report html", ["report", "logs/drill.jsonl", "--format", "html", "-o", "out/report.html"]),
            ("report json", ["report", "logs/drill.jsonl", "--format", "json", "-o", "-"]),
            ("play --resume", ["play", "--resume", "logs/drill.jsonl"]),
        ]
        if (folder / "templates").exists():
            out.append(("report --template", ["report", "logs/drill.jsonl", "--template", "templates",
                                              "--format", "md", "-o", "out/templated.md"]))
    return out


def run(argv: list[str]) -> dict[str, object]:
    from engine.cli import main

    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace", write_through=True)
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace", write_through=True)
    began = time.monotonic()
    faulthandler.dump_traceback_later(TIMEOUT, exit=True)
    crashed = ""
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse
                code = exc.code if isinstance(exc.code, int) else 2
            except BaseException:  # noqa: BLE001 - a traceback is what this records
                crashed = traceback.format_exc()
                code = -1
    finally:
        faulthandler.cancel_dump_traceback_later()
    return {"code": code, "stdout": _text(stdout)[-20000:], "stderr": _text(stderr)[-20000:],
            "traceback": crashed[-4000:], "seconds": round(time.monotonic() - began, 2)}


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return raw.getvalue().decode("utf-8", errors="replace")


def main() -> int:
    folder = Path(sys.argv[1]).resolve()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.chdir(folder)
    (folder / "out").mkdir(exist_ok=True)
    for name, argv in commands(folder):
        result = run(argv)
        print(json.dumps({"command": name, "argv": argv, **result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
