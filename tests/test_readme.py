"""The README's commands are real: each parses with today's options, and its examples fit together."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from engine.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    lines = "\n".join(blocks).replace("\\\n", " ").splitlines()
    out = []
    for line in lines:
        line = re.sub(r"\s+#.*$", "", line).split(" > ")[0].strip()
        if line.startswith("tabletop "):
            out.append(line)
    return out


@pytest.mark.parametrize("command", _commands())
def test_readme_command_parses(command: str) -> None:
    argv = shlex.split(command)[1:]
    try:
        build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse refuses: a stale option or a missing argument
        pytest.fail(f"{command!r} does not parse (exit {exc.code})")


def test_the_report_example_reports_the_team_drill_it_played() -> None:
    commands = _commands()
    play = next(c for c in commands if c.startswith("tabletop play") and "--team" in c and "--log" in c)
    log = shlex.split(play)[shlex.split(play).index("--log") + 1]
    assert any(c.startswith(f"tabletop report {log}") for c in commands)


def test_imports_do_not_clobber_shipped_files() -> None:
    for command in _commands():
        if " import " in command:
            assert "--force" not in command, command
            target = shlex.split(command)[shlex.split(command).index("-o") + 1]
            assert not target.startswith(("runbooks/", "scenarios/")), command


def test_install_hints_name_the_checkout() -> None:
    assert "pip install 'tabletop" not in README and "pip install tabletop" not in README
    assert ". .venv/bin/activate" in README


def test_the_hot_wash_fork_forks_the_team_drill_and_is_compared_with_it() -> None:
    commands = _commands()
    # `play SCENARIO --team FILE` without --log writes exports/drills/<scenario>-<its anchor>.jsonl
    assert "tabletop play scenarios/m365-na-outage-2026-01-22.yaml --team teams/m365-na-outage.team.yaml" in commands
    team_log = "exports/drills/m365-na-outage-2026-01-22-20260122T193300Z.jsonl"
    fork = shlex.split(next(c for c in commands if "play --from" in c))
    assert fork[fork.index("--from") + 1] == team_log and "failover-decision=fail-over" in fork
    compare = shlex.split(next(c for c in commands if "report --compare" in c))
    assert compare[compare.index("--compare") + 1:compare.index("--compare") + 3] == [
        team_log, "exports/drills/m365-na-outage-2026-01-22-fork-20260122T193300Z.jsonl"]


def test_the_room_example_plays_seats_a_poll_and_a_proposal(tmp_path: Path) -> None:
    """The README's team-file example of a drill with seats and a poll plays as written."""
    import subprocess
    import sys

    from engine.drill.log import read_log

    block = next(b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if "open-poll" in b)
    root = Path(__file__).resolve().parents[1]
    team = tmp_path / "team.yaml"
    shipped = (root / "teams" / "m365-na-outage.team.yaml").read_text(encoding="utf-8")
    cite = re.search(r"`(poll: \w+)` beside its `option`", README)  # as the README says to cite it
    assert cite is not None and "    by: incident-commander\n  posture-decision:" in shipped
    shipped = shipped.replace("    by: incident-commander\n  posture-decision:",
                              f"    by: incident-commander\n    {cite.group(1)}\n  posture-decision:")
    team.write_text(shipped + "\n" + block, encoding="utf-8")
    log = tmp_path / "room.jsonl"
    done = subprocess.run([sys.executable, "-m", "engine", "play", "scenarios/m365-na-outage-2026-01-22.yaml",
                           "--team", str(team), "--log", str(log)], cwd=root, capture_output=True, text=True)
    assert done.returncode in (0, 1) and done.stderr == "", done.stderr
    kinds = [e.type for e in read_log(str(log)).events]
    for kind in ("seat.joined", "poll.opened", "poll.answered", "proposal.made", "poll.revealed", "poll.closed"):
        assert kind in kinds, kind
    events = read_log(str(log)).events
    opened = next(e for e in events if e.type == "poll.opened")
    made = next(e for e in events if e.type == "decision.made" and e.data["step"].endswith("failover-decision"))
    assert made.data["poll"] == opened.data["poll"]  # the decision cites the poll
