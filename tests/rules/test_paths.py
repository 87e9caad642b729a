"""engine.paths: static walks over a runbook's decision paths (all services up, no events)."""

from __future__ import annotations

from typing import Any

import pytest

from engine.graph import RunbookGraph
from engine.model import Runbook
from engine.paths import PATH_LIMIT, State, explore, waiting_on_events, walk


def runbook(steps: dict[str, dict[str, Any]], **extra: Any) -> Runbook:
    """A runbook from step data; every step gets a title."""
    return Runbook.model_validate(
        {"runbook": "test", "title": "Test", **extra,
         "steps": {sid: {"title": sid, **data} for sid, data in steps.items()}}
    )


def decision(**options: list[str]) -> dict[str, Any]:
    return {"question": "Which way?", "options": {o: {"next": targets} for o, targets in options.items()}}


FAILOVER = runbook({
    "decide": {"decision": decision(**{"fail-over": ["switch-mx"], "hold": ["watch-queues"]})},
    "switch-mx": {},
    "verify": {"needs": ["switch-mx"]},
    "watch-queues": {},
    "close-out": {"needs": ["verify", "watch-queues"]},
})


def test_a_join_after_a_branch_not_taken_is_not_stuck() -> None:
    hold = walk(FAILOVER, {"decide": "hold"})
    assert hold.states == {
        "decide": State.DONE, "switch-mx": State.SKIPPED, "verify": State.DONE,
        "watch-queues": State.DONE, "close-out": State.DONE,
    }
    assert hold.stuck() == []
    assert hold.choices == {"decide": "hold"}
    fail_over = walk(FAILOVER, {"decide": "fail-over"})
    assert fail_over.states["watch-queues"] is State.SKIPPED
    assert fail_over.states["close-out"] is State.DONE


def test_skipping_is_transitive_through_a_skipped_decision() -> None:
    rb = runbook({
        "decide": {"decision": decision(a=["inner"], b=["other"])},
        "inner": {"decision": decision(x=["deep-x"], y=["deep-y"])},
        "other": {},
        "deep-x": {},
        "deep-y": {},
        "join": {"needs": ["deep-x", "deep-y", "other"]},
    })
    outcome = walk(rb, {"decide": "b"})
    assert [s for s, state in outcome.states.items() if state is State.SKIPPED] == ["inner", "deep-x", "deep-y"]
    assert outcome.states["join"] is State.DONE
    assert outcome.choices == {"decide": "b"}  # `inner` was never decided


def test_a_fallback_not_needed_is_skipped_when_its_step_is_done() -> None:
    rb = runbook(
        {
            "read-health": {"requires": ["admin-center"], "fallback": "out-of-band"},
            "out-of-band": {"fallback": "call-provider", "requires": ["phone"]},
            "call-provider": {},
        },
        services={"admin-center": "Admin center", "phone": "Phone"},
    )
    outcome = walk(rb, {})
    assert outcome.states == {
        "read-health": State.DONE, "out-of-band": State.SKIPPED, "call-provider": State.SKIPPED,
    }


def test_event_branches_stay_dormant_and_never_block_by_themselves() -> None:
    rb = runbook({"start": {}, "escalation": {"on": "customer-escalation"}})
    outcome = walk(rb, {})
    assert outcome.states == {"start": State.DONE, "escalation": State.DORMANT}
    assert outcome.stuck() == []


def test_a_stuck_step_is_found_with_its_path() -> None:
    rb = runbook(
        {
            "route": {"decision": decision(email=["send-email"], call=["confirm-by-phone"])},
            "send-email": {},
            "confirm-by-phone": {"needs": ["phone-tree"]},
            "escalation": {"on": "customer-escalation", "requires": ["crm"], "fallback": "phone-tree"},
            "phone-tree": {},
        },
        services={"crm": "CRM"},
    )
    exploration = explore(rb)
    outcomes = list(exploration)
    assert (exploration.paths, exploration.truncated) == (2, False)
    assert {o.describe(): o.stuck() for o in outcomes} == {
        "the path route=email": [], "the path route=call": ["confirm-by-phone"],
    }
    call = outcomes[1]
    assert call.unmet("confirm-by-phone") == ["phone-tree"]
    assert call.states["phone-tree"] is State.DORMANT
    assert waiting_on_events(call, "confirm-by-phone", rb, RunbookGraph(rb)) == ["escalation"]


def test_a_missing_choice_takes_the_first_option_and_a_wrong_one_is_refused() -> None:
    assert walk(FAILOVER, {}).choices == {"decide": "fail-over"}
    with pytest.raises(ValueError):
        walk(FAILOVER, {"decide": "maybe"})
    with pytest.raises(ValueError):
        walk(FAILOVER, {"switch-mx": "hold"})


def test_paths_come_depth_first_in_file_and_option_order() -> None:
    rb = runbook({
        "first": {"decision": decision(a=["x"], b=["y"])},
        "second": {"decision": decision(c=["x"], d=["y"])},
        "x": {}, "y": {},
    })
    assert [tuple(o.choices.items()) for o in explore(rb)] == [
        (("first", "a"), ("second", "c")), (("first", "a"), ("second", "d")),
        (("first", "b"), ("second", "c")), (("first", "b"), ("second", "d")),
    ]


def test_a_decision_is_made_only_once_its_step_is_ready() -> None:
    # `late` comes first in the file but waits for `early`; the skipped `inner` is never decided
    rb = runbook({
        "late": {"needs": ["early"], "decision": decision(p=["after"], q=["after"])},
        "early": {"decision": decision(a=["inner"], b=["other"])},
        "inner": {"decision": decision(x=["deep"], y=["deep"])},
        "other": {}, "deep": {}, "after": {},
    })
    assert [o.describe() for o in explore(rb)] == [
        "the path late=p, early=a, inner=x", "the path late=p, early=a, inner=y",
        "the path late=q, early=a, inner=x", "the path late=q, early=a, inner=y",
        "the path late=p, early=b", "the path late=q, early=b",
    ]


def test_the_bound_stops_the_walk_and_says_so() -> None:
    # 13 independent two-way decisions: 8,192 paths, twice the bound
    steps: dict[str, dict[str, Any]] = {}
    for i in range(13):
        steps[f"d{i}"] = {"decision": decision(yes=[f"yes{i}"], no=[f"no{i}"])}
        steps[f"yes{i}"] = {}
        steps[f"no{i}"] = {}
    rb = runbook(steps)
    exploration = explore(rb)
    assert len(list(exploration)) == PATH_LIMIT == exploration.paths
    assert exploration.truncated
    small = explore(rb, limit=3)
    assert [o.choices["d12"] for o in small] == ["yes", "no", "yes"]
    assert small.truncated
    exact = explore(FAILOVER, limit=2)
    assert len(list(exact)) == 2 and not exact.truncated


def test_a_cycle_leaves_its_steps_stuck_without_hanging() -> None:
    rb = runbook({"a": {"needs": ["b"]}, "b": {"needs": ["a"]}, "c": {}})
    outcome = walk(rb, {})
    assert outcome.stuck() == ["a", "b"]
    assert outcome.states["c"] is State.DONE


def test_needs_on_missing_steps_count_as_met() -> None:
    rb = runbook({"a": {"needs": ["no-such-step"]}})
    assert walk(rb, {}).states == {"a": State.DONE}
