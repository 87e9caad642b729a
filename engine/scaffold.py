"""Writing new tabletop files: starting templates, and the YAML and file plumbing the importers share.

Everything that creates a runbook or scenario file goes through here, so every
such file starts with the schema modeline, reads back as the same data through
engine.load, and is never left half-written: text is built whole in memory,
written to a temporary file beside the target, and moved into place with
os.replace (or linked, when an existing file must not be overwritten).
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from engine.model import Runbook

_NOT_ID = re.compile(r"[^a-z0-9]+")
# Words YAML 1.1 readers turn into booleans or null; quoted so every reader sees a string.
_ESCAPE = set("\x85\u2028\u2029\ufeff\t\r")
_AMBIGUOUS = {"yes", "no", "y", "n", "on", "off", "true", "false", "null", "~", ""}


class ScaffoldError(Exception):
    """A file could not be written as asked (exists already, unwritable folder, bad name)."""


def kebab(text: str, *, fallback: str = "item") -> str:
    """A tabletop id from free text: 'Anomalous Files Detected!' -> 'anomalous-files-detected'.

    Accents are folded to ASCII; an id must start with a letter, so a leading
    digit gets the fallback word in front ('2nd wave' -> 'item-2nd-wave').
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = _NOT_ID.sub("-", folded.lower()).strip("-")
    if not out:
        return fallback
    if not out[0].isalpha():
        out = f"{fallback}-{out}"
    return out


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken yet; records the result as taken."""
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def schema_modeline(kind: str, folder: Path) -> str:
    """The yaml-language-server line for a file written into `folder`.

    Points at the nearest schemas/<kind>.schema.json above the folder, so the
    shipped layout gets `../schemas/...`; with none found, the shipped layout's
    line is used, which is right once the file is moved into runbooks/ or scenarios/.
    """
    here = folder.resolve()
    for candidate in (here, *here.parents):
        schema = candidate / "schemas" / f"{kind}.schema.json"
        if schema.is_file():
            return f"# yaml-language-server: $schema={Path(os.path.relpath(schema, here)).as_posix()}"
    return f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"


def dump_yaml(data: Any) -> str:
    """Block-style YAML for plain data (dicts keep their order) that engine.load reads back equal."""
    from ruamel.yaml import YAML
    from ruamel.yaml.representer import RoundTripRepresenter

    class _Representer(RoundTripRepresenter):
        pass

    def represent_str(representer: Any, value: str) -> Any:
        tag = "tag:yaml.org,2002:str"
        if value.lower() in _AMBIGUOUS:
            return representer.represent_scalar(tag, value, style="'")
        if any(c in _ESCAPE or not (c.isprintable() or c == "\n") for c in value):
            # Line separators and control characters survive only as escapes in double quotes.
            return representer.represent_scalar(tag, value, style='"')
        if "\n" in value and _block_safe(value):
            return representer.represent_scalar(tag, value, style="|")
        if len(value) > 60 and _block_safe(value):  # folded like the shipped files, no trailing blanks
            return representer.represent_scalar(tag, value, style=">")
        return representer.represent_str(value)

    _Representer.add_representer(str, represent_str)
    yaml = YAML()
    yaml.Representer = _Representer
    yaml.Emitter = _UnfoldedEmitter()
    yaml.default_flow_style = False
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _UnfoldedEmitter() -> type:  # noqa: N802 - a class made on first use, so ruamel is imported lazily
    """ruamel's emitter, except that a double-quoted scalar is never folded across lines.

    Folding a double-quoted scalar at the wrap column can put a line break next to an escape
    (`\t`, `\x07`), and reading it back then gives a space that was not in the text. One long
    line is the price of text that always comes back exactly.
    """
    from ruamel.yaml.emitter import Emitter

    class Unfolded(Emitter):  # type: ignore[misc]
        def write_double_quoted(self, text: Any, split: Any = True) -> None:
            super().write_double_quoted(text, split=False)

    return Unfolded


def _block_safe(value: str) -> bool:
    """Whether a block scalar (| or >) keeps the text exactly: no edge whitespace, no odd characters."""
    if value != value.strip() or value.startswith(("#", "-", "?", ":")) or "\t" in value or "\r" in value:
        return False
    if any(line != line.rstrip() for line in value.split("\n")):
        return False
    return all(c == "\n" or (c.isprintable() and c not in "\u2028\u2029\x85\ufeff") for c in value)


def write_file(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write `text` to `path` whole or not at all, with the usual mode. Raises ScaffoldError.

    Through engine.whole_file: a temporary file in the same folder, then
    replacing the target (overwrite) or hard-linked to a name that must not
    exist yet, so a concurrent writer cannot be clobbered either.
    """
    from engine.whole_file import FileExists, WriteError, write_whole

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ScaffoldError(f"{folder}: no such folder")
    try:
        write_whole(path, text, overwrite=overwrite)
    except FileExists:
        raise ScaffoldError(f"{path} exists already; not overwriting it") from None
    except WriteError as exc:
        raise ScaffoldError(str(exc)) from None


def file_text(kind: str, folder: Path, data: dict[str, Any], header: str = "") -> str:
    """A whole runbook or scenario file: modeline, optional comment lines, then the data."""
    lines = [schema_modeline(kind, folder)]
    lines += [f"# {line}".rstrip() for line in header.splitlines()]
    return "\n".join(lines) + "\n" + dump_yaml(data)


# ----- starting files for `tabletop new` -----


def _title(title: str | None, placeholder: str) -> str:
    """The `title:` value: the name as the author typed it (a YAML double-quoted scalar, which JSON's quoting
    is), else the placeholder asking for one."""
    return json.dumps(title.strip(), ensure_ascii=False) if title and title.strip() else placeholder


def runbook_template(runbook_id: str, modeline: str, title: str | None = None) -> str:
    """A commented runbook that validates clean and shows each kind of step once; `title` is the name as
    typed (`tabletop new runbook "Okta outage"`), else a placeholder asking for one."""
    return _RUNBOOK.format(modeline=modeline, id=runbook_id,
                           title=_title(title, "Replace this with what the runbook is for"))


def scenario_template(scenario_id: str, modeline: str, runbook_ids: list[str],
                      runbooks: list[Runbook], title: str | None = None) -> str:
    """A commented scenario for the runbooks; its injects use only what those runbooks declare. `title`
    is the name as typed, else a placeholder asking for one.

    `runbooks` holds the runbooks that were found (possibly fewer than named):
    the example injects borrow a service, a role, an event and a decision from
    them, so the file validates clean as written.
    """
    ids = ", ".join(runbook_ids)
    service = next((s for rb in runbooks for s in rb.services), None)
    role = next((r for rb in runbooks for r in rb.roles), None)
    event = next((s.on for rb in runbooks for s in rb.steps.values() if s.on), None)
    decision = next(((sid, next(iter(s.decision.options))) for rb in runbooks
                     for sid, s in rb.steps.items() if s.decision and s.decision.options), None)
    objective = next((o for rb in runbooks for o in rb.objectives), None)
    first = [
        "  - id: first-signs",
        "    at: T+0m",
    ]
    if event:
        first.append(_commented(f"    event: {event}", f"opens the `on: {event}` branch"))
    if service:
        first.append(_commented(f"    services: {{{service}: degraded}}", "up, degraded or down"))
    if role:
        first.append(_commented(f"    to: {role}", "the intended player: a role id"))
    first += [
        "    say: >-",
        "      What the facilitator reads out: the first symptom, as the team would",
        "      see it, in plain words.",
        "    expect: >-",
        "      The response you hope to see, specific enough to rate afterwards.",
    ]
    if objective:
        first += ["    objectives:", f"      - {objective}"]
    later = ["", "  - id: it-gets-worse", "    at: T+30m"]
    if service:
        later.append(f"    services: {{{service}: down}}")
    later += ["    say: >-", "      The second inject raises the stakes."]
    if decision:
        later += [
            "",
            "  # A contingency inject: fires only once that option of the decision is chosen.",
            "  - id: if-they-chose-it",
            f"    after: {{decision: {decision[0]}, option: {decision[1]}}}",
            "    at: +15m",
            "    say: >-",
            "      What follows from that choice.",
        ]
    end = ["", "  - id: all-clear", "    at: T+2h"]
    if service:
        end.append(f"    services: {{{service}: up}}")
    end += ["    say: >-", "      Service is back. What do you check before you stand down?"]
    body = "\n".join(first + later + end)
    modules = _modules_text(role, objective, contingency=decision is not None)
    return _SCENARIO.format(modeline=modeline, id=scenario_id, runbooks=ids, injects=body, modules=modules,
                            title=_title(title, "Replace this with a one-line description of the exercise"))


def _modules_text(role: str | None, objective: str | None, *, contingency: bool) -> str:
    """Two example modules over the template's injects, each with a question for the players."""
    opening = ["first-signs", "it-gets-worse"] + (["if-they-chose-it"] if contingency else [])
    aimed = [_commented(f"        to: [{role}]", "roles the question is for")] if role else []
    linked = [f"        objectives: [{objective}]"] if objective else []
    lines = [
        "  - id: first-hour",
        '    title: "Module 1: The first hour"',
        "    at: T+0m",
        "    situation: >-",
        "      The narrative the facilitator reads as the module opens: where things stand.",
        f"    injects: [{', '.join(opening)}]",
        "    questions:",
        "      - id: who-decides",
        "        ask: Who decides whether to work around the outage, and when?",
        *aimed,
        *linked,
        "        prompts:                                   # for the facilitator only",
        "          - What would make you wait instead?",
        "        expect:                                    # points a good discussion covers",
        "          - One named person decides, against a time limit",
        "",
        "  - id: recovery",
        '    title: "Module 2: Service returns"',
        "    at: T+1h30m",
        "    injects: [all-clear]",
        "    questions:",
        "      - id: before-stand-down",
        "        ask: What do we check ourselves before we stand down?",
    ]
    return "\n".join(lines)


def _commented(line: str, comment: str) -> str:
    return f"{line.ljust(48)}  # {comment}"


_RUNBOOK = """\
{modeline}
# A runbook: what the team does, as a graph of steps. The format is in docs/format.md;
# check it with `tabletop validate`, draw it with `tabletop graph`.
runbook: {id}
title: {title}
version: 1
summary: >-
  A few sentences on the kind of incident this covers and what "done" means.

# What steps rely on; a scenario can mark each one up, degraded or down.
services:
  main-service: The service this runbook keeps going (rename it)

# Who owns steps.
roles:
  incident-commander: Runs the response and makes the calls
  service-owner: Knows the service and does the hands-on work

# What a drill evaluates: measurable, with a time limit.
objectives:
  detect-fast: Confirm the problem within 15 minutes of the first report

steps:
  # A main step: open from the start of a drill.
  confirm-problem:
    title: Confirm the problem from the user's side
    owner: service-owner
    target: 15m
    objectives:
      - detect-fast
    do:
      - Reproduce it from outside your own network
      - Write down the first time it failed, in UTC

  # `needs` makes a step wait for others (done or skipped).
  declare-incident:
    title: Declare the incident and open a bridge
    owner: incident-commander
    target: 10m
    needs:
      - confirm-problem

  # A step that needs a service; while it is down the fallback opens instead.
  check-dashboard:
    title: Read the service's own status dashboard
    owner: service-owner
    target: 10m
    needs:
      - confirm-problem
    requires:
      - main-service
    fallback: check-outside

  check-outside:
    title: Get the status from a source that does not depend on the service
    owner: service-owner
    target: 15m

  # A decision: each option opens its own branch steps.
  route-decision:
    title: Work around the outage or wait it out?
    owner: incident-commander
    target: 15m
    needs:
      - declare-incident
    decision:
      question: Switch to the workaround now, or wait for the fix?
      options:
        work-around: {{label: Switch to the workaround, next: [switch-over]}}
        wait: {{label: Wait and watch, next: [watch]}}

  switch-over:
    title: Switch users to the workaround
    owner: service-owner
    target: 30m

  watch:
    title: Watch the service and report every 30 minutes
    owner: service-owner
    target: 1h

  # An event branch: opens when a scenario injects the event.
  answer-press:
    title: Answer press questions with a holding line
    owner: incident-commander
    target: 20m
    on: press-inquiry

  # A join: only one of switch-over and watch will have run; the other is skipped.
  stand-down:
    title: Confirm recovery and stand down
    owner: incident-commander
    target: 30m
    needs:
      - switch-over
      - watch
      - check-dashboard
"""

_SCENARIO = """\
{modeline}
# A scenario: what happens to the team, as a timed list of injects (an MSEL).
# The format is in docs/format.md; check it with `tabletop validate`.
scenario: {id}
title: {title}
summary: >-
  What happened, to whom, and what the exercise should bring out.
runbooks: [{runbooks}]
duration: 3h
# anchor: 2026-01-22T19:33:00Z   # the real-world moment of T+0, if the scenario replays a real event

# The HSEEP exercise overview, printed on the first pages of the handbooks and the report.
exercise:
  type: tabletop
  # date: 12 March 2026, 09:00-13:00
  # location: The operations room, with remote players on a bridge line
  scope: >-
    How long the exercise runs, who plays, and what is simulated rather than touched.
  mission-areas: [response]                # prevention, protection, mitigation, response, recovery
  core-capabilities: [Operational Coordination]   # from the National Preparedness Goal
  # threat: The threat or hazard the scenario plays out
  # sponsor: Who commissions the exercise
  # organisations: [IT operations, Service desk]
  # contacts:
  #   - {{name: Your Name, role: Exercise director, email: you@example.com}}

# A discussion-based exercise runs in modules: a situation update with its injects,
# then questions for the players. Leave `modules:` out to play the injects on the clock alone.
modules:
{modules}

injects:
{injects}
"""
