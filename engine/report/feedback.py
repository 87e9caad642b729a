"""What the room's participants left in the report: the feedback section (counts, each statement's score
distribution and mean, the open answers as written, from feedback.submitted, engine.feedback's items) and
the attendance sheet (seat.joined / seat.left)."""

from __future__ import annotations

from engine import feedback
from engine.drill.plan import Plan
from engine.drill.state import DrillState, FeedbackRecord
from engine.report import model as m


def attendance(plan: Plan, state: DrillState) -> list[m.AttendanceItem]:
    """The attendance sheet: each stay of each seat in the room, in the order joined (empty: no seat joined)."""
    texts = {role: text for runbook in plan.runbooks for role, text in runbook.roles.items()}
    return [m.AttendanceItem(a.name, a.role, texts.get(a.role, ""), a.seat, a.joined_t, a.left_t)
            for a in state.attendance]


def summary(state: DrillState) -> m.FeedbackSummary | None:
    """The feedback the participants sent; None when nobody did."""
    forms = state.feedback
    if not forms:
        return None
    given = [score for form in forms for score in form.ratings.values()]
    rated_ids = {k for form in forms for k in form.ratings}
    answered_ids = {k for form in forms for k in form.answers}
    statements = [_statement(item.id, item.text, forms) for item in feedback.STATEMENTS]
    statements += [_statement(k, feedback.text_of(k), forms) for k in sorted(rated_ids & set(feedback.RETIRED))]
    questions = [m.FeedbackQuestion(item.id, item.text, _answers(item.id, forms)) for item in feedback.QUESTIONS]
    questions += [m.FeedbackQuestion(k, feedback.text_of(k), _answers(k, forms))
                  for k in sorted(answered_ids & set(feedback.RETIRED))]
    return m.FeedbackSummary(len(forms), _mean(given), statements, questions)


def _statement(item_id: str, text: str, forms: list[FeedbackRecord]) -> m.FeedbackStatement:
    scores = [form.ratings[item_id] for form in forms if item_id in form.ratings]
    counts = {str(n): scores.count(n) for n in feedback.SCALE}
    return m.FeedbackStatement(item_id, text, len(scores), counts, _mean(scores))


def _answers(item_id: str, forms: list[FeedbackRecord]) -> list[dict[str, str]]:
    return [{"text": form.answers[item_id], "by": ", ".join(v for v in (form.name, form.role) if v)}
            for form in forms if item_id in form.answers]


def _mean(scores: list[int]) -> float | None:
    return round(sum(scores) / len(scores), 2) if scores else None
