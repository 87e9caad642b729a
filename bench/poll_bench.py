"""Benchmark of a poll in a full room (run on demand, not in CI):

    python bench/poll_bench.py [--seats 100] [--seconds 10]

The room is served over a drill of the shipped scenario in its own thread and event loop (the console's
place: the one writer); an inject is fired by hand every two seconds there. --seats browsers join at once
(POST /join, each with its own cookies and its own loopback address, 127.0.1.N, which needs Linux), a
projector stream is opened (server-sent events), the poll is opened, and every seat answers at a random
moment over --seconds, a third of them answering again (a changed answer). Reports:
  - answer -> projector: from sending the answer to the projector stream's message for its event; p50,
    p95, max (goal p95 under 1 s);
  - answers lost or doubled: the answers the room took (303) against the poll.answered events in the log
    and each seat's answer at the close (goal 0), and gaps or repeats on the stream (goal 0).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else float("nan")


class Room:
    def __init__(self, folder: Path) -> None:
        from engine.drill.clock import SystemClock
        from engine.drill.session import Drill
        from engine.plans import load_plan
        from engine.room.seats import Seats
        from engine.room.server import RoomServer, bind

        self.drill = Drill.start(load_plan(str(SHIPPED)), SystemClock(), log_path=str(folder / "d.jsonl"))
        self.server = RoomServer(self.drill, Seats.new(), bind("127.0.0.1", 0), "127.0.0.1", max_streams=400)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_until_complete, args=(self.server.serve(),), daemon=True).start()
        while not self.act(lambda: self.server.server.started):
            time.sleep(0.01)

    def act(self, action: Any) -> Any:
        async def run() -> Any:
            return action()
        return asyncio.run_coroutine_threadsafe(run(), self.loop).result()


async def stream(client: Any, url: str, arrivals: dict[int, list[float]], ready: asyncio.Event) -> None:
    async with client.stream("GET", url) as response:
        ready.set()
        seq = None
        async for line in response.aiter_lines():
            if line.startswith("id:"):
                seq = int(line[3:])
            elif line.startswith("data:") and seq is not None:
                arrivals.setdefault(seq, []).append(time.time())
                seq = None


async def run(args: argparse.Namespace, room: Room) -> dict[str, Any]:
    import httpx

    links, origin = room.server.links, room.server.base
    # Each seat from its own loopback address, as phones on a Wi-Fi: the room caps the connections one address
    # holds (engine/room/conns.py), so a hundred clients on 127.0.0.1 would be turned away, not measured.
    seats = [httpx.AsyncClient(base_url=origin, timeout=60,
                               transport=httpx.AsyncHTTPTransport(local_address=f"127.0.{1 + n // 250}.{1 + n % 250}"))
             for n in range(args.seats)]
    began = time.time()
    joined = await asyncio.gather(*(seat.post(links["participant"] + "/join", headers={"origin": origin},
                                              data={"name": f"Seat {n}", "role": "observer"})
                                    for n, seat in enumerate(seats)))
    print(f"{args.seats} seats joined at once in {time.time() - began:.2f} s: "
          f"{sum(r.status_code == 303 for r in joined)} taken")
    arrivals: dict[int, list[float]] = {}
    ready = asyncio.Event()
    watcher = httpx.AsyncClient(timeout=None)
    after = room.act(lambda: room.drill.state.seq)
    task = asyncio.create_task(stream(watcher, f"{links['participant']}/events?after={after}", arrivals, ready))
    await ready.wait()
    room.act(lambda: room.drill.open_poll("Hold or fail over?", ["hold", "fail-over"]))
    sent: list[tuple[int, str, float, int]] = []  # seat, answer, when sent, status

    async def answer(n: int, seat: Any) -> None:
        times = sorted(random.uniform(0, args.seconds) for _ in range(2 if n % 3 == 0 else 1))
        began = time.time()
        choice = random.choice(["hold", "fail-over"])
        for again, at in enumerate(times):
            await asyncio.sleep(max(0.0, began + at - time.time()))
            if again:  # a second answer changes it (the same answer again writes nothing)
                choice = "hold" if choice == "fail-over" else "fail-over"
            when = time.time()
            response = await seat.post(links["participant"] + "/poll", data={"poll": "poll-1", "answer": choice},
                                       headers={"origin": origin})
            sent.append((n, choice, when, response.status_code))

    async def injects() -> None:
        while True:
            await asyncio.sleep(2)
            room.act(lambda: room.drill.fire(room.drill.state.upcoming()[0][1].id, manual=True)
                     if room.drill.state.upcoming() else None)

    firing = asyncio.create_task(injects())
    await asyncio.gather(*(answer(n, seat) for n, seat in enumerate(seats)))
    firing.cancel()
    room.act(lambda: room.drill.close_poll("poll-1"))
    last = room.act(lambda: room.drill.state.seq)
    while last not in arrivals:
        await asyncio.sleep(0.05)
    task.cancel()
    for client in [*seats, watcher]:
        await client.aclose()
    return {"sent": sent, "arrivals": arrivals, "seats": [c for c in range(args.seats)]}


def report(room: Room, result: dict[str, Any]) -> None:
    from engine.drill.log import read_log

    events = [e for e in read_log(room.drill.path).events if e.type == "poll.answered"]
    seat_ids = {a.name: a.seat for a in room.drill.state.attendance}
    taken = [s for s in result["sent"] if s[3] == 303]
    pending = {}  # (seat id, answer) -> sent times, in order
    for n, choice, when, _ in sorted(taken, key=lambda s: s[2]):
        pending.setdefault((seat_ids[f"Seat {n}"], choice), []).append(when)
    latencies = []
    for event in events:
        key = (event.data["seat"], event.data["answer"])
        when = pending[key].pop(0)
        latencies.append(min(result["arrivals"][event.seq]) - when)
    last = {}
    for n, choice, _sent, _ in sorted(taken, key=lambda s: s[2]):
        last[seat_ids[f"Seat {n}"]] = choice
    final = room.drill.state.polls["poll-1"].answers
    doubled = sum(len(times) - 1 for times in result["arrivals"].values())
    seqs = sorted(result["arrivals"])
    gaps = sum(1 for a, b in zip(seqs, seqs[1:], strict=False) if b != a + 1)
    ms = [x * 1000 for x in latencies]
    print(f"seats {len(result['seats'])}, answers sent {len(result['sent'])}, taken {len(taken)}, "
          f"logged {len(events)}")
    print(f"answer -> projector stream: p50 {statistics.median(ms):.1f} ms, p95 {pct(ms, 0.95):.1f} ms, "
          f"max {max(ms):.1f} ms (goal p95 under 1 s)")
    print(f"lost answers {len(taken) - len(events)}, final answers not the last sent "
          f"{sum(final.get(s) != a for s, a in last.items())}, stream repeats {doubled}, stream gaps {gaps} "
          "(goal 0 each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    room = Room(Path(tempfile.mkdtemp(prefix="poll-bench-")))
    result = asyncio.run(run(args, room))
    report(room, result)
    room.act(room.server.stop)


if __name__ == "__main__":
    main()
