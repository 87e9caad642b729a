"""`tabletop plan add LOG`: a drill's areas for improvement become items of the improvement plan.

Each area for improvement (a `note` of kind `improvement`) becomes one item
that names the log, the note's line and the drill's id. An item already taken
from the same drill and line, in any plan file, is never added again, and an
existing item is never changed: new items go into `<folder>/<log-stem>.yaml`,
appended after the items already there, or into a new file beside it when
appending cannot keep the file's existing text as it is.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from engine.improvement.files import PlanFile, read_plan
from engine.scaffold import dump_yaml, kebab, schema_modeline, unique, write_file

DRILL_ID_DIGITS = 16  # of the drill's SHA-256 kept in an item: enough to tell drills apart


class PlanAddError(Exception):
    """The plan cannot be added to; the message names the file and what to do."""


@dataclass
class Added:
    path: str | None  # the file written (None: nothing new)
    created: bool = False
    items: list[dict[str, Any]] = field(default_factory=list)  # the items written, as data
    already: list[tuple[int, str, str]] = field(default_factory=list)  # (line, item id, file) already in a plan
    notes: list[str] = field(default_factory=list)  # what the user should know (a due date not understood)


def add_from_log(log_path: str, folder: str, plans: list[PlanFile], report: Any) -> Added:
    """Write the report's areas for improvement that no plan file holds yet. Raises PlanAddError.

    `report` is engine.report.builder.build_report(log_path); `plans` are the
    folder's plan files as read now (engine.improvement.files.read_plans).
    """
    bad = [p.path for p in plans if not p.ok]
    if bad:
        raise PlanAddError(f"{bad[0]} has problems; fix them first (`tabletop validate {folder}`), so no item "
                           "is added twice")
    drill = report.source.drill_id[:DRILL_ID_DIGITS]
    log_ref = _log_ref(log_path, folder)
    taken = {i.id for p in plans for i in p.items}
    seen = {_key(i, log_ref): (i.id, p.path) for p in plans for i in p.items if i.finding}
    out = Added(None)
    for entry in report.improvement_plan:
        line = entry.seq + 1
        known = seen.get(("drill", drill, line)) or seen.get(("log", log_ref, line))
        if known:
            out.already.append((line, *known))
            continue
        out.items.append(_item(entry, line, log_ref, drill, report.overview.date, taken, out.notes))
    if out.items:
        _write(out, Path(folder), Path(log_path).stem)
    return out


def _key(item: Any, log_ref: str) -> tuple[str, str, int]:
    if item.finding.drill:
        return ("drill", item.finding.drill[:DRILL_ID_DIGITS], item.finding.line)
    return ("log", item.finding.log, item.finding.line)


def _log_ref(log_path: str, folder: str) -> str:
    """The log as a path from the plan folder's parent (the repository's root, as laid out)."""
    base = Path(folder).resolve().parent
    try:
        return Path(os.path.relpath(Path(log_path).resolve(), base)).as_posix()
    except ValueError:  # another drive
        return Path(log_path).resolve().as_posix()


def _item(entry: Any, line: int, log_ref: str, drill: str, day: str, taken: set[str],
          notes: list[str]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": unique(f"ip-{day.replace('-', '')}-{line}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
                     else kebab(f"ip-{line}"), taken),
        "finding": {"log": log_ref, "line": line, "drill": drill, "note": _text(entry.issue) or "(no text)"},
        "action": _text(entry.action) or None,
    }
    if entry.element:
        item["element"] = entry.element
    item["owner"] = _text(entry.owner) or None
    item["due"] = _due(entry.due, line, notes)
    item["status"] = "open"
    touches: dict[str, list[str]] = {}
    if entry.step:
        touches["steps"] = [entry.step]
    if entry.objectives:
        touches["objectives"] = list(entry.objectives)
    if touches:
        item["touches"] = touches
    return item


def _text(value: str) -> str:
    """One line of plain text: control and formatting characters (escapes, bidi overrides) become spaces."""
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in value or "")
    return " ".join(cleaned.split())


def _due(text: str, line: int, notes: list[str]) -> str | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        notes.append(f"line {line}: the due date {json.dumps(_text(text), ensure_ascii=False)} is not a date like "
                     "2026-03-01; the item has no due date yet")
        return None


def _write(out: Added, folder: Path, stem: str) -> None:
    from engine.scaffold import ScaffoldError

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlanAddError(f"cannot create {folder}: {exc.strerror or exc}") from None
    name = stem if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", stem) else kebab(stem, fallback="drill")
    target = folder / f"{name}.yaml"
    try:
        if target.exists():
            appended = _appended(target, out.items)
            if appended is not None:
                write_file(target, appended, overwrite=True)
                out.path = target.as_posix()
                return
            n = 2
            while (folder / f"{name}-{n}.yaml").exists():
                n += 1
            target = folder / f"{name}-{n}.yaml"
        text = _new_file(folder, kebab(stem, fallback="drill"), out.items)
        write_file(target, text)
    except ScaffoldError as exc:
        raise PlanAddError(str(exc)) from None
    out.path, out.created = target.as_posix(), True


def _new_file(folder: Path, plan_id: str, items: list[dict[str, Any]]) -> str:
    head = [schema_modeline("improvements", folder),
            "# The improvement plan from a drill, written by `tabletop plan add`. Fill in each item's action,",
            "# owner and due date, keep its status current, and let a later live drill verify it",
            "# (`tabletop plan status`). The format is in docs/improvements.md."]
    return "\n".join(head) + "\n" + dump_yaml({"improvements": plan_id, "items": items})


def _appended(target: Path, items: list[dict[str, Any]]) -> str | None:
    """The file's text with the items added after its last item, when that reads back as exactly the old
    items followed by the new ones; None when it does not (the file ends otherwise: write a new file)."""
    old = read_plan(target.as_posix())
    if not old.ok:
        return None
    text = target.read_text(encoding="utf-8")
    block = dump_yaml({"items": items}).split("\n", 1)[1]
    candidate = text + ("" if text.endswith("\n") else "\n") + block
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / target.name
        probe.write_text(candidate, encoding="utf-8")
        new = read_plan(probe.as_posix())
    if not new.ok or len(new.items) != len(old.items) + len(items) or new.items[:len(old.items)] != old.items:
        return None
    if [i.id for i in new.items[len(old.items):]] != [i["id"] for i in items]:
        return None
    return candidate
