"""Polls and proposals in the drill room, and the small reads the pages' script makes.

  POST /p/{token}/poll       a seat's answer to the poll shown (poll.answered through `Drill.answer_poll`);
                             answering again changes it until the poll closes
  POST /p/{token}/propose    a seat's proposal: a ready decision's option with a reason, or a written answer
                             to a module question (proposal.made through `Drill.propose`)
  GET  /p/{token}/poll       the poll section alone, rendered for this seat (the script swaps it in when a
                             poll opens, closes or is revealed)
  GET  /p/{token}/module     {"module", "next_t"} as JSON: the module under way now, for a page whose clock
                             has reached the next module's start with no event

Only a seat in the room answers or proposes (one answer a seat). A poll's
answers share a room-wide limit of their own (a full room answering at once),
beside each seat's own limit; a proposal counts against the participant
link's limit like the join and feedback forms. Each form
works without the script (a POST, then a redirect back to the page); the
writes pass the same-origin check, a body cap and the rate limits, like the
join form. Text is the participant's own: escaped by the templates, never
markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from engine import bounds
from engine.drill.events import DecodeError
from engine.drill.log import LogError
from engine.drill.state import EventError
from engine.room import guard, views
from engine.room.join import participant_context, seat_of
from engine.room.poll_view import module_clock, shown_poll

if TYPE_CHECKING:
    from engine.room.app import Room

# The longest honest form: a proposal of 4-byte characters, urlencoded (12 bytes each), and its target.
MAX_BODY = 12 * (bounds.MAX_PROPOSAL + bounds.MAX_POLL_ANSWER) + 4096


def _room(request: Request) -> Room | None:
    room: Room = request.app.state.room
    return room if room.seats.seat(str(request.path_params.get("token", ""))) == "participant" else None


def _base(room: Room) -> str:
    return f"/p/{room.seats.participant}"


async def _read(room: Room, request: Request) -> dict[str, str] | Response:
    if not guard.same_origin(request):
        return PlainTextResponse("Refused: a write must come from the room's own page.", status_code=403)
    try:
        return await guard.read_form(request, MAX_BODY)
    except guard.BodyTooLarge:
        return PlainTextResponse(f"Refused: more than {MAX_BODY // 1024} KB sent.", status_code=413)
    except ValueError as exc:
        return PlainTextResponse(f"Refused: {exc}", status_code=400)


def _again(room: Room, request: Request, status: int, **problem: Any) -> Response:
    return room.render("participant.html.j2", status, **participant_context(room, request, **problem))


def _written(text: str) -> str:
    return text.replace("\r\n", "\n").strip()  # a browser sends a textarea's lines as CRLF


async def answer(request: Request) -> Response:
    """Record a seat's answer to the poll shown: checked here for shape, by the drill for meaning."""
    room = _room(request)
    if room is None:
        return PlainTextResponse("Not Found", status_code=404)
    fields = await _read(room, request)
    if isinstance(fields, Response):
        return fields
    seat = seat_of(room, request)
    if seat is None:
        return _again(room, request, 403, poll_error="Join the exercise first: one answer a seat.")
    text = _written(fields.get("answer", ""))[:bounds.MAX_POLL_ANSWER + 1]
    if not text:
        return _again(room, request, 400, poll_error="Choose an answer first.")
    poll = fields.get("poll", "")[:bounds.MAX_POLL_ID + 1]
    if _unchanged(room, poll, seat.seat, text):  # a form sent twice, or a seat tapping its own answer again
        return RedirectResponse(f"{_base(room)}?answered=1#poll", status_code=303)
    if not (room.per_answer.allow("answers") and room.per_writer.allow(f"seat {seat.seat}")):
        return _again(room, request, 429, poll_error="Too many at once: wait a few seconds and send it again.")
    try:
        room.drill.answer_poll(poll, seat.seat, text)
    except (EventError, DecodeError) as exc:
        return _again(room, request, 409, poll_error=f"Not recorded: {exc}.")
    except LogError as exc:
        return _again(room, request, 503, poll_error=f"Not recorded: the log could not be written ({exc})")
    room.after_record()
    return RedirectResponse(f"{_base(room)}?answered=1#poll", status_code=303)


def _unchanged(room: Room, poll: str, seat: str, text: str) -> bool:
    """True when this seat's answer to this open poll is this already: nothing to write."""
    record = room.drill.state.polls.get(poll)
    return record is not None and record.open and record.answers.get(seat) == text


def read_target(value: str) -> dict[str, str] | None:
    """`d|step|option` -> {"step", "option"}; `q|module|question` -> {"module", "question"}; else None."""
    kind, _, rest = value.partition("|")
    first, _, second = rest.partition("|")
    if not first or not second:
        return None
    return {"d": {"step": first, "option": second}, "q": {"module": first, "question": second}}.get(kind)


async def propose(request: Request) -> Response:
    """Record a seat's proposal: a ready decision's option with its reason, or a written answer."""
    room = _room(request)
    if room is None:
        return PlainTextResponse("Not Found", status_code=404)
    fields = await _read(room, request)
    if isinstance(fields, Response):
        return fields
    seat = seat_of(room, request)
    form = {"target": fields.get("target", "")[:400], "text": _written(fields.get("text", ""))}
    if seat is None:
        return _again(room, request, 403, proposal_error="Join the exercise first.", proposal_form=form)
    target = read_target(form["target"])
    if target is None:
        return _again(room, request, 400, proposal_error="Choose what you propose on.", proposal_form=form)
    if not form["text"]:
        return _again(room, request, 400, proposal_error="Give your reason or your answer.", proposal_form=form)
    if len(form["text"]) > bounds.MAX_PROPOSAL:
        return _again(room, request, 400, proposal_error=f"Keep it under {bounds.MAX_PROPOSAL} characters.",
                      proposal_form={**form, "text": form["text"][:bounds.MAX_PROPOSAL]})
    if _sent_before(room, seat.seat, form["text"], target):  # the same proposal again: one is enough
        return RedirectResponse(f"{_base(room)}?proposed=1#propose", status_code=303)
    if not (room.per_seat.allow("participant") and room.per_writer.allow(f"seat {seat.seat}")):
        return _again(room, request, 429, proposal_error="Too many at once: wait a few seconds and send it again.",
                      proposal_form=form)
    try:
        room.drill.propose(seat.seat, form["text"], **target)
    except (EventError, DecodeError) as exc:
        return _again(room, request, 409, proposal_error=f"Not sent: {exc}.", proposal_form=form)
    except LogError as exc:
        return _again(room, request, 503, proposal_error=f"Not sent: the log could not be written ({exc})",
                      proposal_form=form)
    room.after_record()
    return RedirectResponse(f"{_base(room)}?proposed=1#propose", status_code=303)


def _sent_before(room: Room, seat: str, text: str, target: dict[str, str]) -> bool:
    """True when this seat has made this very proposal (same target, same text) already."""
    return any(p.seat == seat and p.text == text and p.step == target.get("step", "")
               and p.option == target.get("option", "") and p.module == target.get("module", "")
               and p.question == target.get("question", "") for p in room.drill.state.proposals)


async def poll_part(request: Request) -> Response:
    """The poll section alone, as this seat sees it."""
    room = _room(request)
    if room is None:
        return PlainTextResponse("Not Found", status_code=404)
    context = participant_context(room, request)
    return room.render("poll.html.j2", **context)


async def module_now(request: Request) -> Response:
    """The module under way now and when the next one begins by the clock, as JSON."""
    room = _room(request)
    if room is None:
        return PlainTextResponse("Not Found", status_code=404)
    drill = room.drill
    now_t = drill.now_t()
    return JSONResponse({"module": views.current_module(drill.state, now_t), **module_clock(drill.state, now_t)},
                        headers=guard.HEADERS)


def poll_context(room: Room, seat: str | None, now_t: float) -> dict[str, Any]:
    """What the participant and projector pages show of the room's voice: the poll shown (for this seat) and
    when the module changes by the clock."""
    state = room.drill.state
    return {"poll": shown_poll(state, seat), "module_next": module_clock(state, now_t)["next_t"]}
