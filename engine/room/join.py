"""Seats in the drill room: a participant joins once with a name and a role, and may leave and join again.

  GET  /p/{token}           without a seat: the join form (?role=ID: the facilitator's link for that role
                            chooses it); with one: the participant page, injects to the seat's role marked
  POST /p/{token}/join      name and role -> seat.joined through `Drill.join`; the seat id goes in a cookie
  POST /p/{token}/leave     seat.left through `Drill.leave`; the page offers the join form again

A seat id is 18 random bytes from `secrets`, held in a cookie scoped to the
participant link; it names no one. The name and role are the participant's
own, recorded in the log as the attendance sheet. Writes pass the room's
same-origin check, its body cap and its rate limits, like the feedback form.
The projector (?projector=1) takes no seat.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from engine import bounds
from engine.drill.event_types.seats import name_problem
from engine.drill.log import LogError
from engine.drill.records import AttendanceRecord
from engine.drill.state import EventError
from engine.room import guard

if TYPE_CHECKING:
    from engine.room.app import Room

SEAT_COOKIE = "tabletop_seat"
_SEAT = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_BODY = 12 * (bounds.MAX_SEAT_NAME + 200) + 1024  # a name of 4-byte characters, urlencoded, and a role


def _base(room: Room) -> str:
    return f"/p/{room.seats.participant}"


def seat_id(request: Request) -> str | None:
    """The seat id from the browser's cookie, when it has a well-formed one (taken or not)."""
    value = request.cookies.get(SEAT_COOKIE, "")
    return value if _SEAT.fullmatch(value) else None


def seat_of(room: Room, request: Request) -> AttendanceRecord | None:
    """The browser's seat when it is in the room now (its current stay), else None."""
    seat = seat_id(request)
    row = room.drill.state.seated.get(seat) if seat else None
    return None if row is None else room.drill.state.attendance[row]


def join_context(room: Room, request: Request, **extra: Any) -> dict[str, Any]:
    """What the join form needs: the roles (id, text), the role the link asks for, the form as sent, and
    `error`, why the last one was not taken ("" when none)."""
    plan = room.drill.plan
    texts = {role: text for rb in plan.runbooks for role, text in rb.roles.items()}
    asked = request.query_params.get("role", "")
    form = {"name": "", "role": asked if asked in plan.roles else "", **extra.pop("form", {})}
    return {"roles": [{"id": r, "text": texts.get(r, "watches, plays no role")} for r in plan.roles],
            "form": form, "base": _base(room), "max_name": bounds.MAX_SEAT_NAME, "error": "", **extra}


def _with_cookie(room: Room, response: Response, seat: str) -> Response:
    response.set_cookie(SEAT_COOKIE, seat, path=_base(room), httponly=True, samesite="strict",
                        max_age=30 * 24 * 3600)
    return response


async def _read(room: Room, request: Request) -> dict[str, str] | Response:
    if room.seats.seat(str(request.path_params.get("token", ""))) != "participant":
        return PlainTextResponse("Not Found", status_code=404)
    if not guard.same_origin(request):
        return PlainTextResponse("Refused: a write must come from the room's own page.", status_code=403)
    try:
        return await guard.read_form(request, MAX_BODY)
    except guard.BodyTooLarge:
        return PlainTextResponse(f"Refused: more than {MAX_BODY // 1024} KB sent.", status_code=413)
    except ValueError as exc:
        return PlainTextResponse(f"Refused: {exc}", status_code=400)


async def join(request: Request) -> Response:
    """Take a seat: checked here for shape, by the drill for meaning (the role known, the room not full)."""
    room: Room = request.app.state.room
    fields = await _read(room, request)
    if isinstance(fields, Response):
        return fields
    form = {"name": fields.get("name", "").strip()[:bounds.MAX_SEAT_NAME + 1], "role": fields.get("role", "")[:200]}

    def again(status: int, error: str) -> Response:
        return room.render("participant.html.j2", status, **participant_context(room, request, form=form,
                                                                               error=error))

    if seat_of(room, request) is not None:
        return RedirectResponse(_base(room), status_code=303)  # already in: one seat a browser
    problem = name_problem(form["name"])
    if problem:
        return again(400, f"{problem[0].upper()}{problem[1:]}.")
    if form["role"] not in room.drill.plan.roles:
        return again(400, "Choose your role from the list.")
    seat = seat_id(request) or secrets.token_urlsafe(18)  # a seat that left joins again under its own id
    if not (room.per_join.allow("joins") and room.per_writer.allow(f"seat {seat}")):
        return again(429, "Too many at once: wait a few seconds and join again.")
    try:
        room.drill.join(seat, form["name"], form["role"])
    except EventError as exc:
        return again(409, f"Not joined: {exc}.")
    except LogError as exc:
        return again(503, f"Not joined: the log could not be written ({exc})")
    room.after_record()
    return _with_cookie(room, RedirectResponse(_base(room), status_code=303), seat)


async def leave(request: Request) -> Response:
    """Leave the room (seat.left); the browser keeps its seat id, to join again under it."""
    room: Room = request.app.state.room
    fields = await _read(room, request)
    if isinstance(fields, Response):
        return fields
    seat = seat_of(room, request)
    if seat is not None:
        try:
            room.drill.leave(seat.seat)
        except (EventError, LogError) as exc:
            return PlainTextResponse(f"Not recorded: {exc}", status_code=409)
        room.after_record()
    return RedirectResponse(_base(room), status_code=303)


def participant_context(room: Room, request: Request, **extra: Any) -> dict[str, Any]:
    """The participant page: what the seat sees (views.participant), the seat itself (None: the join form is
    shown, with `join`'s roles and form), each inject marked `for_you` when addressed to the seat's role."""
    from engine.room import views
    from engine.room.poll_view import proposable
    from engine.room.polls import poll_context

    drill = room.drill
    now_t = drill.now_t()
    view = views.participant(drill.state, now_t)
    projector = request.query_params.get("projector") == "1"
    seat = None if projector else seat_of(room, request)
    role = seat.role if seat else ""
    for inject in [view["current"], *view["earlier"]]:
        if inject is not None:
            inject["for_you"] = for_role(inject["to"], role)
    voice: dict[str, Any] = {k: extra.pop(k) for k in ("poll_error", "proposal_error", "proposal_form") if k in extra}
    said = {"answered": request.query_params.get("answered") == "1",
            "proposed": request.query_params.get("proposed") == "1"}
    return {**view, "projector": projector, "stream": f"{_base(room)}/events",
            "feedback_url": f"{_base(room)}/feedback", "seat": seat, "base": _base(room),
            "join": None if projector or seat else join_context(room, request, **extra),
            **poll_context(room, seat.seat if seat else None, now_t), **said,
            "proposable": proposable(drill.state, now_t) if seat else [],
            "poll_error": "", "proposal_error": "", "proposal_form": {"target": "", "text": ""}, **voice}


def for_role(to: str, role: str) -> bool:
    """Whether an inject addressed `to` (a role id, or several joined by ", ") is for `role`."""
    return bool(role) and role in [part.strip() for part in to.split(",")]
