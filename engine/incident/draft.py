"""A Record -> draft scenario data: anchor at the first update, one inject per update at its offset.

Each inject reads out what was published, under a short title (the update's
status, else its first line). Component status changes become the inject's
`services` where `--service NAME=SERVICE` maps the component to a runbook's
service; an unmapped change becomes a comment for the author above the inject
(so the draft still validates), and an entry in what is left to decide.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from engine.bounds import MAX_DURATION_SECONDS
from engine.incident import IncidentError, Record, Update
from engine.msel.times import format_wall, tabletop_at
from engine.scaffold import kebab, unique

_RANK = {"up": 0, "degraded": 1, "down": 2}
TO_DECIDE = [
    "objectives: which of the runbooks' objectives each inject tests (`objectives:`)",
    "expected actions: what the team is expected to do after each inject (`expect:`)",
    "the runbook steps each inject should open: an `event:` the runbooks listen for (`on:`), "
    "or the services it takes down",
    "who each inject is read to (`to:`, a role of the runbooks)",
]


@dataclass
class Draft:
    """Scenario data, comments to put above injects (inject id -> lines), and what is left to decide."""

    data: dict[str, Any]
    comments: dict[str, list[str]] = field(default_factory=dict)
    to_decide: list[str] = field(default_factory=list)
    wheres: list[str] = field(default_factory=list)  # the source field or line of each inject


def draft(record: Record, scenario_id: str, runbooks: list[str], services: dict[str, str],
          title: str | None = None) -> Draft:
    """The draft for `record`. `services` maps component names (any case) to service ids.
    Raises IncidentError when the updates span more than a scenario may (366 days)."""
    anchor = record.updates[0].when
    mapped = {k.casefold(): v for k, v in services.items()}
    out = Draft(data={})
    taken: set[str] = set()
    injects = []
    unmapped: dict[str, set[str]] = {}
    titles: set[str] = set()
    for n, update in enumerate(record.updates, 1):
        seconds = int((update.when - anchor).total_seconds())
        if seconds > MAX_DURATION_SECONDS:
            raise IncidentError(f"{update.where}: {seconds // 86400} days after the first update; a scenario spans "
                                "at most 366 days")
        inject: dict[str, Any] = {"id": unique(_id_base(update, n), taken)}
        name = update.title[:1].upper() + update.title[1:] if update.title else _first_line(update)
        if name in titles:  # every post of a Graph issue starts "Title: <the same>"
            name = f"Update {n}"
        titles.add(name)
        if name:
            inject["title"] = name
        inject["at"] = tabletop_at("absolute", seconds)
        health: dict[str, str] = {}
        for change in update.changes:
            service = mapped.get(change.component.casefold())
            if service is None:
                out.comments.setdefault(inject["id"], []).append(
                    f"{change.component} went {change.status.replace('_', ' ')} ({change.health}); map it to a "
                    f"service with --service \"{change.component}=SERVICE-ID\"")
                unmapped.setdefault(change.component, set()).add(inject["id"])
            elif _RANK[change.health] >= _RANK[health.get(service, "up")]:  # two components, one service: the worse
                health[service] = change.health
        if health:
            inject["services"] = health
        inject["say"] = _say(update)
        injects.append(inject)
        out.wheres.append(update.where)
    scenario_title = title or record.title or f"{record.source} incident {record.id}".strip()
    out.data = {"scenario": scenario_id, "title": scenario_title, "summary": _summary(record),
                "runbooks": list(runbooks), "anchor": format_wall(anchor), "injects": injects}
    out.to_decide = list(TO_DECIDE) + list(record.decisions)
    for component, where in unmapped.items():
        out.to_decide.append(f"the service that {component!r} stands for (status changes in "
                             f"{', '.join(sorted(where))}): pass --service \"{component}=SERVICE-ID\"")
    return out


def scenario_id(record: Record) -> str:
    """The default scenario id: from the record's slug (Graph: the issue id) or its title, at most 40 long."""
    base = kebab(record.slug or record.title or f"incident {record.id}", fallback="incident")
    while len(base) > 40 and "-" in base[:41]:
        base = base[: base[:41].rindex("-")]
    return base[:40].rstrip("-") or "incident"


def _id_base(update: Update, n: int) -> str:
    base = kebab(update.title, fallback="") if update.title else ""
    return base if base and len(base) <= 24 else f"update-{n}"


def _first_line(update: Update) -> str:
    first = update.text.split("\n", 1)[0]
    first = re.sub(r"^title:\s*", "", first, flags=re.IGNORECASE)
    return first if len(first) <= 70 else first[:67].rstrip() + "..."


def _say(update: Update) -> str:
    text = update.text or "(the update had no text)"
    return f"{update.speaker}: {text}" if update.speaker else text


def _summary(record: Record) -> str:
    first, last = record.updates[0].when, record.updates[-1].when
    label = f"{record.source} incident {record.id}".rstrip()
    name = f" ({record.title})" if record.title else ""
    count = len(record.updates)
    span = f"published between {_utc(first)} and {_utc(last)}" if count > 1 else f"published at {_utc(first)}"
    return (f"Drafted from {label}{name}: {count} update{'s' if count != 1 else ''} {span}, each read out at its "
            "own time. T+0 is the first update. Objectives, expected actions and the runbook steps each inject "
            "opens are still to be decided.")


def _utc(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def with_comments(text: str, comments: dict[str, list[str]]) -> str:
    """The scenario YAML `text` with each inject's comment lines put above its `- id:` line."""
    lines = text.split("\n")
    out = []
    for line in lines:
        match = re.match(r"^(\s*)- id: (\S+)$", line)
        if match and match.group(2) in comments:
            out += [f"{match.group(1)}# {_one_line(c)}" for c in comments[match.group(2)]]
        out.append(line)
    return "\n".join(out)


def _one_line(text: str) -> str:
    """Comment text on one line: a line break inside it would end the comment and corrupt the file."""
    return re.sub(r"\s+", " ", text).strip()
