"""Benchmark of the drill room with seats, under a hostile room (run on demand, not in CI):

    python bench/room_seats_bench.py [--seats 100] [--seconds 30] [--idle 300]

The console (`DrillApp`, headless through `App.run_test`, 120x40, the real clock) serves the room in its own
event loop, as `tabletop drill --room` does, on the shipped scenario, with the feedback form open; a key is
pressed every ~0.3 s (cursor moves, pane switches, and `i`, firing the next inject). Three phases:
  1. idle: no browser; the console's key -> frame times;
  2. seats: a second process takes --seats seats, each from its own loopback address (127.0.1.N, as phones
     on a Wi-Fi), each joining, streaming the live events, dropping its stream once and resuming it with
     Last-Event-ID, answering the feedback form, and sending the same answer again after the reconnect,
     while --evaluator-pages browsers load the evaluator page back to back;
  3. flood: --idle connections that never send a request, first from one address, then spread over ten,
     while the seats load the participant page.
Reports:
  - join -> seat taken, answer -> on disk (fsynced), fsync -> seat stream (an inject fired while streaming):
    p50, p95, max;
  - answers lost or doubled across reconnects (goal 0), events lost or doubled on the seats' streams (goal 0);
  - console key -> frame p95 while the seats stream and answer, against idle (goal: ratio at most 1.2);
  - participant page load p95 with the idle connections open (goal under 1 s).
Polls are not in this room yet: the answer measured is the feedback form's (one a seat, like a poll's).
Both processes run on this machine and read the same wall clock. The seats' and the flood's addresses
(127.0.1.N, 127.0.0.2, 127.0.2.N, 127.0.3.N) need Linux, where all of 127/8 is loopback.

Measured 2026-12-07 on 2 CPUs shared with other work (load average 3 to 5, so the console's idle
key -> frame p95 alone was 140 to 280 ms), 100 seats, 30 s a phase, 300 idle connections:
  - answers lost / doubled 0 / 0, events lost / doubled 0 / 0 (also before the fixes);
  - join p95 0.39 s (before the seat link's burst was raised: 6.6 s, 245 writes told to wait);
  - answer -> on disk p95 0.25 s; fsync -> seat stream p95 77 ms;
  - page load p95 with 300 idle connections 0.62 s from one address and from ten (before: every load
    refused with a 503);
  - key -> frame p95, seats / idle: 1.23 with --evaluator-pages 0 (1.10 in an earlier run; the room before
    the fixes: 1.52); with 30 browsers loading the evaluator page back to back 1.69 (1.68 with the render
    thread before the pacing; runs on this machine vary by about 0.5): the goal of 1.2 is not shown met
    under that load here.
Measured again the same day on the same 2 CPUs, quiet (load average 0.3), with the 30 browsers loading the
evaluator page: key -> frame p95 seats / idle 1.00 (105 ms both; the goal met); join p95 0.14 s; answer -> on
disk p95 79 ms; fsync -> seat stream p95 27 ms; page load p95 with 300 idle connections 0.39 s from one
address, 0.22 s from ten; nothing lost or doubled.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"

from room_bench import pct, summary  # noqa: E402

# ----- the seats: a separate process -----

class Seat:
    def __init__(self, n: int, links: dict[str, str]) -> None:
        import httpx

        self.n = n
        self.base = links["participant"]
        self.origin = self.base.split("/p/")[0]
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.1.{n + 1}")
        self.client = httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(60, read=None))
        self.seqs: list[tuple[int, float]] = []
        self.out: dict[str, Any] = {"n": n, "answers": [], "refused": 0}

    async def post(self, path: str, data: dict[str, str]) -> Any:
        while True:  # a 429 says wait: an honest browser sends it again a moment later
            response = await self.client.post(self.base + path, data=data, headers={"origin": self.origin})
            if response.status_code != 429:
                return response
            self.out["refused"] += 1
            await asyncio.sleep(1 + random.random())

    async def join(self) -> None:
        began = time.time()
        response = await self.post("/join", {"name": f"Seat {self.n}", "role": "observer"})
        self.out.update(join=time.time() - began, join_status=response.status_code,
                        seat=self.client.cookies.get("tabletop_seat"))

    async def stream(self, stop: asyncio.Event, after: int) -> None:
        headers = {"last-event-id": str(after)} if after >= 0 else {}
        async with self.client.stream("GET", self.base + "/events", headers=headers) as response:
            seq = None
            async for line in response.aiter_lines():
                if line.startswith("id:"):
                    seq = int(line[3:])
                elif line.startswith("data:") and seq is not None:
                    self.seqs.append((seq, time.time()))
                    seq = None
                if stop.is_set():
                    return

    async def run(self, seconds: float, opened: asyncio.Event) -> None:
        first = asyncio.Event()
        task = asyncio.create_task(self.stream(first, -1))
        opened.set()
        await asyncio.sleep(random.uniform(0, seconds / 2))
        await self.answer()
        await asyncio.sleep(random.uniform(0, seconds / 4))
        first.set()  # drop the stream (Wi-Fi lost) ...
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        last = max((s for s, _ in self.seqs), default=-1)
        again = asyncio.Event()
        task = asyncio.create_task(self.stream(again, last))  # ... and resume after the last event seen
        await self.answer()  # the same answer sent again after the reconnect: must not count twice
        await asyncio.sleep(max(0.0, seconds - (time.time() - self.began)))
        again.set()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def answer(self) -> None:
        sent = time.time()
        response = await self.post("/feedback", {"rate-organised": str(1 + self.n % 5)})
        self.out["answers"].append({"sent": sent, "status": response.status_code})


async def page_loads(seats: list[Seat], rounds: int) -> list[float]:
    times: list[float] = []

    async def load(seat: Seat) -> None:
        began = time.time()
        response = await seat.client.get(seat.base)
        times.append(time.time() - began if response.status_code == 200 else float("inf"))

    for _ in range(rounds):
        await asyncio.gather(*(load(seat) for seat in seats))
    return times


async def idle_connections(port: int, count: int, addresses: list[str]) -> list[asyncio.StreamWriter]:
    writers = []
    for k in range(count):
        _, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(addresses[k % len(addresses)], 0))
        writers.append(writer)
    return writers


async def evaluator_pages(link: str, n: int, stop: asyncio.Event) -> int:
    """`n` browsers loading the evaluator page back to back (each from its own address) until `stop`."""
    import httpx

    loads = 0

    async def one(k: int) -> None:
        nonlocal loads
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.3.{k + 1}")
        async with httpx.AsyncClient(transport=transport, timeout=60) as client:
            while not stop.is_set():
                await client.get(link)
                loads += 1

    await asyncio.gather(*(one(k) for k in range(n)))
    return loads


async def clients(links: dict[str, str], n: int, seconds: float, idle: int, out: str, evaluators: int) -> None:
    seats = [Seat(k, links) for k in range(n)]
    await asyncio.gather(*(seat.join() for seat in seats))
    opened = [asyncio.Event() for _ in seats]
    began = time.time()
    for seat in seats:
        seat.began = began  # type: ignore[attr-defined]
    runs = [asyncio.create_task(seat.run(seconds, o)) for seat, o in zip(seats, opened, strict=True)]
    await asyncio.gather(*(o.wait() for o in opened))
    print("seats", flush=True)
    stop = asyncio.Event()
    pages = asyncio.create_task(evaluator_pages(links["evaluator"], evaluators, stop))
    await asyncio.gather(*runs)
    stop.set()
    evaluator_loads = await pages
    print("flood", flush=True)
    port = int(links["participant"].split(":")[2].split("/")[0])
    flood: dict[str, Any] = {}
    for name, addresses in (("one address", ["127.0.0.2"]), ("ten addresses", [f"127.0.2.{k}" for k in range(1, 11)])):
        writers = await idle_connections(port, idle, addresses)
        await asyncio.sleep(0.5)  # the server has taken them
        flood[name] = await page_loads(seats, 3)
        for writer in writers:
            writer.close()
        await asyncio.sleep(0.5)
    for seat in seats:
        await seat.client.aclose()
    Path(out).write_text(json.dumps({"seats": [{**s.out, "seqs": s.seqs} for s in seats], "flood": flood,
                                     "evaluator_loads": evaluator_loads}), encoding="utf-8")


# ----- the console serving the room: this process -----

async def press_keys(app: Any, screen: Any, drill: Any, until: Any, waiting: dict[str, Any]) -> int:
    """Press a key every ~0.3 s until `until()`: the panes in turn, and `i` (the next inject) with Esc to close
    its announcement; each key's frame is timed by the app (`waiting`). Returns the keys with no frame."""
    from engine.tui.screens.confirm import ConfirmScreen
    from engine.tui.screens.inject import InjectScreen

    panes = {"1": "step", "3": "injects", "4": "log"}
    cycle = ["3", "4", "1", "i", "y", "escape", "4", "3", "1"]  # i asks first (y: fire it), then announces it
    n = missed = 0
    while not until():
        key = cycle[n % len(cycle)]
        n += 1
        up = app.screen
        if isinstance(up, ConfirmScreen):
            key = "y"
        elif isinstance(up, InjectScreen):  # the one fired by hand, or one that fired by its time
            key = "escape"
        elif key in ("y", "escape") or (key == "i" and not drill.state.upcoming()):
            continue
        if key in panes and screen.pane == panes[key]:
            continue
        tests = {"i": lambda: isinstance(app.screen, ConfirmScreen),
                 "y": lambda: isinstance(app.screen, InjectScreen),
                 "escape": lambda: not isinstance(app.screen, InjectScreen),
                 **{k: (lambda v=v: screen.pane == v) for k, v in panes.items()}}
        waiting.update(test=tests[key], began=time.perf_counter())
        app.simulate_key(key)
        await asyncio.sleep(0.3)
        if waiting:
            if os.environ.get("BENCH_DEBUG"):
                print("missed", key, tests[key](), type(app.screen).__name__, screen.pane, file=sys.stderr)
            missed += 1
            waiting.clear()
    return missed


async def console(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    from engine.drill.clock import SystemClock
    from engine.drill.session import Drill
    from engine.plans import load_plan
    from engine.room.server import prepare
    from engine.tui.app import DrillApp
    from engine.tui.screens.console import ConsoleScreen
    from engine.tui.screens.inject import InjectScreen

    waiting: dict[str, Any] = {}
    phase = {"name": "idle"}
    frames: dict[str, list[float]] = {"idle": [], "seats": [], "flood": []}

    class TimedApp(DrillApp):
        def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
            if renderable is not None and waiting.get("test") and waiting["test"]():
                frames[phase["name"]].append(time.perf_counter() - waiting.pop("began"))
                waiting.clear()
            super()._display(screen, renderable)

    plan = load_plan(str(SHIPPED))
    drill = Drill.start(plan, SystemClock(), log_path=str(folder / "bench.jsonl"), facilitator="Bench")
    drill.open_feedback("Bench")
    fsynced: dict[int, float] = {}
    answered: dict[str, list[float]] = {}

    def on_disk(event: Any) -> None:
        now = time.time()
        fsynced[event.seq] = now
        if event.type == "feedback.submitted":
            answered.setdefault(event.data["respondent"], []).append(now)

    drill.listeners.append(on_disk)
    app = TimedApp(plan, drill.clock, drill, blink=False, room=prepare("127.0.0.1", 0, None),
                   key_guard=0)  # the machinery timed, not the guard that drops keys typed as a form closes
    missed = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        while isinstance(app.screen, InjectScreen):
            await pilot.press("escape")
            await pilot.pause()
        assert app.room_server is not None
        screen = app.screen
        assert isinstance(screen, ConsoleScreen)
        began = time.time()
        missed += await press_keys(app, screen, drill, lambda: time.time() - began > args.seconds, waiting)
        results = folder / "clients.json"
        proc = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--clients", json.dumps(app.room_server.links), "--out", str(results),
            "--seconds", str(args.seconds), "--seats", str(args.seats), "--idle", str(args.idle),
            "--evaluator-pages", str(args.evaluator_pages), stdout=asyncio.subprocess.PIPE)
        assert proc.stdout is not None
        lines: asyncio.Queue[str] = asyncio.Queue()

        async def read() -> None:
            assert proc.stdout is not None
            async for line in proc.stdout:
                await lines.put(line.decode().strip())

        reader = asyncio.create_task(read())
        assert await lines.get() == "seats"
        streaming = time.time()
        phase["name"] = "seats"
        missed += await press_keys(app, screen, drill, lambda: not lines.empty(), waiting)
        assert await lines.get() == "flood"
        phase["name"] = "flood"
        missed += await press_keys(app, screen, drill, lambda: proc.returncode is not None, waiting)
        await proc.wait()
        await reader
    drill.close()
    data = json.loads(results.read_text(encoding="utf-8"))
    return {"fsynced": fsynced, "answered": answered, "frames": frames, "missed": missed, "streaming": streaming,
            "events": len(fsynced), **data}


def report(run: dict[str, Any], args: argparse.Namespace) -> None:
    fsynced = {int(k): v for k, v in run["fsynced"].items()}
    answered: dict[str, list[float]] = run["answered"]
    seats = run["seats"]
    joins = [s["join"] for s in seats if s["join_status"] == 303]
    to_disk, lost_answers, doubled_answers, to_seat = [], 0, 0, []
    lost_events = doubled_events = 0
    for seat in seats:
        times = answered.get(seat["seat"] or "", [])
        accepted = [a for a in seat["answers"] if a["status"] == 303]
        lost_answers += bool(accepted) and not times
        doubled_answers += max(0, len(times) - 1)
        if accepted and times:
            to_disk.append(times[0] - accepted[0]["sent"])
        seqs = [s for s, _ in seat["seqs"]]
        last = max(seqs, default=-1)
        lost_events += len(set(range(last + 1)) - set(seqs))
        doubled_events += len(seqs) - len(set(seqs))
        to_seat += [when - fsynced[s] for s, when in seat["seqs"] if s in fsynced and fsynced[s] >= run["streaming"]]
    twice = sum(len([a for a in s["answers"] if a["status"] == 409]) for s in seats)
    print(f"room seats bench: {args.seats} seats (one address each), {args.seconds:g} s a phase, {args.idle} idle "
          f"connections; {max(fsynced) + 1} events in the log; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    print(summary("join -> seat taken", joins))
    print(summary("answer -> on disk (fsynced)", to_disk))
    print(summary("fsync -> seat stream", to_seat, "p95 < 1 s"))
    print(f"{'answers lost / doubled':<34} {lost_answers} / {doubled_answers} over {len(seats)} seats, "
          f"{twice} sent again after a reconnect refused (409)   goal 0 / 0")
    print(f"{'events lost / doubled':<34} {lost_events} / {doubled_events} over {len(seats)} streams, each resumed "
          "once   goal 0 / 0")
    print(f"{'writes told to wait (429)':<34} {sum(s['refused'] for s in seats)}")
    print(f"{'evaluator pages loaded meanwhile':<34} {run['evaluator_loads']} by {args.evaluator_pages} browsers")
    frames = run["frames"]
    for name in ("idle", "seats", "flood"):
        print(summary(f"console key -> frame, {name}", frames[name]))
    ratio = pct(frames["seats"], 0.95) / pct(frames["idle"], 0.95)
    print(f"{'key -> frame p95 seats / idle':<34} {ratio:.2f}   goal <= 1.2")
    for name, loads in run["flood"].items():
        failed = sum(t == float("inf") for t in loads)
        print(summary(f"page load, {args.idle} idle ({name})", [t for t in loads if t != float("inf")], "p95 < 1 s")
              + (f"   {failed} failed" if failed else ""))
    if run["missed"]:
        print(f"{'keys with no frame in 300 ms':<34} {run['missed']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--idle", type=int, default=300)
    parser.add_argument("--evaluator-pages", type=int, default=30, help="browsers loading the evaluator page "
                        "back to back while the seats stream (default 30)")
    parser.add_argument("--clients", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.clients:
        asyncio.run(clients(json.loads(args.clients), args.seats, args.seconds, args.idle, args.out,
                            args.evaluator_pages))
        return
    with tempfile.TemporaryDirectory() as tmp:
        run = asyncio.run(console(args, Path(tmp)))
    report(run, args)


if __name__ == "__main__":
    main()
