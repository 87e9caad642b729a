"""The room under issue 20's fault 1: the team fails over at T+0:20 and the relay's contingency alarm
(listed under Module 2, which starts at T+1:30) fires at T+0:50. Phones and the projector stay on Module 1
(Module 2's situation would give away what is coming) and mark the alarm as come ahead of its module."""

from __future__ import annotations

import json
from pathlib import Path

from roomkit import run, served

from engine.drill.session import Drill
from engine.room import views

MAIL = "inbound-mail-continuity"


def _fail_over_early(drill: Drill) -> None:
    drill.fire_due()
    for step in ("detect-deferrals", "declare-incident", "check-gateway-queues", "size-impact"):
        drill.complete_step(f"{MAIL}/{step}")
    drill.clock.advance(20 * 60)  # type: ignore[attr-defined]
    drill.fire_due()
    drill.decide(f"{MAIL}/failover-decision", "fail-over", "invoices cannot wait", "incident-commander")
    drill.clock.advance(30 * 60)  # type: ignore[attr-defined]
    drill.fire_due()


def test_the_room_stays_on_the_module_under_way_and_says_the_inject_came_early(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            _fail_over_early(drill)
            second = drill.plan.scenario.modules[1]
            seen = views.participant(drill.state, drill.now_t())
            assert seen["module"]["id"] == "mail-stops"
            assert seen["current"]["id"] == "relay-spool-alarm"
            assert seen["current"]["early"].startswith("ahead of its module, during Module 1")
            said = json.dumps(seen)
            assert second.title not in said and (second.situation or "")[:40] not in said
            last = drill.state.seq
            event = next(e for e in [*_events(drill)] if e.seq == last)
            assert views.public_event(event, drill.state)["module"]["id"] == "mail-stops"
            page = (await client.get(server.links["participant"])).text
            assert "ahead of its module, during Module 1" in page and second.title not in page
    run(go)


def _events(drill: Drill) -> list:  # type: ignore[type-arg]
    from engine.drill.log import read_log

    return read_log(drill.path).events
