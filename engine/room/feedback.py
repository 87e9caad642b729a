"""The participant feedback form in the drill room: HSEEP's ratings and open questions (engine.feedback).

  GET  /p/{token}/feedback   the form (or why it is closed, or thanks once this seat has answered, or, for a
                             browser that has not joined, the way to join first)
  POST /p/{token}/feedback   one answer, recorded as feedback.submitted through `Drill.submit_feedback`

The form opens by itself when the drill ends and the facilitator may open it
earlier or close it (feedback.opened / feedback.closed, from the console).
A participant answers under their seat id (see join.py), so a seat answers
once; a browser without a seat is sent to join first (403). There is no other
respondent id: a cookie of the form's own let a script that dropped it send
a form a request (60 in 12 s through the projected link). The name, role and
organisation fields are optional. Writes pass the room's same-origin check,
its body cap, its rate limits and its cap on what it may add to the log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from engine import feedback
from engine.drill.log import LogError
from engine.drill.state import EventError
from engine.room import guard, views
from engine.room.join import seat_id, seat_of

if TYPE_CHECKING:
    from engine.room.app import Room

# Every answer at its longest, each character taking 12 bytes once urlencoded (a 4-byte character), with room
# for the field names: what an honest form can send, and no more.
MAX_BODY = 12 * (feedback.MAX_ANSWER * len(feedback.QUESTIONS) + feedback.MAX_ABOUT * len(feedback.ABOUT)) + 4096


def respondent_of(request: Request) -> str | None:
    """Who answers: the browser's seat id when it is in the room (one answer a seat), else None."""
    seat = seat_id(request)
    return seat if seat is not None and seat in request.app.state.room.drill.state.seated else None


def _base(room: Room) -> str:
    return f"/p/{room.seats.participant}"


def _context(room: Room, respondent: str | None, **extra: Any) -> dict[str, Any]:
    drill = room.drill
    state = drill.state
    answered = respondent is not None and any(f.respondent == respondent for f in state.feedback)
    form = {"name": "", "role": "", "organisation": "", "ratings": {}, "answers": {}, **extra.pop("form", {})}
    return {"title": state.plan.scenario.title, "clock": views.clock(state, drill.now_t()), "seq": state.seq,
            "stream": f"{_base(room)}/events", "base": _base(room), "open": state.feedback_open,
            "answered": answered, "seated": respondent is not None, "about": feedback.ABOUT,
            "statements": feedback.STATEMENTS,
            "questions": feedback.QUESTIONS, "scale": feedback.SCALE, "words": feedback.SCALE_WORDS,
            "max_about": feedback.MAX_ABOUT, "max_answer": feedback.MAX_ANSWER, "form": form, **extra}


async def form_page(request: Request) -> Response:
    room: Room = request.app.state.room
    if room.seats.seat(str(request.path_params.get("token", ""))) != "participant":
        return PlainTextResponse("Not Found", status_code=404)
    seat = seat_of(room, request)  # a seat's name and role fill the form's, to change or clear
    known = {"form": {"name": seat.name, "role": seat.role}} if seat else {}
    return room.render("feedback.html.j2", **_context(room, respondent_of(request), **known))


def read_answers(fields: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    """The form as sent: {"name", "role", "organisation", "ratings": {id: int}, "answers": {id: str}} and the
    first problem in words (None: none). About fields are cut to MAX_ABOUT; a rating off the scale or an
    answer past MAX_ANSWER is a problem, as is a form with nothing answered."""
    form: dict[str, Any] = {item.id: fields.get(item.id, "").strip()[:feedback.MAX_ABOUT] for item in feedback.ABOUT}
    ratings: dict[str, int] = {}
    problem = None
    for item in feedback.STATEMENTS:
        value = fields.get(f"rate-{item.id}", "").strip()
        if value in {str(n) for n in feedback.SCALE}:
            ratings[item.id] = int(value)
        elif value:
            problem = problem or f"Choose a number from {feedback.SCALE[0]} to {feedback.SCALE[-1]}."
    answers = {item.id: text.replace("\r\n", "\n") for item in feedback.QUESTIONS
               if (text := fields.get(item.id, "").strip())}  # a browser sends a textarea's lines as CRLF
    if any(len(text) > feedback.MAX_ANSWER for text in answers.values()):
        problem = problem or f"Keep each answer under {feedback.MAX_ANSWER} characters."
        answers = {k: v[:feedback.MAX_ANSWER] for k, v in answers.items()}
    if not ratings and not answers:
        problem = problem or "Rate at least one statement or answer one question."
    form.update(ratings=ratings, answers=answers)
    return form, problem


async def submit(request: Request) -> Response:
    """Record one participant's feedback: checked here for shape, by the drill for meaning, fsynced, applied."""
    room: Room = request.app.state.room
    if room.seats.seat(str(request.path_params.get("token", ""))) != "participant":
        return PlainTextResponse("Not Found", status_code=404)
    if not guard.same_origin(request):
        return PlainTextResponse("Refused: a write must come from the room's own page.", status_code=403)
    try:
        fields = await guard.read_form(request, MAX_BODY)
    except guard.BodyTooLarge:
        return PlainTextResponse(f"Refused: more than {MAX_BODY // 1024} KB sent.", status_code=413)
    except ValueError as exc:
        return PlainTextResponse(f"Refused: {exc}", status_code=400)
    respondent = respondent_of(request)
    form, problem = read_answers(fields)

    def again(status: int, error: str) -> Response:
        return room.render("feedback.html.j2", status, **_context(room, respondent, form=form, error=error))

    if respondent is None:
        return again(403, "Not recorded: join the exercise first (your name and role, on the exercise page). "
                          "The form takes one answer per seat.")
    if problem:
        return again(400, problem)
    if not (room.per_seat.allow("participant") and room.per_writer.allow(f"respondent {respondent}")):
        return again(429, "Too many forms at once: wait a few seconds and send it again.")
    try:
        room.drill.submit_feedback(form["ratings"], form["answers"], respondent=respondent, name=form["name"],
                                   role=form["role"], organisation=form["organisation"])
    except EventError as exc:
        return again(409, f"Not recorded: {exc}.")
    except LogError as exc:
        return again(503, f"Not recorded: the log could not be written ({exc})")
    room.after_record()
    return RedirectResponse(f"{_base(room)}/feedback#thanks", status_code=303)
