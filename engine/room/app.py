"""The drill room as an ASGI application (Starlette) over a running `Drill`.

Routes (a wrong or missing token is a plain 404, like any unknown address):
  GET  /p/{token}                 participant page (?projector=1: large type for a projector)
  GET  /e/{token}                 evaluator page; /e/{token}/live is its live part alone
  GET  /p/{token}/events          live stream (server-sent events; ids are the log's seq)
  GET  /e/{token}/events          the same stream for the evaluator page
  POST /e/{token}/observations    an observation, strength or area for improvement
  POST /p/{token}/join            take a seat with a name and a role; /leave leaves it (see join.py)
  GET  /p/{token}/feedback        the participant feedback form; POST sends one (see feedback.py)
  POST /p/{token}/poll            a seat's answer to the poll; /propose a proposal (see polls.py)
  GET  /static/...                the room's stylesheet and script, served from the package

The room never writes the log itself: an observation goes through `Drill.note`
(checked, fsynced, then applied) in the console's own event loop, and the
console is told to redraw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from jinja2 import Environment, PackageLoader
from sse_starlette.sse import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.drill import events as ev
from engine.drill.log import LogError
from engine.drill.session import Drill
from engine.drill.state import EventError
from engine.room import feedback, guard, join, logcap, polls, render, views
from engine.room.seats import Seats
from engine.room.stream import Hub, last_event_id

MAX_STREAMS = 200  # live connections; one more gets a 503 that says why
SEAT_BURST = 120  # writes one seat link takes at once (then 20 a second): 100 seats joining together, all served
LOG_KB_PER_MINUTE = 512  # what the room's writes may add to the log in any minute; past it, a 429 that says why
MAX_NAME = 80
MAX_TEXT = 4000
MAX_FIELD = 400
NAME_COOKIE = "tabletop_evaluator"


class Room:
    """The room's state: the drill, its seats, the live stream, the limits. `after_record` is called
    after the room records an event (the console redraws). Rate limits read the drill's clock."""

    def __init__(self, drill: Drill, seats: Seats, *, after_record: Callable[[], None] | None = None,
                 max_streams: int = MAX_STREAMS, hosts: guard.Hosts | None = None,
                 log_kb_per_minute: int = LOG_KB_PER_MINUTE) -> None:
        self.drill = drill
        self.hosts = hosts  # the names the room answers to (None: any, for a room not on a socket)
        self.seats = seats
        self.hub = Hub(drill)
        self.after_record = after_record or (lambda: None)
        self.max_streams = max_streams
        self.live = 0
        self.closing = asyncio.Event()
        monotonic = lambda: drill.clock.now().timestamp()  # noqa: E731
        self.per_writer = guard.RateLimit(burst=5, per_second=1.0, now=monotonic)  # one evaluator's writes
        # the whole seat link's writes: a room of 100 joining or answering at once (the log cap bounds a flood)
        self.per_seat = guard.RateLimit(burst=SEAT_BURST, per_second=20.0, now=monotonic)
        self.log_cap = logcap.LogCap(drill, log_kb_per_minute * 1024, now=monotonic)  # what writes may add
        self.renderer = render.pool()
        self.pacer = render.Pacer()
        # a poll's answers from the whole room: a full room answering at once, then about 50 a second
        self.per_answer = guard.RateLimit(burst=500, per_second=50.0, now=monotonic)
        # joins from the whole room: a room of a hundred scanning the code at once, then 20 a second
        self.per_join = guard.RateLimit(burst=200, per_second=20.0, now=monotonic)
        self.pages = Environment(loader=PackageLoader("engine.room", "templates"), autoescape=True,
                                 trim_blocks=True, lstrip_blocks=True)

    def close(self) -> None:
        self.closing.set()
        self.hub.close()
        self.log_cap.close()
        self.renderer.shutdown(wait=False)

    def render(self, name: str, status: int = 200, **context: Any) -> Response:
        """The page `name` with `context` (plain data, read here on the loop), rendered on the room's render
        thread as it is sent: the console's event loop never waits on a template (see render.py)."""
        return render.Page(self.pages.get_template(name), context, status, self.renderer, self.pacer)


def not_found() -> Response:
    return PlainTextResponse("Not Found", status_code=404)


def _seat(room: Room, request: Request, wanted: str) -> bool:
    return room.seats.seat(str(request.path_params.get("token", ""))) == wanted


async def participant_page(request: Request) -> Response:
    room: Room = request.app.state.room
    if not _seat(room, request, "participant"):
        return not_found()
    context = join.participant_context(room, request)
    return room.render("projector.html.j2" if context["projector"] else "participant.html.j2", **context)


def _evaluator_context(room: Room, request: Request, **extra: Any) -> dict[str, Any]:
    drill = room.drill
    name = unquote(request.cookies.get(NAME_COOKIE, ""))[:MAX_NAME]
    base = f"/e/{room.seats.evaluator}"
    view = views.evaluator(drill.state, drill.now_t())
    form = {"name": name, **extra.pop("form", {})}
    return {**view, "base": base, "stream": f"{base}/events", "kinds": ev.NOTE_KINDS,
            "elements": ev.CAPABILITY_ELEMENTS, "form": form, **extra}


async def evaluator_page(request: Request) -> Response:
    room: Room = request.app.state.room
    if not _seat(room, request, "evaluator"):
        return not_found()
    recorded = request.query_params.get("recorded", "")
    return room.render("evaluator.html.j2", **_evaluator_context(room, request, recorded=recorded.isdigit()))


async def evaluator_live(request: Request) -> Response:
    room: Room = request.app.state.room
    if not _seat(room, request, "evaluator"):
        return not_found()
    return room.render("evaluator_live.html.j2", **_evaluator_context(room, request))


async def events(request: Request) -> Response:
    room: Room = request.app.state.room
    wanted = "participant" if request.url.path.startswith("/p/") else "evaluator"  # each seat's own stream
    if not _seat(room, request, wanted):
        return not_found()
    if room.live >= room.max_streams:
        return PlainTextResponse(f"The room is full: {room.max_streams} live connections are open. Close another "
                                 "tab, or reload this page to read it without live updates.", status_code=503,
                                 headers={"Retry-After": "10"})
    room.live += 1  # the slot is taken now, before anything awaits: a burst cannot all pass the check above
    after = last_event_id(request.headers.get("last-event-id"), request.query_params.get("after"))

    async def messages() -> Any:
        yield ServerSentEvent(comment="tabletop room", retry=1000)
        async for message in room.hub.follow(after, room.closing):
            yield message

    return HeldSlot(EventSourceResponse(messages(), ping=15, headers=guard.HEADERS, send_timeout=30), room)


class HeldSlot(Response):
    """A live stream that gives its slot back once it has ended, however it ends (sent, closed, cancelled)."""

    def __init__(self, stream: Response, room: Room) -> None:  # super().__init__ not called: it wraps a response
        self.stream = stream
        self.room = room
        self.background = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.stream(scope, receive, send)
        finally:
            self.room.live -= 1


def _clip(fields: dict[str, str], name: str, limit: int = MAX_FIELD) -> str:
    return fields.get(name, "").strip()[:limit]


async def observe(request: Request) -> Response:
    """Record an evaluator's note: checked here for shape, by the drill for meaning, fsynced, applied."""
    room: Room = request.app.state.room
    if not _seat(room, request, "evaluator"):
        return not_found()
    if not guard.same_origin(request):
        return PlainTextResponse("Refused: a write must come from the room's own page.", status_code=403)
    try:
        fields = await guard.read_form(request)
    except guard.BodyTooLarge:
        return PlainTextResponse(f"Refused: more than {guard.MAX_BODY // 1024} KB sent.", status_code=413)
    except ValueError as exc:
        return PlainTextResponse(f"Refused: {exc}", status_code=400)
    name = _clip(fields, "name", MAX_NAME)
    text = fields.get("text", "").strip()
    form = {**{k: _clip(fields, k) for k in ("kind", "objective", "step", "action", "element", "owner", "due")},
            "name": name, "text": text[:MAX_TEXT]}

    def again(status: int, error: str) -> Response:
        return room.render("evaluator.html.j2", status, **_evaluator_context(room, request, form=form, error=error))

    problem = _problem(room, form, text)
    if problem:
        return again(400, problem)
    if not (room.per_seat.allow("evaluator") and room.per_writer.allow(name.casefold())):
        return again(429, "Too many observations at once: wait a few seconds and send it again.")
    extra = {k: form[k] for k in ("objective", "action", "element", "owner", "due") if form[k]}
    if form["kind"] != "improvement":
        extra = {k: v for k, v in extra.items() if k == "objective"}
    try:
        event = room.drill.note(form["kind"], text, form["step"] or None, by=name, **extra)
    except EventError as exc:
        return again(400, f"Not recorded: {exc}")
    except LogError as exc:
        return again(503, f"Not recorded: the log could not be written ({exc})")
    room.after_record()
    base = f"/e/{room.seats.evaluator}"
    response = RedirectResponse(f"{base}?recorded={event.seq}#observe", status_code=303)
    response.set_cookie(NAME_COOKIE, quote(name), path=base, httponly=True, samesite="strict",
                        max_age=7 * 24 * 3600)
    return response


def _problem(room: Room, form: dict[str, str], text: str) -> str | None:
    plan = room.drill.plan
    if not form["name"]:
        return "Give your name: every observation carries its author."
    if form["kind"] not in ev.NOTE_KINDS:
        return "Choose what this is: an observation, a strength or an area for improvement."
    if not text:
        return "Write what you observed."
    if len(text) > MAX_TEXT:
        return f"Keep it under {MAX_TEXT} characters."
    if form["objective"] and form["objective"] not in plan.objectives:
        return "Choose an objective from the list."
    if form["step"] and form["step"] not in plan.steps:
        return "Choose a step from the list."
    if room.drill.state.ended:
        return "The drill has ended; observations are closed."
    return None


class SecurityHeaders:
    """Add the room's security headers to every response (pages, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw = [(k.lower().encode(), v.encode()) for k, v in guard.HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.raw if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


def make_app(room: Room) -> ASGIApp:
    """The room's ASGI application."""
    static = Path(__file__).with_name("static")
    app = Starlette(routes=[
        Route("/p/{token}", participant_page),
        Route("/p/{token}/events", events),
        Route("/p/{token}/join", join.join, methods=["POST"]),
        Route("/p/{token}/leave", join.leave, methods=["POST"]),
        Route("/p/{token}/feedback", feedback.form_page),
        Route("/p/{token}/feedback", feedback.submit, methods=["POST"]),
        Route("/p/{token}/poll", polls.poll_part),
        Route("/p/{token}/poll", polls.answer, methods=["POST"]),
        Route("/p/{token}/propose", polls.propose, methods=["POST"]),
        Route("/p/{token}/module", polls.module_now),
        Route("/e/{token}", evaluator_page),
        Route("/e/{token}/live", evaluator_live),
        Route("/e/{token}/events", events),
        Route("/e/{token}/observations", observe, methods=["POST"]),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ], exception_handlers={404: lambda request, exc: not_found(),
                           405: lambda request, exc: PlainTextResponse("Method Not Allowed", status_code=405)})
    app.state.room = room
    return SecurityHeaders(guard.HostGuard(logcap.CapGuard(app, room.log_cap), room.hosts))
