"""The 21 and 23 January scenarios drill what the 22 January one does not; played headless to show it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = ROOT / "scenarios" / "m365-network-provider-2026-01-21.yaml"
LONG_TAIL = ROOT / "scenarios" / "m365-long-tail-2026-01-23.yaml"


def _play(scenario: Path, tmp_path: Path, decide: dict[str, str]) -> tuple[list[str], dict[str, str], set[str]]:
    """Injects fired, each step's final status, and the steps that were ever blocked."""
    play = pytest.importorskip("engine.drill.play")
    from engine.drill.clock import FakeClock
    from engine.drill.log import read_log
    from engine.drill.session import Drill
    from engine.drill.state import DrillState, StepStatus
    from engine.plans import load_plan

    plan = load_plan(str(scenario), [str(ROOT / "runbooks")])
    clock = FakeClock(play.start_wall(plan))
    log = tmp_path / f"{scenario.stem}-{'-'.join(decide.values())}.jsonl"
    drill = Drill.start(plan, clock, log_path=str(log), mode="headless")
    outcome = play.Player(drill, clock, decide=decide).run()
    assert outcome.finished, outcome.stuck
    events = read_log(str(log)).events
    state, blocked = DrillState(plan), set()
    for event in events:
        state.apply(event)
        blocked |= {k for k in plan.steps if state.status(k) is StepStatus.BLOCKED}
    fired = [e.data["inject"] for e in events if e.type == "inject.fired"]
    return fired, {k: str(state.status(k)) for k in plan.steps}, blocked


@pytest.mark.parametrize("option", ["fail-over", "hold"])
def test_network_provider_paths(tmp_path: Path, option: str) -> None:
    fired, status, blocked = _play(PROVIDER, tmp_path, {"inbound-mail-continuity/failover-decision": option})
    # The console is gone from the first minute, so the service-health step falls back at once.
    assert "admin-console-loss/read-service-health" in blocked
    assert status["admin-console-loss/out-of-band-status"] == "done"
    assert "provider-calls-back" in fired  # a contingency on the escalation fallback being done
    assert {"inbound-mail-continuity/confirm-recovery", "inbound-mail-continuity/reconcile-mail"} <= blocked
    if option == "fail-over":
        assert {"relay-same-carrier", "relay-reachable-again"} <= set(fired) and "early-bounce" not in fired
        assert "inbound-mail-continuity/switch-mx" in blocked  # relay down, no fallback: it waits
    else:
        assert "early-bounce" in fired and "relay-same-carrier" not in fired


@pytest.mark.parametrize("posture", ["raise-posture", "accept-gap"])
@pytest.mark.parametrize("route", ["fail-over", "hold"])
def test_long_tail_paths(tmp_path: Path, posture: str, route: str) -> None:
    fired, status, blocked = _play(LONG_TAIL, tmp_path, {"inbound-mail-continuity/failover-decision": route,
                                                         "security-telemetry-gap/posture-decision": posture})
    assert status["security-telemetry-gap/siem-pull"] == "done"
    assert status["security-telemetry-gap/journal-export"] == "done"
    assert status["inbound-mail-continuity/handle-customer-escalation"] == "done"  # whatever the route
    assert {"expired-in-a-queue", "hidden-inbox-rule"} <= set(fired)
    assert status["security-telemetry-gap/handle-outage-phish"] == "done"
    assert ("acceptance-expiring" in fired) == (posture == "accept-gap")
    assert ("freeze-pushback" in fired) == (posture == "raise-posture")
    assert ("relay-leftovers" in fired) == (route == "fail-over")
