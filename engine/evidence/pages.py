"""The pages of an evidence pack: the index and one page a control, for Markdown (`ext` md) or HTML (html);
links stay inside the pack (controls/*, aar/*.html)."""

from __future__ import annotations

from typing import Any

from engine.evidence.gather import Control, Drill, Evidence
from engine.evidence.render import Cell, Heading, Link, Page, Para, Table
from engine.improvement.status import ItemStanding


def index(evidence: Evidence, ext: str, generated: str | None = None) -> Page:
    """The index: what the pack covers, the findings, every control, drill, improvement item and log."""
    page = Page(f"Audit evidence: tabletop exercises {evidence.period.start} to {evidence.period.end}")
    live = sum(1 for d in evidence.drills if d.counts)
    drilled = sum(1 for c in evidence.controls if c.live)
    page.add(Para([f"Period {evidence.period} (both days included), judged as of {evidence.today}. "
                   f"{len(evidence.controls)} control{_s(len(evidence.controls))} named by the runbooks; "
                   f"{drilled} exercised by a live drill whose log verifies. {len(evidence.drills)} "
                   f"drill{_s(len(evidence.drills))} in the period, {live} of them live and verified; headless "
                   "rehearsals are listed but are not exercises."
                   + (f" {evidence.left_out} log{_s(evidence.left_out)} of drills outside the period "
                      "left out." if evidence.left_out else "")
                   + (f" Generated {generated}." if generated else "")]),
             Para(["Every file of this pack is listed with its SHA-256 in ",
                   Link("SHA256SUMS", "SHA256SUMS"), "; the command sha256sum -c SHA256SUMS, run in this "
                   "folder, checks them. Each drill log's own SHA-256 and verification are under Logs."]))
    page.add(Heading(2, "Findings", "findings"), _findings(evidence))
    page.add(Heading(2, "Controls", "controls"), Table(
        "Controls and the live drills that exercised them", ["Control", "Title", "Runbooks", "Drills", "Live",
                                                              "Status"],
        [[Link(c.control, f"controls/{c.slug}.{ext}"), c.title or "(in no catalogue)", ", ".join(c.runbooks),
          str(len(c.drills)), str(c.live), "exercised" if c.live else "NOT exercised live"]
         for c in evidence.controls], "No runbook names a control."))
    page.add(Heading(2, "Drills", "drills"), _drills(evidence.drills, ""))
    page.add(Heading(2, "Improvement items", "items"), _items(evidence.items, evidence))
    page.add(Heading(2, "Logs", "logs"), Table(
        "The verification of every log used", ["Log", "SHA-256", "Lines", "Verification", "Seal",
                                               "Files changed since"],
        [[c.name, c.sha256 or "-", str(c.events), c.result, c.seal or "no seal", ", ".join(c.changed) or "none"]
         for c in evidence.logs], "No logs."))
    used = [f"{name}: {cat.title}" for name, cat in sorted(evidence.catalogues.items())
            if any(c.control.startswith(name + ":") for c in evidence.controls)]
    page.add(Heading(2, "Catalogues", "catalogues"), Para([
        "Control titles are tabletop's own short paraphrases to recognise a control by, not the text of the "
        "standard; the standard itself is the reference. "
        + (f"Catalogues used: {'; '.join(used)}." if used else "No catalogue is used.")]))
    return page


def control_page(control: Control, evidence: Evidence, ext: str) -> Page:
    """One control: where the runbooks name it, the drills of the period, their attendance, areas for
    improvement and AARs, and the improvement items that bear on it."""
    page = Page(f"{control.control}: {control.title or '(in no catalogue)'}")
    status = (f"exercised by {control.live} live drill{_s(control.live)} whose log verifies" if control.live
              else "NOT exercised by a live drill in the period")
    page.add(Para([Link("Back to the index", f"../index.{ext}"),
                   f" · Catalogue: {control.catalogue_title or 'none'} · Period {evidence.period} · {status}."]))
    page.add(Heading(2, "Named by"), Table(
        "Where the runbooks name this control", ["Runbook", "Objective", "Written at"],
        [[u.runbook, u.objective or "the runbook as a whole", f"{u.path}:{u.line}:{u.column}"]
         for u in control.uses]))
    drills = [d for d in evidence.drills if d.name in set(control.drills)]
    page.add(Heading(2, "Drills in the period"), _drills(drills, "../", control))
    page.add(Heading(2, "Attendance"), Table(
        "Who took a seat in the drill room", ["Drill", "Name", "Role", "Joined", "Left"],
        [[d.name, a.get("name") or "", a.get("role") or "", _t(a.get("joined")), _t(a.get("left"), "stayed")]
         for d in drills for a in d.summary.attendance],
        "No seats were taken in the drill room in these drills; each after-action report names the players."))
    page.add(Heading(2, "Areas for improvement"), Table(
        "Areas for improvement the drills recorded, and the item each became",
        ["Drill", "Log line", "Area for improvement", "Improvement item"],
        [[d.name, str(a.get("line", "")), str(a.get("text") or ""), a.get("item") or "not in the improvement plan"]
         for d in drills for a in d.aoi]))
    from engine.evidence.gather import items_of

    page.add(Heading(2, "Improvement items"), _items(items_of(control, evidence), evidence))
    return page


def _findings(evidence: Evidence) -> Table:
    return Table("What CI can fail on", ["Rule", "Severity", "Where", "Finding"],
                 [[f.rule, f.severity.value, f"{f.path}:{f.line}:{f.column}", f.message]
                  for f in evidence.findings], "No findings.")


def _drills(drills: list[Drill], up: str, control: Control | None = None) -> Table:
    headers = ["Date", "Log", "Mode", "Scenario", "Log verifies", "Objectives rated", "Seats", "AAR"]
    rows: list[list[Cell]] = []
    for d in drills:
        ratings = sorted(d.summary.ratings.items())
        if control is not None:  # its own objectives; for a runbook as a whole, every objective of the runbook
            mine, runbooks = set(control.objectives), {u.runbook for u in control.uses if u.objective is None}
            ratings = [(k, v) for k, v in ratings if k in mine or k.partition("/")[0] in runbooks]
        rows.append([d.summary.date, d.name, d.mode, d.summary.scenario or "-",
                     "yes" if d.check.verified else "NO: " + (d.check.seal or d.check.result),
                     ", ".join(f"{k} {v[0]}" for k, v in ratings) or "none",
                     str(len(d.summary.attendance)), Link("after-action report", up + d.aar) if d.aar else "-"])
    return Table("Drills and rehearsals", headers, rows, "No drill in the period.")


def _items(items: list[ItemStanding], evidence: Evidence) -> Table:
    rows: list[list[Cell]] = []
    for s in items:
        item: Any = s.item
        verified = (f"{s.evidence.log} line {s.evidence.line} ({s.evidence.date}): {s.evidence.what}"
                    if s.evidence else s.why)
        rows.append([s.id, item.action or (item.finding.note if item.finding else "") or "-", item.owner or "-",
                     item.due or "-", item.status, verified, item.completed or "-", f"{s.path}:{s.line}"])
    return Table("Improvement items", ["Item", "Action", "Owner", "Due", "Status", "Verified by",
                                       "Closed", "Written at"], rows, "No improvement items.")


def _t(seconds: Any, none: str = "-") -> str:
    if not isinstance(seconds, (int, float)):
        return none
    minutes = int(seconds // 60)
    return f"T+{minutes // 60}:{minutes % 60:02d}"


def _s(n: int) -> str:
    return "" if n == 1 else "s"
