"""What goes into each book, and for whom.

The one rule that matters most lives here: the Situation Manual (participants)
never carries an expected action, a contingency inject, a contingency
condition, a facilitator prompt or an expected discussion point. Only
`_for_facilitators` sections and the `facilitators` branches below print them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from engine import feedback
from engine.controls import objective_text
from engine.drill.events import RATINGS
from engine.drill.plan import Plan
from engine.handbook.blocks import (
    Book,
    Bullets,
    Fields,
    Heading,
    Landscape,
    PageBreak,
    Paragraph,
    Rating,
    Table,
    WriteIn,
)
from engine.hseep import EXERCISE_TYPES, MISSION_AREAS, capability_named
from engine.model import Inject, Module, Question, Scenario

AUDIENCES = ("participants", "facilitators", "feedback")
KINDS = {
    "participants": "Situation Manual",
    "facilitators": "Facilitator and Evaluator Handbook",
    "feedback": "Participant Feedback Form",
}


def build(plan: Plan, audience: str) -> Book:
    """The book for `audience` (participants, facilitators or feedback). Raises ValueError for another."""
    if audience not in AUDIENCES:
        raise ValueError(f"no handbook for {audience!r}; choose one of {', '.join(AUDIENCES)}")
    scenario = plan.scenario
    book = Book(title=scenario.title, kind=KINDS[audience], audience=audience, subtitle=_subtitle(scenario))
    if audience == "feedback":
        _feedback_form(book, scenario, first=True)
        return book
    facilitators = audience == "facilitators"
    _overview(book, plan)
    _general(book, plan, facilitators)
    _schedule(book, scenario, facilitators)
    if scenario.modules:
        for module in scenario.modules:
            _module(book, plan, module, facilitators)
    else:
        _updates_without_modules(book, scenario, facilitators)
    if facilitators:
        _msel(book, scenario)
        _evaluation_guides(book, plan)
    _feedback_form(book, scenario)
    return book


# ----- shared vocabulary -----


_ACRONYMS = {"soc", "it", "ir", "ciso", "cio", "cto", "coo", "ceo", "dns", "mx", "siem", "sla", "ot", "hr", "pr"}


def role_name(role_id: str) -> str:
    """`incident-commander` -> `Incident commander`; `soc-analyst` -> `SOC analyst`."""
    words = [w.upper() if w in _ACRONYMS else w for w in role_id.split("-")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def scenario_time(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"T+{hours}:{rest // 60:02d}"


def real_time(scenario: Scenario, seconds: int) -> str:
    """The wall time of a scenario time when the scenario has an anchor, else ''."""
    if scenario.anchor is None:
        return ""
    start = datetime.fromisoformat(scenario.anchor.replace("Z", "+00:00"))
    return (start + timedelta(seconds=seconds)).strftime("%d %b %H:%M UTC").lstrip("0")


def _objectives(plan: Plan) -> dict[str, str]:
    out: dict[str, str] = {}
    for runbook in plan.runbooks:
        for key, entry in runbook.objectives.items():
            out.setdefault(key, objective_text(entry))
    return out


def _roles(plan: Plan) -> dict[str, str]:
    out: dict[str, str] = {}
    for runbook in plan.runbooks:
        for key, text in runbook.roles.items():
            out.setdefault(key, text)
    return out


def _start(module: Module) -> str:
    if module.at is None:
        return "when the facilitator moves on"
    kind, seconds = module.at
    if module.after is None and kind == "absolute":
        return scenario_time(seconds)
    return "when the facilitator moves on"  # a branch module: its condition is for facilitators only


def _condition(inject: Inject | Module) -> str:
    after = inject.after
    if after is None:
        return ""
    delay = f" +{scenario_time(inject.at[1])[2:]}" if inject.at else ""
    if after.decision:
        return f"after {after.decision}={after.option}{delay}"
    return f"after {after.step} done{delay}"


def _scheduled(inject: Inject) -> int | None:
    if inject.after is not None or inject.at is None or inject.at[0] != "absolute":
        return None
    return inject.at[1]


# ----- sections -----


def _subtitle(scenario: Scenario) -> list[str]:
    exercise = scenario.exercise
    kind = EXERCISE_TYPES[exercise.type] if exercise and exercise.type else EXERCISE_TYPES["tabletop"]
    lines = [kind]
    if exercise:
        lines += [text for text in (exercise.date, exercise.location) if text]
        if exercise.sponsor:
            lines.append(f"Sponsor: {exercise.sponsor}")
    return lines


def _overview(book: Book, plan: Plan) -> None:
    scenario = plan.scenario
    exercise = scenario.exercise
    rows: list[tuple[str, str]] = [("Exercise name", scenario.title)]
    if exercise and exercise.date:
        rows.append(("Exercise date", exercise.date))
    if exercise and exercise.location:
        rows.append(("Location", exercise.location))
    if exercise and exercise.scope:
        rows.append(("Scope", exercise.scope))
    if exercise and exercise.mission_areas:
        rows.append(("Mission areas", ", ".join(MISSION_AREAS[a] for a in exercise.mission_areas)))
    if exercise and exercise.core_capabilities:
        rows.append(("Core capabilities", ", ".join(capability_named(c) or c for c in exercise.core_capabilities)))
    count = len(_objectives(plan))
    rows.append(("Objectives", f"{count} objectives, listed under General information" if count else "none declared"))
    if exercise and exercise.threat:
        rows.append(("Threat or hazard", exercise.threat))
    if scenario.summary:
        rows.append(("Scenario", scenario.summary))
    if exercise and exercise.sponsor:
        rows.append(("Sponsor", exercise.sponsor))
    if exercise and exercise.organisations:
        rows.append(("Participating organisations", ", ".join(exercise.organisations)))
    if exercise and exercise.contacts:
        rows.append(("Points of contact", "; ".join(_contact(c) for c in exercise.contacts)))
    book.add(Heading(1, "Exercise overview"), Fields(rows))


def _contact(contact: object) -> str:
    parts = [getattr(contact, k) for k in ("name", "role", "organisation", "email", "phone")]
    return ", ".join(p for p in parts if p)


def _general(book: Book, plan: Plan, facilitators: bool) -> None:
    scenario = plan.scenario
    book.add(Heading(1, "General information"), Heading(2, "Objectives"))
    book.add(Table(["Objective", "What the exercise looks for"], [[k, v] for k, v in _objectives(plan).items()]))
    exercise = scenario.exercise
    if exercise and exercise.core_capabilities:
        book.add(Heading(2, "Core capabilities"),
                 Bullets([capability_named(c) or c for c in exercise.core_capabilities]))
    book.add(Heading(2, "Participant roles"))
    book.add(Paragraph(
        "Players discuss and decide as they would in a real incident, from their own role and knowledge. "
        "Facilitators run the exercise: they read out the situation, keep time and steer the discussion. "
        "Evaluators watch and take notes against the objectives; they do not take part in the discussion. "
        "Observers may watch but do not speak unless invited."))
    book.add(Table(["Role played", "Responsible for"], [[role_name(k), v] for k, v in _roles(plan).items()]))
    book.add(Heading(2, "Exercise guidelines"), Bullets([
        "This is an open, no-fault setting. Views may differ, and the aim is to find gaps, not to judge people.",
        "Answer from your own role and what your organisation has today, not what you wish it had.",
        "Decisions made in the exercise set no precedent and do not commit anyone's budget.",
        "The scenario is built to be plausible, not certain. Accept it and work within it.",
        "Where information is missing, say what you would do to find it, and assume the rest.",
    ]))
    if scenario.modules:
        book.add(Paragraph(
            f"The exercise runs in {len(scenario.modules)} modules. Each opens with a situation update; then the "
            "players discuss the module's questions before the exercise moves on."))
    if facilitators:
        book.add(Paragraph(
            "This handbook is for facilitators and evaluators only. It holds the expected actions, the "
            "contingency injects, the facilitator prompts and the evaluation guides; keep it away from players, "
            "who receive the Situation Manual.", note=True))


def _schedule(book: Book, scenario: Scenario, facilitators: bool) -> None:
    book.add(Heading(1, "Schedule"))
    if scenario.modules:
        rows = []
        for module in scenario.modules:
            when = _start(module)
            if facilitators and module.after is not None:
                when = _condition(module)
            real = real_time(scenario, module.at[1]) if module.at and module.after is None else ""
            rows.append([when, real, module.title])
        book.add(Table(["Scenario time", "Real time", "Module"], rows))
    else:
        book.add(Paragraph("The scenario is played as one continuous situation, updated as the clock runs."))
    if scenario.duration:
        book.add(Paragraph(f"The scenario covers {scenario_time(scenario.duration)[2:]} (hours:minutes) of "
                           "the incident; the facilitator moves the clock on between updates."))


def _module(book: Book, plan: Plan, module: Module, facilitators: bool) -> None:
    scenario = plan.scenario
    book.add(PageBreak(), Heading(1, module.title))
    if module.situation:
        book.add(Heading(2, "Situation"), Paragraph(module.situation))
    injects = [i for i in scenario.injects if i.id in module.injects]
    _updates(book, scenario, injects, facilitators)
    if module.questions:
        book.add(Heading(2, "Discussion questions"))
        for number, question in enumerate(module.questions, 1):
            _question(book, plan, number, question, facilitators)


def _updates_without_modules(book: Book, scenario: Scenario, facilitators: bool) -> None:
    book.add(PageBreak(), Heading(1, "Scenario"))
    if scenario.summary:
        book.add(Paragraph(scenario.summary))
    _updates(book, scenario, scenario.injects, facilitators)


def _updates(book: Book, scenario: Scenario, injects: Iterable[Inject], facilitators: bool) -> None:
    shown = [i for i in injects if facilitators or (_scheduled(i) is not None and i.say)]
    if not shown:
        return
    book.add(Heading(2, "Updates" if not facilitators else "Injects"))
    for inject in shown:
        seconds = _scheduled(inject)
        when = scenario_time(seconds) if seconds is not None else f"Contingency: {_condition(inject)}"
        to = f", to {role_name(inject.to)}" if inject.to else ""
        book.add(Heading(3, f"{when}{to}" if not facilitators else f"{when}{to} ({inject.id})"))
        if inject.say:
            book.add(Paragraph(inject.say))
        if facilitators and inject.expect:
            book.add(Paragraph(f"Expected action: {inject.expect}", note=True))


def _question(book: Book, plan: Plan, number: int, question: Question, facilitators: bool) -> None:
    book.add(Heading(3, f"{number}. {question.ask}"))
    aims = []
    if question.to:
        aims.append("For: " + ", ".join(role_name(r) for r in question.to))
    if question.objectives:
        aims.append("Objectives: " + ", ".join(question.objectives))
    if aims:
        book.add(Paragraph(". ".join(aims)))
    if not facilitators:
        return
    if question.prompts:
        book.add(Paragraph("Facilitator prompts:", note=True), Bullets(question.prompts))
    if question.expect:
        book.add(Paragraph("Points a good discussion covers:", note=True), Bullets(question.expect))


def _msel(book: Book, scenario: Scenario) -> None:
    owner = {i: m.id for m in scenario.modules for i in m.injects}
    rows = []
    for number, inject in enumerate(scenario.injects, 1):
        seconds = _scheduled(inject)
        rows.append([
            str(number),
            scenario_time(seconds) if seconds is not None else "",
            real_time(scenario, seconds) if seconds is not None else "",
            inject.id,
            owner.get(inject.id, ""),
            role_name(inject.to) if inject.to else "",
            inject.say or "",
            inject.expect or "",
            ", ".join(inject.objectives),
            _condition(inject),
        ])
    book.add(Landscape(True), Heading(1, "Master Scenario Events List (MSEL)"),
             Paragraph("Every inject, with what the players are expected to do. Contingency injects have no time: "
                       "they fire only when their condition comes about.", note=True),
             Table(["#", "Time", "Real time", "Inject", "Module", "To", "Inject text", "Expected action",
                    "Objectives", "Condition"], rows),
             Landscape(False))


def _evaluation_guides(book: Book, plan: Plan) -> None:
    book.add(Heading(1, "Exercise Evaluation Guides"))
    book.add(Paragraph(
        "One guide per objective. Its critical tasks are the runbook steps that test it; the injects and "
        "questions that bear on it follow. Rate the objective on the HSEEP scale and note what you saw, "
        "with times.", note=True))
    book.add(Table(["Rating", "Meaning"], [[code, text] for code, text in RATINGS.items()]))
    scenario = plan.scenario
    for key, text in _objectives(plan).items():
        book.add(PageBreak(), Heading(2, f"Objective: {key}"), Paragraph(text))
        tasks = [[step.title, role_name(step.owner) if step.owner else "", runbook.title]
                 for runbook in plan.runbooks for step in runbook.steps.values() if key in step.objectives]
        book.add(Heading(3, "Critical tasks"))
        book.add(Table(["Task", "Owner", "Runbook"], tasks) if tasks else
                 Paragraph("No runbook step lists this objective; evaluate it from the injects and questions."))
        injects = [f"{i.id}: {i.expect or i.say or ''}" for i in scenario.injects if key in i.objectives]
        questions = [q.ask for m in scenario.modules for q in m.questions if key in q.objectives]
        if injects:
            book.add(Heading(3, "Injects that test it"), Bullets(injects))
        if questions:
            book.add(Heading(3, "Discussion questions on it"), Bullets(questions))
        book.add(Heading(3, "Rating"), Rating("Objective rating", list(RATINGS)),
                 WriteIn("Observations: strengths, areas for improvement, times", lines=8),
                 WriteIn("Evaluator", lines=1))


def _feedback_form(book: Book, scenario: Scenario, first: bool = False) -> None:
    if not first:
        book.add(PageBreak())
    book.add(Heading(1, "Participant feedback form"),
             Paragraph(f"{scenario.title}. Please fill this in before you leave; it helps the next exercise."),
             Fields([(item.text, "") for item in feedback.ABOUT]),
             Heading(2, "Part 1: Ratings"),
             Paragraph(f"Tick one box per line: {feedback.scale_ends()}."))
    for statement in feedback.STATEMENTS:
        book.add(Rating(statement.text, [str(n) for n in feedback.SCALE]))
    book.add(Heading(2, "Part 2: Your view"),
             *(WriteIn(question.text, question.lines) for question in feedback.QUESTIONS))
