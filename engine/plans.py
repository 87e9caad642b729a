"""One way from files to a plan: read and validate runbooks and scenarios, and compile each scenario's
plan (engine.drill.plan.compile_plan).

This sits above the drill core: it uses the validator (engine.validate, its
rules and settings), and engine.drill never does. Two entry points share it:

- `load_plan(scenario, runbook_dirs)`: one scenario and the runbooks it
  names, for a drill, play, explore, `log verify` and the report;
- `load_inputs(paths, config)`: every runbook and scenario under some paths,
  for coverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.drill.plan import Plan, PlanError, compile_plan, runbook_folders
from engine.findings import Severity

if TYPE_CHECKING:  # the models are pydantic's: loaded only when a file is checked by it
    from engine.model import Runbook, Scenario
    from engine.parse_cache import ParseCache


class CoverageInputError(Exception):
    """The runbooks or scenarios cannot be read or have errors; `findings` are the first of them."""

    def __init__(self, message: str, findings: list[Any] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


@dataclass(frozen=True)
class RunbookInfo:
    id: str
    title: str
    path: str


def load_plan(scenario_path: str, runbook_dirs: list[str] | None = None, *, quick: bool = False,
              parse_cache: ParseCache | None = None) -> Plan:
    """Validate the scenario with the runbooks it names and compile them into a Plan.

    `runbook_dirs`: folders to find the runbooks in (default: runbook_folders,
    runbooks/ beside the scenario's folder, then ./runbooks), earlier ones first:
    a runbook id found in an earlier folder hides a runbook of the same id in a
    later one, and a file reached by two paths (a folder given twice, relative and
    absolute, through a symlink) is read once. With `quick`, files
    that certainly fit their model are read without pydantic and the plan's
    `scenario` and `runbooks` are engine.quick_check records (the models' fields,
    read-only; findings are the same either way): the console starts sooner. With a `parse_cache`
    (engine.parse_cache), a file parsed before is read back from it. Raises
    PlanError: the scenario cannot be read (`unreadable`), is not a scenario,
    has errors (`findings` lists them), or names a runbook that is missing or
    has errors; the message says what to run or give.
    """
    from engine.config import Config  # the validator is imported when used: it is slow to import
    from engine.validate import UsageError, discover, once, validate

    folders = runbook_dirs if runbook_dirs is not None else runbook_folders(scenario_path)
    try:
        found_in = [discover([folder], Config()) for folder in folders]
    except UsageError as exc:
        raise PlanError(str(exc)) from None
    files = once([scenario_path] + [f for found in found_in for f in found])
    result = validate(files, Config(), found=set(files[1:]), quick=quick, parse_cache=parse_cache)
    hidden = _hidden(result, found_in)
    if hidden:  # the same runbook id in two folders: the earlier folder's runbook is the one used
        files = [f for f in files if f not in hidden]
        result = validate(files, Config(), found=set(files[1:]), quick=quick, parse_cache=parse_cache)
    scenario_doc = result.documents[0]
    own = [f for f in result.findings if f.path == scenario_doc.path and f.severity is Severity.ERROR]
    if scenario_doc.unreadable:
        raise PlanError(f"{scenario_path} cannot be read", own, unreadable=True)
    if scenario_doc.kind != "scenario":
        raise PlanError(f"{scenario_path} is not a scenario (it has no `scenario:` at the top)", own)
    subject = next((s for s in result.project.scenarios if s.doc is scenario_doc), None)
    if subject is None or own:
        raise PlanError(f"{scenario_path} has errors; run `tabletop validate {scenario_path}`", own)
    scenario: Scenario = subject.model
    runbooks = []
    for runbook_id in scenario.runbooks:
        found = result.project.runbook(runbook_id)
        if found is None:
            where = f"is not in {', '.join(folders)}" if folders else "was not found (no runbooks/ folder here)"
            raise PlanError(f"runbook `{runbook_id}` named by the scenario {where}; "
                            "give its folder with --runbooks")
        errors = [f for f in result.findings if f.path == found.doc.path and f.severity is Severity.ERROR]
        if errors:
            raise PlanError(f"runbook {found.doc.path} has errors; run `tabletop validate {found.doc.path}`", errors)
        runbooks.append((found.doc.path, found.model))
    return compile_plan(scenario, scenario_path, runbooks)


def _hidden(result: Any, found_in: list[list[str]]) -> set[str]:
    """Runbook files whose id a runbook in an earlier folder of `found_in` (files per folder, in the order the
    folders are looked in) already has: hidden by it, as a command on a PATH is. Two runbooks with one id in
    the same folder are left alone, for the duplicate-id rule to report."""
    folder_of: dict[str, int] = {}
    for index, found in enumerate(found_in):
        for name in found:
            folder_of.setdefault(name, index)
    by_id: dict[str, list[str]] = {}
    for subject in result.project.runbooks:
        if subject.doc.path in folder_of:
            by_id.setdefault(subject.id.casefold(), []).append(subject.doc.path)
    hidden: set[str] = set()
    for paths in by_id.values():
        first = min(folder_of[p] for p in paths)
        hidden.update(p for p in paths if folder_of[p] > first)
    return hidden


@dataclass
class Inputs:
    """The validated runbooks and the plan of each scenario."""

    runbooks: list[RunbookInfo]
    models: list[Runbook]  # in the same order
    plans: list[Plan]


def load_inputs(paths: list[str], config: Any = None) -> Inputs:
    """Validate the files under `paths` and compile each scenario's plan.

    Raises engine.validate.UsageError for a path that does not exist or a set
    with no runbook or scenario in it, CoverageInputError for a file that
    cannot be read or has errors.
    """
    from engine.config import Config
    from engine.validate import UsageError, discover, validate

    config = config or Config()
    files = discover(paths, config)
    named = {f for f in files if Path(f).resolve() in {Path(p).resolve() for p in paths if Path(p).is_file()}}
    # The settings choose the files; the rules keep their own severities, as for a drill (load_plan): a
    # runbook with an error turned into a warning would still compile into a plan that cannot be played.
    result = validate(files, Config(max_file_bytes=config.max_file_bytes), found=set(files) - named)
    if not result.project.runbooks and not result.project.scenarios and not result.unreadable:
        raise UsageError(f"no runbooks or scenarios in {' '.join(paths)}")
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if result.unreadable or errors:
        bad = sorted({f.path for f in errors} | {d.path for d in result.documents if d.unreadable})
        what = "cannot be read or has errors" if len(bad) == 1 else "cannot be read or have errors"
        names = ", ".join(bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
        raise CoverageInputError(f"{names} {what}; run `tabletop validate {' '.join(paths)}`", errors)
    runbooks = [RunbookInfo(s.model.runbook, s.model.title, s.doc.path) for s in result.project.runbooks]
    by_id = {s.model.runbook: s for s in result.project.runbooks}
    plans = []
    for subject in result.project.scenarios:
        scenario = subject.model
        missing = [r for r in scenario.runbooks if r not in by_id]
        if missing:  # validate says so as an error; kept here so a plan is never compiled without its runbooks
            raise CoverageInputError(f"{subject.doc.path}: runbook {missing[0]} is not among {' '.join(paths)}")
        named_runbooks = [(by_id[r].doc.path, by_id[r].model) for r in scenario.runbooks]
        plans.append(compile_plan(scenario, subject.doc.path, named_runbooks))
    return Inputs(runbooks, [s.model for s in result.project.runbooks], plans)


