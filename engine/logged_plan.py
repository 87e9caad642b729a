"""The plan a finished drill log is read against: the files it names, when they are at hand and unchanged.

Every reader that folds a finished log (readiness, plan status, `log show`)
asks `plan_for_log(log_path, start)`. The runbook and scenario files
drill.started names are looked up safely (engine.logged_files.find_named) and
used only when each one's SHA-256 is the one recorded; otherwise
`LogPlan.why` says why not, for the reader to say once, and the reader folds
against the stand-in made from the log alone
(engine.drill.log_plan.plan_from_log), which takes every event the log
records.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.drill import events as ev
from engine.drill.plan import Plan


@dataclass(frozen=True)
class LogPlan:
    """The plan to read a log against: from its files (`from_files`), or None with `why` the files could not
    be used (then fold against plan_from_log)."""

    plan: Plan | None
    why: str | None = None

    @property
    def from_files(self) -> bool:
        return self.plan is not None


_KIND_FOLDERS = {"scenario": "scenarios", "runbook": "runbooks"}
_LOADED: dict[tuple[tuple[str, str], ...], Plan] = {}  # (path, sha256) of each file -> its plan, this process
_KEPT = 16  # versions of the files kept loaded; past this the cache starts again


def plan_for_log(log_path: str, start: ev.Started, *, files_from: str | None = None) -> LogPlan:
    """The plan of the files drill.started (`start`) names, when every one is found (safely, see
    engine.logged_files) and its SHA-256 is the one recorded; else LogPlan(None, why). Never raises:
    a file that cannot be loaded is a `why`."""
    from engine.drill.plan import PlanError, sha256_file
    from engine.logged_files import find_named
    from engine.plans import load_plan

    named = ([("scenario", start.scenario)] if start.scenario else []) + [("runbook", f) for f in start.runbooks]
    if not named or named[0][0] != "scenario":
        return LogPlan(None, "the log names no scenario file")
    paths: list[tuple[str, str]] = []
    for kind, logged in named:
        found = find_named(log_path, logged.path, files_from=files_from, kind_folder=_KIND_FOLDERS[kind])
        if found.path is None:
            return LogPlan(None, f"the {kind} file {logged.path} was not read: {found.problem}")
        try:
            sha = sha256_file(found.path)
        except OSError as exc:
            return LogPlan(None, f"the {kind} file {logged.path} cannot be read: {exc.strerror or exc}")
        if sha != logged.sha256:
            return LogPlan(None, f"the {kind} file {logged.path} has changed since the drill")
        paths.append((found.path, sha))
    key = tuple(paths)
    if key not in _LOADED:
        if len(_LOADED) >= _KEPT:
            _LOADED.clear()
        try:
            _LOADED[key] = load_plan(paths[0][0], [p for p, _ in paths[1:]], quick=True)
        except PlanError as exc:
            return LogPlan(None, f"the files cannot be used: {exc}")
    return LogPlan(_LOADED[key])
