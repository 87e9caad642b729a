"""Two runbooks, two scenarios, or two injects, modules or questions of one scenario share an id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from engine.findings import Finding, Severity
from engine.load import Path_
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="duplicate-id",
    severity=Severity.ERROR,
    doc="two runbooks, two scenarios, or two injects, modules or questions of one scenario have the same id "
    "(or ids equal but for case)",
    stage="project",
)


def check(project: Project) -> Iterator[Finding]:
    for kind, subjects in (("runbook", project.runbooks), ("scenario", project.scenarios)):
        ordered = sorted(subjects, key=lambda s: s.doc.path)  # the first in path order keeps its id
        yield from _repeats(kind, [(s, (kind,), s.id) for s in ordered])
    if not project.scenarios:
        return
    from engine.rules._scenario import placed_injects, placed_modules  # not for runbooks alone: start fast

    for scenario in sorted(project.scenarios, key=lambda s: s.doc.path):
        injects = [(scenario, p.at("id"), p.inject.id) for p in placed_injects(scenario)]
        yield from _repeats("inject", injects, within=scenario.id)
        modules = list(placed_modules(scenario))
        yield from _repeats("module", [(scenario, p.at("id"), p.module.id) for p in modules], within=scenario.id)
        # Question ids are unique across modules: a discussion summary in the drill log names only the question.
        questions = [(scenario, path + ("id",), q.id) for p in modules for path, q in p.questions()]
        yield from _repeats("question", questions, within=scenario.id)


def _repeats(kind: str, items: Iterable[tuple[Subject, Path_, str]], within: str | None = None) -> Iterator[Finding]:
    first: dict[str, tuple[Subject, Path_, str]] = {}
    for subject, path, name in items:
        folded = name.casefold()  # `Mail-Outage` and `mail-outage` are one id to a person typing it
        if folded not in first:
            first[folded] = (subject, path, name)
            continue
        other, other_path, other_name = first[folded]
        line, _ = other.doc.where(other_path)
        same = "the same id" if other_name == name else f"an id equal but for case (`{other_name}`)"
        scope = f" of scenario `{within}`" if within else ""
        yield subject.finding(
            RULE,
            f"{kind} `{name}` has {same} as another {kind}{scope}",
            path,
            hint=f"the first is at {other.doc.path}:{line}; rename one of them",
        )
