"""A drill log, plus the runbook and scenario files it names when they can be found -> a `Report`.

The log is the authority. The files only lend titles and structure, and only
when their content hashes match what the log recorded; when they are missing,
changed or no longer fit the events, the report says so at the top and falls
back to the ids the log itself names. A log that fails verification still
gives a report of its good part, with that fact first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path, PurePath

from engine.drill import events as ev
from engine.drill.log import LogError, LogStream, collector_paused, open_log
from engine.drill.log_plan import plan_from_log
from engine.drill.plan import Plan, PlanError
from engine.drill.replay import Played, fold_log
from engine.drill.session import file_differences, start_of
from engine.plans import load_plan
from engine.report import brief, written
from engine.report import model as m
from engine.report import sections as sec
from engine.report.corrections import corrections
from engine.report.feedback import attendance
from engine.report.feedback import summary as feedback_summary
from engine.report.room import polls, proposals
from engine.report.timeline import timeline

_KIND_FOLDERS = {"scenario": "scenarios", "runbook": "runbooks"}


# Events the report does not need one by one: ticks (the state has the checklists), notes (the state keeps
# them as first written) and service changes (the fold's `services` and `transitions` carry their times).
# A long drill is mostly these; the report folds them and keeps none (engine.drill.replay.fold_log `skip`).
_NOT_KEPT = frozenset({ev.CHECK_TICKED, ev.NOTE, ev.SERVICE_CHANGED})


def build_report(log_path: str, *, scenario: str | None = None, runbook_dirs: Sequence[str] | None = None,
                 roots: Sequence[str] | None = None, files_from: str | None = None,
                 progress: Callable[[int, int, int], None] | None = None) -> m.Report:
    """Build the report of a log. Raises LogError when the log cannot be read or holds no drill.

    `scenario` and `runbook_dirs` name the files outright; otherwise the paths the
    log recorded are looked up under each of `roots` (default: the current folder,
    then the log's project), or only in `files_from` when given. The log never
    steers the reading (engine.logged_files): only the regular, size-capped files
    it names inside those folders are read, and no folder is searched.

    The log is read once, folded as it is read (engine.drill.log.open_log), and
    its events are not held: only those the report shows one by one are kept.
    It is read again, as the stand-in plan is made and folded, when the files
    cannot be used. `progress` is called as the log is read (LogStream.progress).
    """
    with collector_paused():
        return _build(log_path, scenario, runbook_dirs, roots, files_from, progress)


def _build(log_path: str, scenario: str | None, runbook_dirs: Sequence[str] | None, roots: Sequence[str] | None,
           files_from: str | None, progress: Callable[[int, int, int], None] | None = None) -> m.Report:
    stream = open_log(log_path)
    stream.progress = progress
    events = iter(stream)
    first = next(events, None)
    if first is None:
        why = stream.problem.message if stream.problem else "it holds no events"
        raise LogError(f"{log_path}: no report can be made: {why}")
    if first.type != ev.STARTED:
        raise LogError(f"{log_path}: line 1 is {first.type}, not drill.started; this is not a drill log")
    start = start_of(log_path, first)
    search = [Path(r) for r in roots] if roots is not None else None
    notices: list[m.Notice] = []

    recorded = _recorded_files(start)
    plan, statuses = _plan_from_files(log_path, start, recorded, search, scenario, runbook_dirs, notices, files_from)
    played = fold_log(plan, chain([first], events), skip=_NOT_KEPT, decoded=stream.payload_of) if plan else None
    for _ in events:  # the chain to its end, past an event the files refuse
        pass
    first_notices: list[m.Notice] = []
    verification = _verification(stream, first_notices)
    notices[:0] = first_notices
    trusted = all(f.status == "same" for f in statuses)
    if played is not None and played.problem and not trusted:
        # Files edited since the drill can explain an event that no longer fits; the log's own ids cannot lie.
        notices.append(m.Notice("warning", f"The runbook and scenario files do not fit this log ({played.problem}); "
                                           "the report uses only the ids the log names."))
        plan = None
    if plan is None:
        plan = plan_from_log(open_log(log_path))
        played = fold_log(plan, open_log(log_path), skip=_NOT_KEPT)
        notices.append(m.Notice("warning", "Titles, objectives and the shape of each runbook come from the files, "
                                           "which could not be used: this report shows ids instead of titles, "
                                           "and cannot list the steps never exercised or the branches never taken."))
    assert played is not None
    from_files = bool(plan.files)
    if played.problem:
        verification.ok = False
        verification.apply_problem = played.problem
        notices.insert(0, m.Notice("error", f"The log holds an event that cannot have happened ({played.problem}). "
                                            f"The report covers the {played.count} events before it."))
    verification.events_applied = played.count
    if not played.state.ended and played.last is not None:
        last = played.last
        notices.append(m.Notice("info", f"The log has no drill.ended: the drill was still running, or stopped "
                                        f"without ending, after event {last.seq} at scenario second {last.t:g}."))

    digest, size, drill_id = _digests(log_path)
    source = m.Source(
        log_name=Path(log_path).name, log_sha256=digest, log_bytes=size, drill_id=drill_id, tool=start.tool or "",
        log_version=start.version,
        plan_from="files" if from_files else "log", files=statuses,
    )
    return assemble(plan, played, notices, source, verification, from_files)


def _digests(path: str) -> tuple[str, int, str]:
    """The SHA-256 of the whole file, its size in bytes, and the SHA-256 of its first line (the drill's id),
    read a block at a time."""
    whole, line = hashlib.sha256(), hashlib.sha256()
    size, first = 0, None
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            whole.update(block)
            size += len(block)
            if first is None:
                cut = block.find(b"\n")
                line.update(block if cut < 0 else block[:cut])
                first = line.hexdigest() if cut >= 0 else None
    return whole.hexdigest(), size, first or line.hexdigest()


def assemble(plan: Plan, played: Played, notices: list[m.Notice], source: m.Source,
             verification: m.Verification, from_files: bool) -> m.Report:
    """The sections, from a plan and a fold."""
    runbooks = _runbooks(plan, played)
    steps = sec.step_metrics(plan, played)
    items = sec.notes(plan, played)
    made = sec.decisions(plan, played)
    plan_items = sec.improvement_plan(plan, items)
    analysis, general = sec.analysis(plan, played, items, runbooks)
    report = m.Report(
        drill_id=source.drill_id, notices=notices, source=source, verification=verification,
        overview=sec.overview(plan, played, runbooks),
        figures=sec.figures(plan, played, steps, items, made, plan_items),
        analysis=analysis, general_notes=general, timeline=timeline(plan, played), steps=steps,
        metrics=sec.metrics(plan, played, steps, runbooks),
        not_exercised=sec.not_exercised(plan, played) if from_files else [],
        branches_not_taken=sec.branches_not_taken(plan, played.state) if from_files else [],
        improvement_plan=plan_items, decisions=made, hotwash=sec.hotwash(played),
        graphs=sec.graphs(plan, played.state, runbooks) if from_files else [],
        exercise=brief.exercise_info(plan), modules=brief.modules(plan, played),
        corrections=corrections(plan, played), adhoc_injects=written.adhoc_injects(played),
        time_away=written.time_away(played),
        feedback=feedback_summary(played.state), attendance=attendance(plan, played.state),
        polls=polls(plan, played.state), proposals=proposals(plan, played.state),
    )
    report.brief = brief.brief(report)
    return report


def _verification(read: LogStream, notices: list[m.Notice]) -> m.Verification:
    """What reading the log (to its end) found."""
    out = m.Verification(ok=read.ok, events_read=read.count, events_applied=0)
    if read.problem is None:
        return out
    out.problem_line, out.problem, out.torn = read.problem.line, read.problem.message, read.torn
    kept = f"The report covers the {read.count} events before it"
    if read.torn:
        notices.append(m.Notice("error", f"This log is torn: line {read.problem.line} is incomplete (the drill "
                                         f"stopped mid-write). {kept}."))
    else:
        notices.append(m.Notice("error", f"This log failed verification at line {read.problem.line}: "
                                         f"{read.problem.message}. {kept}; nothing the log says from that line "
                                         "on is in this report."))
    return out


def _recorded_files(start: ev.Started) -> list[tuple[str, str, str, str]]:
    """(kind, id, path, sha256) of every file drill.started recorded."""
    entries = ([("scenario", start.scenario)] if start.scenario else []) + [("runbook", f) for f in start.runbooks]
    return [(kind, entry.id, entry.path, entry.sha256) for kind, entry in entries]


def _locate(kind: str, path: str, roots: list[Path] | None, log_path: str, files_from: str | None,
            notices: list[m.Notice]) -> Path | None:
    """A file the log names, found without letting the log steer (engine.logged_files); a refusal is a notice."""
    from engine.logged_files import find_named

    if not path:
        return None
    found = find_named(log_path, path, files_from=files_from, roots=roots, kind_folder=_KIND_FOLDERS[kind])
    if found.problem and "no such file" not in found.problem:
        name = PurePath(path).name  # the name alone: a report does not show where anyone keeps their files
        notices.append(m.Notice("warning", f"The {kind} file {name} named by the log was not read: "
                                           f"{found.problem.split('; not read')[0]}; give --files-from DIR to read "
                                           "it from a folder you choose."))
    return Path(found.path) if found.path else None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plan_from_files(log_path: str, start: ev.Started, recorded: list[tuple[str, str, str, str]],
                     roots: list[Path] | None, scenario: str | None, runbook_dirs: Sequence[str] | None,
                     notices: list[m.Notice], files_from: str | None = None) -> tuple[Plan | None, list[m.SourceFile]]:
    located = {(kind, fid): _locate(kind, path, roots, log_path, files_from, notices)
               for kind, fid, path, _ in recorded}
    scenario_id = next((fid for kind, fid, _, _ in recorded if kind == "scenario"), "")
    scenario_path = Path(scenario) if scenario else located.get(("scenario", scenario_id))
    if runbook_dirs is None:  # exactly the runbook files the log names: no folder is searched because of it
        found = [p for (kind, _), p in located.items() if kind == "runbook" and p is not None]
        runbook_dirs = [str(p) for p in dict.fromkeys(found)] or None

    plan = None
    if scenario_path is None or not scenario_path.is_file():
        shown = _shown(_recorded_path(recorded, "scenario"))
        notices.append(m.Notice("warning", f"The scenario file {shown} is missing."))
    else:
        try:
            plan = load_plan(str(scenario_path), list(runbook_dirs) if runbook_dirs is not None else None,
                             quick=True)  # no pydantic for files that fit their model
        except PlanError as exc:
            notices.append(m.Notice("warning", f"The runbook and scenario files cannot be used: {exc}."))
    statuses = _file_statuses(recorded, located, plan)
    for file in statuses:
        if file.status == "missing" and file.kind == "runbook":
            notices.append(m.Notice("warning", f"The runbook file {_shown(file.path)} ({file.id}) is missing."))
    if plan is not None:
        notices += [m.Notice("warning", f"The files differ from those the drill ran with: {d}.")
                    for d in file_differences(plan, start)]
    return plan, statuses


def _shown(path: str) -> str:
    """A recorded path as a report shows it: relative as recorded, absolute by its name alone."""
    return PurePath(path).name if PurePath(path).is_absolute() else path


def _recorded_path(recorded: list[tuple[str, str, str, str]], kind: str) -> str:
    return next((path or fid for k, fid, path, _ in recorded if k == kind), "")


def _file_statuses(recorded: list[tuple[str, str, str, str]], located: dict[tuple[str, str], Path | None],
                   plan: Plan | None) -> list[m.SourceFile]:
    now = {(f.kind, f.id): f.sha256 for f in plan.files} if plan else {}
    out = []
    for kind, fid, path, sha in recorded:
        current = now.get((kind, fid))
        if current is None and (kind, fid) in located and located[(kind, fid)] is not None:
            current = _sha256(located[(kind, fid)])  # type: ignore[arg-type]
        status = "missing" if current is None else "same" if current == sha else "changed"
        out.append(m.SourceFile(kind, fid, path, sha, status))
    return out


def _runbooks(plan: Plan, played: Played) -> list[m.RunbookRef]:
    if plan.runbooks:
        return [m.RunbookRef(rb.runbook, rb.title) for rb in plan.runbooks]
    ids = list(plan.scenario.runbooks or [])
    for key in list(plan.steps) + list(played.state.ratings):
        runbook = key.partition("/")[0]
        if runbook and runbook not in ids:
            ids.append(runbook)
    return [m.RunbookRef(i, i) for i in ids]
