"""A drill's plan: the scenario and its runbooks, compiled into one graph of steps.

The files are read and validated above the drill core, in engine.plans
(load_plan); this module only compiles validated models, so engine.drill
depends on the models, never on the validator.

Steps from all runbooks live side by side under keys `runbook/step`, so a
drill of three runbooks is one state machine. Content hashes of every file
go into the log, so a log can always say which version of the files it ran.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from engine import step_rules
from engine.controls import objective_text
from engine.findings import Finding
from engine.step_rules import Opener as Opener  # the openers of a plan step are the step rules'

if TYPE_CHECKING:  # compiled from the models' fields: pydantic's instances or engine.quick_check's records
    from engine.model import Runbook, Scenario


class PlanError(Exception):
    """The scenario or its runbooks cannot be drilled; `findings` says why (when validation said so)."""

    def __init__(self, message: str, findings: list[Finding] | None = None, unreadable: bool = False) -> None:
        super().__init__(message)
        self.findings = findings or []
        self.unreadable = unreadable


@dataclass
class PlanStep:
    key: str  # runbook/step
    runbook: str
    id: str
    title: str
    owner: str | None
    target: int | None  # seconds
    do: list[str]
    needs: list[str]  # step keys
    requires: list[str]  # service ids
    fallback: str | None  # step key
    options: dict[str, list[str]] | None  # decision option -> step keys it opens
    question: str | None
    labels: dict[str, str]  # decision option -> label
    on: str | None
    objectives: list[str]  # objective keys runbook/objective
    openers: list[Opener] = field(default_factory=list)
    within: int | None = None  # a timed decision: seconds the team has from the step becoming ready
    default: str | None = None  # a timed decision: the option taken when `within` runs out

    @property
    def branch(self) -> bool:
        return step_rules.is_branch(self.openers)


@dataclass
class PlanInject:
    id: str
    at: int | None  # seconds: absolute for scheduled injects, the offset for contingency ones
    after_step: str | None  # step key whose completion (or decision) arms this inject
    after_option: str | None  # the option that must be chosen; None: the step being done
    event: str | None
    services: dict[str, str]
    to: str | None
    say: str | None
    expect: str | None
    title: str | None = None  # a short name, where the scenario gives one

    @property
    def contingent(self) -> bool:
        return self.after_step is not None


@dataclass
class SourceFile:
    kind: str  # runbook | scenario
    id: str
    path: str
    sha256: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "path": self.path, "sha256": self.sha256}


OBSERVER = "observer"  # the role a seat takes that plays no runbook role


@dataclass
class Plan:
    scenario: Scenario
    runbooks: list[Runbook]
    steps: dict[str, PlanStep]
    injects: list[PlanInject]
    services: dict[str, str]  # id -> description, from every runbook
    objectives: dict[str, str]  # runbook/objective -> text
    files: list[SourceFile]
    logged_roles: list[str] = field(default_factory=list)  # a plan made from a log alone: the roles seats took

    @property
    def scenario_file(self) -> SourceFile:
        return next(f for f in self.files if f.kind == "scenario")

    @property
    def runbook_files(self) -> list[SourceFile]:
        return [f for f in self.files if f.kind == "runbook"]

    @property
    def roles(self) -> list[str]:
        """The role ids of the drill's runbooks, in runbook order, each once, then "observer": what a seat in
        the drill room may join as."""
        out = [role for rb in self.runbooks for role in rb.roles] + self.logged_roles
        return [*dict.fromkeys(out), *([] if "observer" in out else [OBSERVER])]

    def worded(self, step: str, option: str) -> str:
        """A decision's option as the runbook words it (`step` "" or unknown, or an option it does not word: the
        option itself). The one reading of an option for every reader: console, room and report."""
        planned = self.steps.get(step) if step else None
        return planned.labels.get(option, option) if planned else option

    def inject(self, inject_id: str) -> PlanInject | None:
        """The inject with this id (looked up by id: a drill asks for every inject it fires)."""
        index = self.__dict__.get("_inject_index")
        if index is None or len(index) != len(self.injects):
            index = self.__dict__["_inject_index"] = {}
            for inject in self.injects:
                index.setdefault(inject.id, inject)
        return index.get(inject_id)


def sha256_file(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def runbook_folders(scenario_path: str) -> list[str]:
    """Where a scenario's runbooks are looked for by default: runbooks/ beside its folder, then ./runbooks."""
    here = Path(scenario_path).resolve().parent
    out = []
    for candidate in (here.parent / "runbooks", here / "runbooks", Path.cwd() / "runbooks"):
        if candidate.is_dir() and candidate not in out:
            out.append(candidate)
    return [str(p) for p in out]


def compile_plan(scenario: Scenario, scenario_path: str, runbooks: list[tuple[str, Runbook]]) -> Plan:
    """One graph of steps keyed runbook/step, with the openers of every branch step."""
    steps: dict[str, PlanStep] = {}
    services: dict[str, str] = {}
    objectives: dict[str, str] = {}
    for _, rb in runbooks:
        services.update({k: v for k, v in rb.services.items() if k not in services})
        objectives.update({f"{rb.runbook}/{k}": objective_text(v) for k, v in rb.objectives.items()})
        for sid, step in rb.steps.items():
            key = f"{rb.runbook}/{sid}"

            def ref(other: str, rb: Runbook = rb) -> str:
                return f"{rb.runbook}/{other}"

            steps[key] = PlanStep(
                key=key, runbook=rb.runbook, id=sid, title=step.title, owner=step.owner, target=step.target,
                do=list(step.do), needs=[ref(n) for n in step.needs], requires=list(step.requires),
                fallback=ref(step.fallback) if step.fallback else None,
                options={o: [ref(t) for t in opt.next] for o, opt in step.decision.options.items()}
                if step.decision else None,
                question=step.decision.question if step.decision else None,
                labels={o: opt.label or o for o, opt in step.decision.options.items()} if step.decision else {},
                on=step.on, objectives=[ref(o) for o in step.objectives],
                within=step.decision.within if step.decision else None,
                default=step.decision.default if step.decision else None,
            )
    for key, found in step_rules.openers(steps).items():
        steps[key].openers.extend(found)
    injects = [_inject(i, steps, [rb for _, rb in runbooks]) for i in scenario.injects]
    files = [SourceFile("scenario", scenario.scenario, Path(scenario_path).as_posix(), sha256_file(scenario_path))]
    files += [SourceFile("runbook", rb.runbook, Path(p).as_posix(), sha256_file(p)) for p, rb in runbooks]
    return Plan(scenario, [rb for _, rb in runbooks], steps, injects, services, objectives, files)


def _inject(inject, steps: dict[str, PlanStep], runbooks: list[Runbook]) -> PlanInject:  # type: ignore[no-untyped-def]
    after_step = after_option = None
    if inject.after is not None:
        bare = inject.after.decision or inject.after.step
        after_step = next((f"{rb.runbook}/{bare}" for rb in runbooks if bare in rb.steps), None)
        after_option = inject.after.option if inject.after.decision else None
    at = inject.at[1] if inject.at else (0 if inject.after else None)
    return PlanInject(
        id=inject.id, at=at, after_step=after_step, after_option=after_option, event=inject.event,
        services=dict(inject.services), to=inject.to, say=inject.say, expect=inject.expect,
        title=inject.title,
    )
