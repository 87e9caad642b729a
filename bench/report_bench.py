"""Benchmark: the after-action report of a ten-hour drill with 5,000 events. Run on demand:

    .venv/bin/python bench/report_bench.py [--events 5000] [--repeat 3]

The drill is played through the Drill API on the shipped scenario with a fake
clock: injects fire on time, the team picks up every ready step, finishes it
after about its target, takes each decision, and fills the log with the notes
and checklist ticks of a busy drill until it holds the asked number of events.
Prints the best time for building the report (read, verify, fold) and for
rendering Markdown, HTML and JSON, and for `md` and `html` end to end.
The goal: under 1 s each for Markdown and HTML.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.drill.clock import FakeClock, parse_wall  # noqa: E402
from engine.drill.plan import Plan  # noqa: E402
from engine.drill.session import Drill  # noqa: E402
from engine.drill.state import StepStatus  # noqa: E402
from engine.plans import load_plan  # noqa: E402

HOURS = 10


def play(path: str, plan: Plan, events: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    clock = FakeClock(parse_wall(plan.scenario.anchor or "2026-01-22T19:33:00Z"))
    drill = Drill.start(plan, clock, log_path=path, facilitator="Bench Facilitator",
                        participants={"incident-commander": "Bench Commander"}, mode="headless")
    minutes = HOURS * 60
    filler = max(0, events - 400) / minutes  # the steps and injects make a few hundred events of their own
    finish_at: dict[str, float] = {}
    owed = 0.0
    for minute in range(minutes):
        clock.advance(60)
        drill.fire_due()
        now = drill.now_t()
        for key, status in drill.state.statuses().items():
            step = plan.steps[key]
            if status is StepStatus.READY and step.options:
                drill.decide(key, next(iter(step.options)), "the bench takes the first option", "Bench Commander")
            elif status is StepStatus.READY:
                drill.start_step(key)
                finish_at[key] = now + (step.target or 900) * rng.uniform(0.6, 1.6)
            elif status is StepStatus.ACTIVE and finish_at.get(key, now) <= now:
                for item in range(len(step.do)):
                    drill.tick(key, item)
                drill.complete_step(key)
        owed += filler
        active = [k for k, s in drill.state.statuses().items() if s is StepStatus.ACTIVE and plan.steps[k].do]
        while owed >= 1 and drill.state.seq + 1 < events - 2:
            owed -= 1
            if active and rng.random() < 0.4:
                key = rng.choice(active)
                drill.tick(key, rng.randrange(len(plan.steps[key].do)), rng.random() < 0.7)
            else:
                kind = rng.choice(("observation", "observation", "strength", "improvement"))
                drill.note(kind, f"Note {drill.state.seq} at minute {minute}: the team {rng.choice(WORDS)}.",
                           step=rng.choice(list(plan.steps)), by="Bench Facilitator",
                           **({"action": "Fix it", "element": "planning", "owner": "Someone"}
                              if kind == "improvement" else {}))
    drill.end("bench")
    while drill.state.seq + 1 < events:
        drill.answer(f"Question {drill.state.seq}", "An answer.")
    drill.close()
    return drill.state.seq + 1


WORDS = ("read out the queue figures", "waited on the bridge", "checked the status page", "paged the analyst",
         "argued the routing call", "found the runbook copy", "called the provider")


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from engine.report import render
    from engine.report.builder import build_report

    plan = load_plan(str(ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(ROOT / "runbooks")])
    with tempfile.TemporaryDirectory() as folder:
        log = str(Path(folder) / "bench.jsonl")
        count = play(log, plan, args.events)
        size = Path(log).stat().st_size
        report = build_report(log, roots=[str(ROOT)])
        span = report.figures.scenario_covered / 3600
        print(f"drill: {count} events, {size / 1024:.0f} KiB, {span:.1f} h of scenario time, "
              f"{len(report.timeline)} timeline entries, {len(report.improvement_plan)} improvement items")
        build = best(lambda: build_report(log, roots=[str(ROOT)]), args.repeat)
        md = best(lambda: render.render_markdown(report), args.repeat)
        html = best(lambda: render.render_html(report), args.repeat)
        js = best(lambda: render.render_json(report), args.repeat)
        end_md = best(lambda: render.render_markdown(build_report(log, roots=[str(ROOT)])), args.repeat)
        end_html = best(lambda: render.render_html(build_report(log, roots=[str(ROOT)])), args.repeat)
    print(f"build (read, verify, fold): {build * 1000:7.1f} ms")
    print(f"render markdown:            {md * 1000:7.1f} ms")
    print(f"render html (with charts):  {html * 1000:7.1f} ms")
    print(f"render json:                {js * 1000:7.1f} ms")
    print(f"markdown end to end:        {end_md * 1000:7.1f} ms   (goal < 1000 ms)")
    print(f"html end to end:            {end_html * 1000:7.1f} ms   (goal < 1000 ms)")
    return 0 if max(end_md, end_html) < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
