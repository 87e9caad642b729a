"""Benchmark of the drill room under load (run on demand, not in CI):

    python bench/room_bench.py [--seconds 60] [--participants 100] [--evaluators 5]

The console (`DrillApp`, headless through `App.run_test`, 120x40, the real clock) serves the room in its
own event loop, as `tabletop drill --room` does, on the shipped scenario; a key is pressed every
~0.3 s (cursor moves, pane switches, and `i`, firing the next inject, with Esc to close its
announcement) while the scheduled injects keep firing too. A second process opens --participants
live streams (server-sent events) and has --evaluators evaluators post an observation once a second
each, for --seconds. Reports:
  - fsync -> participant: from the drill having written (fsynced) and applied an event to its
    arrival at each participant stream; p50, p95, max (goal p95 under 1 s);
  - evaluator post -> fsync: from sending the form to the note being on disk; p50, p95, max;
  - events lost and duplicated over all the streams (goal 0);
  - console key -> frame while serving: from the key event to the first frame the app composed that
    shows its effect; p50, p95, max (goal p95 under 50 ms).
Both processes run on this machine and read the same wall clock.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else float("nan")


def summary(name: str, seconds: list[float], goal: str = "") -> str:
    ms = [s * 1000 for s in seconds]
    if not ms:
        return f"{name:<34} no samples"
    return (f"{name:<34} p50 {statistics.median(ms):7.1f} ms   p95 {pct(ms, 0.95):7.1f} ms   "
            f"max {max(ms):7.1f} ms   ({len(ms)} samples){'   goal ' + goal if goal else ''}")


# ----- the clients: a separate process -----

async def participant(client: Any, url: str, arrivals: list[tuple[int, float]], ready: asyncio.Event,
                      stop: asyncio.Event) -> None:
    async with client.stream("GET", url) as response:
        ready.set()
        seq = None
        async for line in response.aiter_lines():
            if line.startswith("id:"):
                seq = int(line[3:])
            elif line.startswith("data:") and seq is not None:
                arrivals.append((seq, time.time()))
                seq = None
            if stop.is_set():
                return


async def evaluator(client: Any, url: str, origin: str, n: int, seconds: float,
                    posts: list[dict[str, Any]]) -> None:
    began = time.time()
    k = 0
    while time.time() - began < seconds:
        text = f"bench evaluator {n} observation {k}"
        sent = time.time()
        response = await client.post(url, data={"name": f"Evaluator {n}", "kind": "observation", "text": text},
                                     headers={"origin": origin})
        posts.append({"text": text, "sent": sent, "status": response.status_code})
        k += 1
        await asyncio.sleep(max(0.0, began + k - time.time()))


async def clients(links: dict[str, str], participants: int, evaluators: int, seconds: float, out: str) -> None:
    import httpx

    origin = links["participant"].split("/p/")[0]
    limits = httpx.Limits(max_connections=participants + evaluators + 10, max_keepalive_connections=evaluators + 5)
    async with httpx.AsyncClient(timeout=httpx.Timeout(30, read=None), limits=limits) as client:
        stop = asyncio.Event()
        streams: list[list[tuple[int, float]]] = [[] for _ in range(participants)]
        readies = [asyncio.Event() for _ in range(participants)]
        tasks = [asyncio.create_task(participant(client, links["participant"] + "/events?after=-1", streams[i],
                                                 readies[i], stop)) for i in range(participants)]
        await asyncio.gather(*(r.wait() for r in readies))
        print("ready", flush=True)
        posts: list[dict[str, Any]] = []
        await asyncio.gather(*(evaluator(client, links["evaluator"] + "/observations", origin, n, seconds, posts)
                               for n in range(evaluators)))
        await asyncio.sleep(3)  # the last events reach every stream
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    Path(out).write_text(json.dumps({"streams": streams, "posts": posts}), encoding="utf-8")


# ----- the console serving the room: this process -----

async def console(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    from engine.drill.clock import SystemClock
    from engine.drill.session import Drill
    from engine.plans import load_plan
    from engine.room.server import prepare
    from engine.tui.app import DrillApp
    from engine.tui.screens.console import ConsoleScreen
    from engine.tui.screens.inject import InjectScreen
    from engine.tui.widgets.step_table import StepTable

    waiting: dict[str, Any] = {}
    frames: list[float] = []

    class TimedApp(DrillApp):
        def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
            if renderable is not None and waiting.get("test") and waiting["test"]():
                frames.append(time.perf_counter() - waiting.pop("began"))
                waiting.clear()
            super()._display(screen, renderable)

    plan = load_plan(str(SHIPPED))
    clock = SystemClock()
    drill = Drill.start(plan, clock, log_path=str(folder / "bench.jsonl"))
    fsynced: dict[int, float] = {}
    notes: dict[str, float] = {}

    def on_disk(event: Any) -> None:
        now = time.time()
        fsynced[event.seq] = now
        if event.type == "note":
            notes[event.data["text"]] = now

    drill.listeners.append(on_disk)
    app = TimedApp(plan, clock, drill, blink=False, room=prepare("127.0.0.1", 0, None))
    missed = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        while isinstance(app.screen, InjectScreen):
            await pilot.press("escape")
            await pilot.pause()
        assert app.room_server is not None
        links = app.room_server.links
        results = folder / "clients.json"
        proc = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--clients", json.dumps(links), "--out", str(results),
            "--seconds", str(args.seconds), "--participants", str(args.participants),
            "--evaluators", str(args.evaluators), stdout=asyncio.subprocess.PIPE)
        assert proc.stdout is not None
        await proc.stdout.readline()  # "ready": every participant stream is open
        ready = time.time()
        screen = app.screen
        assert isinstance(screen, ConsoleScreen)
        table = screen.query_one(StepTable)
        cycle = ["down", "down", "3", "1", "up", "i", "escape", "down", "4", "1", "up"]
        n = 0
        while time.time() - ready < args.seconds:
            key = cycle[n % len(cycle)]
            n += 1
            if key == "escape" and not isinstance(app.screen, InjectScreen):
                continue
            row, pane = table.cursor_row, screen.pane
            tests = {"down": lambda row=row: table.cursor_row != row, "up": lambda row=row: table.cursor_row != row,
                     "3": lambda: screen.pane == "injects", "4": lambda: screen.pane == "log",
                     "1": lambda: screen.pane == "step", "i": lambda: isinstance(app.screen, InjectScreen),
                     "escape": lambda: not isinstance(app.screen, InjectScreen)}
            if key == "i" and not drill.state.upcoming():
                continue
            if (key in ("3", "4", "1") and (pane == {"3": "injects", "4": "log", "1": "step"}[key])):
                continue
            waiting.update(test=tests[key], began=time.perf_counter())
            app.simulate_key(key)
            await asyncio.sleep(0.3)
            if waiting:
                missed += 1
                waiting.clear()
        await proc.wait()
    drill.close()
    data = json.loads(results.read_text(encoding="utf-8"))
    return {"fsynced": fsynced, "notes": notes, "frames": frames, "missed": missed, "ready": ready, **data}


def report(run: dict[str, Any], args: argparse.Namespace) -> None:
    fsynced: dict[int, float] = run["fsynced"]
    last = max(fsynced)
    live = {s for s, when in fsynced.items() if when >= run["ready"]}  # written while every stream was open
    to_participant: list[float] = []
    lost = duplicated = 0
    for stream in run["streams"]:
        seqs = [s for s, _ in stream]
        lost += len(set(range(last + 1)) - set(seqs))
        duplicated += len(seqs) - len(set(seqs))
        to_participant += [arrived - fsynced[s] for s, arrived in stream if s in live]
    posts = run["posts"]
    to_fsync = [run["notes"][p["text"]] - p["sent"] for p in posts if p["text"] in run["notes"]]
    refused = sum(p["status"] != 303 for p in posts)
    print(f"room bench: {args.participants} participant streams, {args.evaluators} evaluators posting once a second, "
          f"{args.seconds:g} s; {last + 1} events in the log; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    print(summary("fsync -> participant", to_participant, "p95 < 1 s"))
    print(summary("evaluator post -> fsync", to_fsync))
    print(f"{'events lost / duplicated':<34} {lost} / {duplicated} over {len(run['streams'])} streams   goal 0 / 0")
    print(f"{'posts refused':<34} {refused} of {len(posts)}")
    print(summary("console key -> frame", run["frames"], "p95 < 50 ms"))
    if run["missed"]:
        print(f"{'keys with no frame in 300 ms':<34} {run['missed']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--evaluators", type=int, default=5)
    parser.add_argument("--clients", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.clients:
        asyncio.run(clients(json.loads(args.clients), args.participants, args.evaluators, args.seconds, args.out))
        return
    with tempfile.TemporaryDirectory() as tmp:
        run = asyncio.run(console(args, Path(tmp)))
    report(run, args)


if __name__ == "__main__":
    main()
