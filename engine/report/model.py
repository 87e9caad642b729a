"""The after-action report as data: a tree of plain dataclasses, the JSON shape of docs/report-json.md.

Times named `*_t` are scenario seconds since T+0; times named `wall` are the
UTC wall times written in the log. Durations are seconds. Text the team or the
runbook authors wrote is kept exactly as written: escaping is the renderers' job.

The classes compare by identity (`eq=False`): nothing compares two reports field by field (tests compare
their JSON), and without the generated `__eq__` the report command imports this module a third sooner.
"""

from __future__ import annotations

import dataclasses
import io
import json
from dataclasses import dataclass, field
from typing import Any

REPORT_VERSION = 1


@dataclass(eq=False)
class Notice:
    """Something the reader must know before trusting the report; shown at the top."""

    level: str  # "error" (the log failed verification) | "warning" (files missing or changed) | "info"
    text: str


@dataclass(eq=False)
class SourceFile:
    """A runbook or scenario file the log names, and whether it is the same file now (by its SHA-256)."""

    kind: str  # scenario | runbook
    id: str
    path: str  # as recorded in the log
    sha256: str  # as recorded in the log
    status: str  # same | changed | missing


@dataclass(eq=False)
class Verification:
    """What reading the log found: the hash chain and the fold, and the first line that failed (1-based)."""

    ok: bool  # every line of the log verified and every event applied
    events_read: int  # events that passed the hash chain
    events_applied: int  # events folded into the report
    problem_line: int | None = None  # 1-based line of the first bad line of the file
    problem: str | None = None
    torn: bool = False  # the problem is a last line cut short by a crash
    apply_problem: str | None = None  # an event that verified but could not be applied


@dataclass(eq=False)
class Source:
    """Where the report comes from: the log (name, SHA-256, size), the tool that wrote it, and its files."""

    log_name: str  # file name only: reports do not depend on where the log was kept
    log_sha256: str
    log_bytes: int
    drill_id: str  # SHA-256 of the log's first line: the same drill however long its log grows
    tool: str  # the tool that wrote the log
    log_version: int | None
    plan_from: str  # "files": titles and structure from the runbook files | "log": ids only
    files: list[SourceFile] = field(default_factory=list)


@dataclass(eq=False)
class Participant:
    """A role of the drill and the person who played it, as named at the start."""

    role: str
    name: str
    role_text: str | None = None  # what the runbooks say the role does


@dataclass(eq=False)
class RunbookRef:
    """A runbook the scenario drives: its id and title."""

    id: str
    title: str


@dataclass(eq=False)
class Overview:
    """Section 1, the exercise overview: the scenario, its runbooks, who took part, and when (UTC)."""

    scenario_id: str
    scenario_title: str
    scenario_summary: str | None
    anchor: str | None  # the real-world moment of T+0
    planned_duration: int | None  # seconds
    runbooks: list[RunbookRef]
    mode: str | None  # live | headless | ...
    facilitator: str | None
    participants: list[Participant]
    date: str  # YYYY-MM-DD of the first event
    started_wall: str
    last_wall: str
    ended: bool
    end_reason: str | None


@dataclass(eq=False)
class Figures:
    """The executive summary: every number computed from the log."""

    scenario_start_t: float
    scenario_end_t: float
    scenario_covered: float  # end - start, jumps included
    real_seconds: float  # wall time from the first event to the last
    pauses: int
    paused_seconds: float  # wall time the clock stood still
    jumps: int
    jumped_seconds: float  # scenario time skipped by jumps
    injects_planned: int
    injects_fired: int
    injects_fired_by_hand: int
    injects_not_fired: list[str]
    decisions: int
    decisions_by_default: int
    steps_total: int
    steps_done: int
    steps_skipped_by_facilitator: int
    steps_not_taken: int  # skipped because their branch was not taken
    steps_ever_blocked: int
    steps_unfinished: int  # waiting, ready, active or blocked when the log ends
    steps_dormant: int  # branch steps nothing opened
    steps_timed: int  # done, with a start and a target
    steps_over_target: int
    objectives_total: int
    objectives_rated: int
    ratings: dict[str, int]  # P/S/M/U -> how many objectives
    strengths: int
    improvements: int
    observations: int
    improvements_without_owner: int


@dataclass(eq=False)
class NoteItem:
    """A facilitator's or evaluator's note as it stands (amended text; withdrawn notes left out). seq, t
    (scenario seconds), wall: its event's; the improvement fields are "" for other kinds."""

    seq: int
    t: float
    wall: str
    kind: str  # observation | strength | improvement
    text: str
    by: str
    step: str | None
    step_title: str | None
    action: str = ""
    element: str = ""
    owner: str = ""
    due: str = ""


@dataclass(eq=False)
class StepRef:
    """A step an objective is served by: its key, title and status at the end of the log."""

    key: str
    title: str
    status: str


@dataclass(eq=False)
class ObjectiveAnalysis:
    """Section 3, one objective: its rating, the steps and injects that bear on it, and its notes by kind."""

    key: str  # runbook/objective
    runbook: str
    id: str
    text: str
    rating: str | None  # P | S | M | U | None (not rated)
    rating_label: str | None
    rating_comment: str
    steps: list[StepRef]  # steps that serve it
    injects: list[str]  # injects that test it (and whether they fired: see the timeline)
    strengths: list[NoteItem]
    improvements: list[NoteItem]
    observations: list[NoteItem]


@dataclass(eq=False)
class RunbookAnalysis:
    """Section 3, one runbook: its objectives, and the notes on its steps that serve none of them."""

    id: str
    title: str
    objectives: list[ObjectiveAnalysis]
    other_notes: list[NoteItem]  # notes on steps of this runbook that serve no objective


@dataclass(eq=False)
class TimelineEntry:
    """Section 4, one event as people read it; t is scenario seconds, wall the UTC time written in the log."""

    seq: int
    t: float
    wall: str
    kind: str  # drill | inject | service | decision | step | clock | correction
    what: str  # started, ended, fired, changed, made, opened, blocked, unblocked, done, skipped, paused, ...
    subject: str  # inject id, service id, step key, or "" for the drill and the clock
    title: str  # the subject as people read it (a title where the files give one)
    detail: str  # health, option, reason, jump target ... as people read it
    value: float | None = None  # for a clock jump: the scenario time it jumped to


@dataclass(eq=False)
class StepMetrics:
    """Section 5, one step's times (scenario seconds) and how it ended; durations in seconds."""

    key: str
    runbook: str
    id: str
    title: str
    owner: str | None
    target: int | None
    status: str  # at the end of the log
    branch: bool
    opened_t: float | None
    ready_t: float | None  # first time everything it needs was resolved
    started_t: float | None  # a step.started event (None: done without being started)
    done_t: float | None
    skipped_t: float | None
    skip_reason: str | None
    skipped_by: str | None  # facilitator | branch not taken
    blocked: list[list[float | None]]  # [from, to] scenario times; to is None while still blocked
    held: list[list[float | None]]  # the parts of `blocked` when it could otherwise have been worked on
    taken: float | None  # done - started, less any time blocked by a service outage (a reopened step: the sum
    # of the times it was at work, never the wait between them)
    over_target: float | None  # taken - target (negative: under)
    wait: float | None  # ready -> picked up (started, or decided / done without a start)
    checklist_done: int
    checklist_total: int
    objectives: list[str]
    # a reopened step's times at work, [[start, end], ...] (end None while at work); [] for any other step
    intervals: list[list[float | None]] = field(default_factory=list)


@dataclass(eq=False)
class PathHop:
    """One step on a critical path: when it started and was done (scenario seconds), how long it took (s)."""

    key: str
    title: str
    started_t: float | None
    done_t: float | None
    taken: float | None
    via: str  # how the next step on the path depends on it: needs | decision | fallback | "" (the last step)


@dataclass(eq=False)
class CriticalPath:
    """The chain of steps that finished a runbook last (scenario seconds); `drill` marks the drill's own."""

    runbook: str
    title: str
    hops: list[PathHop]
    start_t: float | None
    end_t: float | None
    drill: bool  # the runbook path that finished last: the drill's critical path


@dataclass(eq=False)
class WaitItem:
    """A step that waited to be picked up once ready: ready and picked (scenario seconds), the wait (s)."""

    key: str
    title: str
    ready_t: float
    picked_t: float
    wait: float


@dataclass(eq=False)
class Metrics:
    """Section 5's summaries: the longest waits, the steps over target (worst first), the critical paths."""

    longest_waits: list[WaitItem]
    over_target: list[str]  # step keys, worst first
    critical_paths: list[CriticalPath]


@dataclass(eq=False)
class NotExercised:
    """Section 6, a step the drill never worked on, with its status and why."""

    key: str
    title: str
    status: str
    reason: str


@dataclass(eq=False)
class BranchNotTaken:
    """Section 6, a branch the drill did not take: a decision's option, a fallback or an event's steps."""

    kind: str  # option | fallback | event
    source: str  # decision step key, the step the fallback backs up, or the event id
    source_title: str
    option: str | None
    label: str | None
    steps: list[str]


@dataclass(eq=False)
class ImprovementItem:
    """Section 8, one area for improvement as the improvement plan lists it (numbered from 1)."""

    number: int
    seq: int
    t: float
    issue: str
    action: str
    element: str
    owner: str  # "" when nobody was named: the report says "to be assigned"
    due: str
    step: str | None
    step_title: str | None
    objectives: list[str]
    by: str


@dataclass(eq=False)
class DecisionItem:
    """Appendix A, one decision as it stands: the option chosen and the others, why, by whom, when
    (scenario seconds and UTC wall time), and its latency against a timed decision's limit (seconds)."""

    seq: int
    t: float
    wall: str
    step: str
    title: str
    question: str | None
    option: str
    label: str
    options: list[dict[str, str]]  # every option: {"id", "label"}
    rationale: str
    by: str
    by_default: bool  # headless play took the first option because nobody chose
    ready_t: float | None = None  # scenario seconds the decision step became ready (its countdown's start)
    latency: float | None = None  # seconds from ready to first decided (decision.made); None if never ready
    within: int | None = None  # a timed decision's limit, seconds (None: untimed)
    fell_to_default: bool = False  # the limit ran out and the drill clock took the default (then maybe revised)

    def against_limit(self) -> str:
        """The latency against the limit, in words: "within its 15m limit", "5m over its 15m limit", "time ran
        out after 15m: the default was taken", or "no limit" for an untimed decision."""
        from engine.report.render import duration

        if self.within is None:
            return "no limit"
        limit = duration(self.within)
        if self.fell_to_default:
            return f"time ran out after {limit}: the default was taken"
        if self.latency is None or self.latency <= self.within:
            return f"within its {limit} limit"
        return f"{duration(self.latency - self.within)} over its {limit} limit"


@dataclass(eq=False)
class CorrectionItem:
    """A correction event and what it corrects. seq, t (scenario seconds), wall, by, reason: the correction's;
    kind: `decision revised`, `decision amended`, `inject withdrawn`, `step reopened`, `note amended`,
    `note withdrawn`, `discussion summary amended` or `discussion summary withdrawn`; subject: step key, inject
    id, `note #seq` or `summary #seq`; title: the step's or inject's title, a note's or summary's text (cut,
    in quotes), or ""; was, was_t, was_wall,
    was_by: what the corrected event said, with its times and who (None/"" when not found); now: what
    stands after the correction (the new option or text, `withdrawn`, `open again`); was_why: the corrected
    decision's rationale or earlier revision's reason ("" when none or not a decision)."""

    seq: int
    t: float
    wall: str
    kind: str
    subject: str
    title: str
    was: str
    was_t: float | None
    was_wall: str
    was_by: str
    now: str
    reason: str
    by: str
    was_why: str = ""


@dataclass(eq=False)
class HotwashItem:
    """Section 7, one hot-wash question and the answer recorded (scenario seconds, UTC wall time)."""

    seq: int
    t: float
    wall: str
    question: str
    answer: str


@dataclass(eq=False)
class GraphNode:
    """A step in a runbook's drawing, with its status at the end of the log."""

    key: str
    id: str
    title: str
    status: str
    kind: str  # main | decision | branch | event
    on: str | None


@dataclass(eq=False)
class GraphEdge:
    """A link in a runbook's drawing (needs, an option or a fallback), and whether the drill took it."""

    source: str
    target: str
    kind: str  # needs | option | fallback
    option: str | None
    taken: bool


@dataclass(eq=False)
class RunbookGraph:
    """A runbook drawn as the drill played it: its steps and their links."""

    runbook: str
    title: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]


@dataclass(eq=False)
class ExerciseInfo:
    """The HSEEP exercise overview, from the scenario's `exercise:` block (see docs/format.md)."""

    type: str  # as people read it: "Tabletop exercise (TTX)"
    date: str
    location: str
    scope: str
    mission_areas: list[str]
    core_capabilities: list[str]
    threat: str
    sponsor: str
    organisations: list[str]
    contacts: list[str]  # "name, role, organisation, email, phone" as written


@dataclass(eq=False)
class QuestionItem:
    """A module's discussion question, to whom it is put, and the summaries recorded for it."""

    id: str
    ask: str
    to: list[str]  # role ids
    objectives: list[str]
    summaries: list[dict[str, Any]] = field(default_factory=list)  # recorded discussion: {"t", "text", "by"}


@dataclass(eq=False)
class ModuleItem:
    """A scenario module: when it was planned and when it began (scenario seconds), its injects, its
    questions."""

    id: str
    title: str
    planned_t: int | None  # scheduled start in scenario seconds; None for a branch module
    started_t: float | None  # when it began in this drill (engine.drill.modules: by the clock or moved on to)
    injects: list[str]
    injects_fired: int
    questions: list[QuestionItem]
    # its injects that fired before it began: {"inject", "t": scenario seconds, "during": the title of the
    # module under way then, or None before the first}
    early: list[dict[str, Any]] = field(default_factory=list)


@dataclass(eq=False)
class KeyTime:
    """A key moment of the brief: what, when (scenario seconds) and a detail."""

    label: str
    t: float
    detail: str


@dataclass(eq=False)
class AdhocInjectItem:
    """An inject written during the drill (inject.adhoc). seq, t (scenario seconds), wall: its event's; id: the
    id the drill gave it; text, to (roles; empty: the whole room), services (service -> health), event (or
    ""), by: as written; withdrawn: the reason it was withdrawn ("" while it stands); expect: the response
    expected of the team and objectives (runbook/objective keys) it bears on, as written ("" and [] when
    none; in JSON only when given)."""

    seq: int
    t: float
    wall: str
    id: str
    text: str
    to: list[str]
    services: dict[str, str]
    event: str
    by: str
    withdrawn: str = ""
    expect: str = ""
    objectives: list[str] = field(default_factory=list)


@dataclass(eq=False)
class TimeAwayItem:
    """The facilitator's answer on resume after a stop (clock.gap). seq, t (scenario seconds when answered),
    wall: its event's; since: wall time of the last event before the stop; away: wall seconds; counted: whether
    the exercise clock moved on by it (then to `t + away`)."""

    seq: int
    t: float
    wall: str
    since: str
    away: float
    counted: bool


@dataclass(eq=False)
class Brief:
    """The one-page executive brief: what was exercised, ratings at a glance, top improvements, key times."""

    exercised: list[str]  # runbook titles
    modules: list[str]  # module titles
    key_times: list[KeyTime]
    top_improvements: list[ImprovementItem]  # at most three, the most pressing first


@dataclass(eq=False)
class FeedbackStatement:
    """One rated statement of the participant feedback form: how many rated it, each score's count
    ({"1": n, ..., "5": n}: every score, 0 when none gave it) and the mean (None: nobody rated it)."""

    id: str
    text: str
    rated: int
    counts: dict[str, int]
    mean: float | None


@dataclass(eq=False)
class FeedbackQuestion:
    """One open question of the form and every answer to it in log order: {"text", "by"} ("by": the name
    and role the participant gave, "" when anonymous)."""

    id: str
    text: str
    answers: list[dict[str, str]]


@dataclass(eq=False)
class FeedbackSummary:
    """Participant feedback (feedback.submitted events): responses, the mean of every rating given (None:
    none), each statement's distribution and mean, each open question's answers."""

    responses: int
    mean: float | None
    statements: list[FeedbackStatement]
    questions: list[FeedbackQuestion]


@dataclass(eq=False)
class AttendanceItem:
    """One stay of one seat in the drill room (seat.joined, then seat.left), in the order joined: name as
    typed, role id and its text from the runbooks ("" for observer or unknown), seat id, joined and left in
    scenario seconds (left None: still in when the log stops)."""

    name: str
    role: str
    role_text: str
    seat: str
    joined: float
    left: float | None


@dataclass(eq=False)
class PollItem:
    """One poll put to the room (poll.*), in the order opened: its id, the question as asked, what it was on
    (`on`: "decision <title>", "module question <ask>" or ""; `step`: the decision's key or ""), the options
    (empty: free text), the tally as recorded at the close (else as it stood when the log stops; option ->
    seats), how many seats answered, the free-text answers (each {"name", "role", "text"}), when it was
    opened, shown and closed (scenario seconds; None: not), who opened it, the decisions that cite it
    (`cited_by`: step keys; `cited_titles`: their titles, as the runbook words them), and each option's
    words (`labels`: a decision's options as the runbook words them, as the room showed them; else the
    option itself)."""

    poll: str
    text: str
    on: str
    step: str
    options: list[str]
    tally: dict[str, int]
    answered: int
    answers: list[dict[str, str]]
    opened: float
    revealed: float | None
    closed: float | None
    by: str
    cited_by: list[str]
    labels: dict[str, str] = field(default_factory=dict)  # option -> its words (a decision's, from the runbook)
    cited_titles: list[str] = field(default_factory=list)  # the titles of the decisions in cited_by, in order


@dataclass(eq=False)
class ProposalItem:
    """One participant's suggestion (proposal.made), in the order sent: who (name and role as seated), on what
    (`on`: "decision <title>: <option>" or the module question asked), the text, when (scenario seconds), and
    whether the facilitator took it (taken: scenario seconds or None; taken_by)."""

    name: str
    role: str
    step: str
    option: str
    module: str
    question: str
    on: str
    text: str
    t: float
    taken: float | None
    taken_by: str


@dataclass(eq=False)
class Report:
    """The whole after-action report, as `tabletop report` renders it and as --format json writes it."""

    drill_id: str
    notices: list[Notice]
    source: Source
    verification: Verification
    overview: Overview
    figures: Figures
    analysis: list[RunbookAnalysis]
    general_notes: list[NoteItem]  # notes tied to no step
    timeline: list[TimelineEntry]
    steps: list[StepMetrics]
    metrics: Metrics
    not_exercised: list[NotExercised]
    branches_not_taken: list[BranchNotTaken]
    improvement_plan: list[ImprovementItem]
    decisions: list[DecisionItem]
    hotwash: list[HotwashItem]
    graphs: list[RunbookGraph]
    exercise: ExerciseInfo | None = None
    brief: Brief | None = None
    modules: list[ModuleItem] = field(default_factory=list)
    corrections: list[CorrectionItem] = field(default_factory=list)  # in JSON only when there is one
    adhoc_injects: list[AdhocInjectItem] = field(default_factory=list)  # in JSON only when there is one
    time_away: list[TimeAwayItem] = field(default_factory=list)  # in JSON only when there is one
    feedback: FeedbackSummary | None = None  # in JSON only when a participant sent the feedback form
    attendance: list[AttendanceItem] = field(default_factory=list)  # in JSON only when a seat joined the room
    polls: list[PollItem] = field(default_factory=list)  # in JSON only when a poll was opened
    proposals: list[ProposalItem] = field(default_factory=list)  # in JSON only when a participant proposed
    report_version: int = REPORT_VERSION

    def step(self, key: str) -> StepMetrics | None:
        return next((s for s in self.steps if s.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        for key in ("corrections", "adhoc_injects", "time_away", "attendance", "polls", "proposals"):
            if not out[key]:
                del out[key]  # reports of logs without them read as they always have
        if out["feedback"] is None:
            del out["feedback"]  # likewise for logs without participant feedback
        for item in out.get("adhoc_injects", []):
            for key in ("expect", "objectives"):  # an ad hoc inject written without them reads as before
                if not item[key]:
                    del item[key]
        for key, items in (("intervals", out["steps"]), ("early", out["modules"])):
            for item in items:  # a step never reopened, a module whose injects all came in it: as before
                if not item[key]:
                    del item[key]
        # report_version first: readers check it before anything else.
        return {"report_version": out.pop("report_version"), **out}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_json_bytes(self) -> bytes:
        """to_json, in UTF-8, encoded a piece at a time: with an indent, json.dumps gathers every piece of
        the text in a list before joining them, which for a long drill is millions of small strings."""
        out = io.BytesIO()
        for piece in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(self.to_dict()):
            out.write(piece.encode("utf-8"))
        out.write(b"\n")
        return out.getvalue()
