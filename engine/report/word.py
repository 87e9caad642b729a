"""The after-action report and improvement plan as a Word document (.docx), for leadership to edit.

The report is laid out as handbook blocks (engine/handbook/blocks.py) and
written with the same python-docx writer as the handbooks. Word gets the
text and tables; the charts stay in the HTML and PDF reports.
"""

from __future__ import annotations

import io

from engine.handbook import word
from engine.handbook.blocks import Block, Bullets, Fields, Heading, PageBreak, Paragraph, Table
from engine.report import model as m
from engine.report.render import counted, duration, rating_label, scenario_time, short_path, wall_time

_LEVELS = {"error": "Not verified", "warning": "Warning", "info": "Note"}


def render_docx(report: m.Report, *, appendix: bool = False) -> bytes:
    """The report as .docx bytes; `appendix` adds the full event log. The drill id is the file's identifier."""
    document = word.new_document(f"After-action report: {report.overview.scenario_title}", "HSEEP AAR/IP")
    document.core_properties.identifier = f"drill:{report.drill_id}"
    document.add_paragraph().add_run("AFTER-ACTION REPORT AND IMPROVEMENT PLAN").bold = True
    document.add_heading(word.clean(report.overview.scenario_title), level=0)
    for block in blocks(report, appendix=appendix):
        word.add_block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def blocks(report: m.Report, *, appendix: bool = False) -> list[Block]:
    """The report in reading order: the brief on its own page first, the event log only with `appendix`."""
    out: list[Block] = [Paragraph(f"{_LEVELS[n.level]}: {n.text}", note=True) for n in report.notices]
    out += _brief(report) + [PageBreak()] + _overview(report) + _analysis(report) + _written(report) + _plan(report)
    out += _hotwash(report) + _decisions(report) + _source(report)
    if appendix:
        out += [PageBreak(), Heading(1, "Appendix: event log"),
                Table(["Scenario", "Real (UTC)", "Event", "Detail"],
                      [[scenario_time(e.t), wall_time(e.wall, report.overview.date),
                        f"{e.kind} {e.what}" + (f": {e.title}" if e.title else ""), e.detail]
                       for e in report.timeline])]
    return out


def _brief(report: m.Report) -> list[Block]:
    brief, f, x = report.brief, report.figures, report.exercise
    out: list[Block] = [Heading(1, "Executive brief")]
    if brief is None:
        return out
    kind = x.type if x else "Tabletop exercise"
    what = (f"{kind} of {report.overview.date}: {duration(f.scenario_covered)} of the scenario in "
            f"{duration(f.real_seconds)}, drilling {'; '.join(brief.exercised)}.")
    if brief.modules:
        what += f" Modules: {'; '.join(brief.modules)}."
    out += [Paragraph(what), Heading(2, "Ratings at a glance"),
            Paragraph(" · ".join(f"{code} {count}" for code, count in f.ratings.items())
                      + f" · not rated {f.objectives_total - f.objectives_rated}"),
            Table(["Objective", "Rating"], [[ob.text or ob.id, ob.rating or "–"]
                                             for a in report.analysis for ob in a.objectives]),
            *_feedback_glance(report.feedback),
            Heading(2, "Key times"),
            Table(["Scenario time", "What"], [[scenario_time(k.t), k.label + (f": {k.detail}" if k.detail else "")]
                                              for k in brief.key_times]),
            Heading(2, "The most pressing areas for improvement")]
    if brief.top_improvements:
        out.append(Table(["#", "Issue", "Action", "Owner", "Due"],
                         [[str(i.number), i.issue, i.action or "to be decided", i.owner or "to be assigned",
                           i.due or "to be assigned"] for i in brief.top_improvements]))
    else:
        out.append(Paragraph("No areas for improvement were noted."))
    return out


def _feedback_glance(fb: m.FeedbackSummary | None) -> list[Block]:
    if fb is None or fb.mean is None:
        return []
    return [Paragraph(f"Participant feedback: {fb.mean:.1f} of 5 on average from "
                      f"{counted(fb.responses, 'form')} (see the hot wash).")]


def _overview(report: m.Report) -> list[Block]:
    o, x, f = report.overview, report.exercise, report.figures
    rows = [("Scenario", o.scenario_title), ("Summary", o.scenario_summary or "")]
    if x:
        rows += [("Exercise type", x.type), ("Exercise date", x.date), ("Location", x.location), ("Scope", x.scope),
                 ("Mission areas", ", ".join(x.mission_areas)), ("Core capabilities", ", ".join(x.core_capabilities)),
                 ("Threat or hazard", x.threat), ("Sponsor", x.sponsor),
                 ("Participating organisations", "; ".join(x.organisations)),
                 ("Points of contact", "; ".join(x.contacts))]
    rows += [("Drill date", o.date), ("Runbooks", "; ".join(r.title for r in o.runbooks)),
             ("Facilitator", o.facilitator or "not recorded")]
    out: list[Block] = [Heading(1, "Exercise overview"), Fields([(k, v) for k, v in rows if v])]
    if o.participants:
        out += [Heading(2, "Participants"),
                Table(["Role", "Name", "Responsibility"],
                      [[p.role, p.name, p.role_text or ""] for p in o.participants])]
    if report.attendance:
        out += [Heading(2, "Attendance"),
                Table(["Name", "Role", "Joined", "Left"],
                      [[a.name, a.role + (f" ({a.role_text})" if a.role_text else ""), scenario_time(a.joined),
                        scenario_time(a.left) if a.left is not None else "still in"] for a in report.attendance])]
    out += [Heading(1, "Executive summary"), Bullets([
        f"Injects: {f.injects_fired} of {f.injects_planned} fired, {f.injects_fired_by_hand} by hand."
        + (f" Written ad hoc during the drill: {len(report.adhoc_injects)} more." if report.adhoc_injects else ""),
        f"Decisions: {f.decisions} taken.",
        f"Steps: {f.steps_done} of {f.steps_total} done; {f.steps_over_target} of {f.steps_timed} timed steps "
        "over target.",
        f"Notes: {counted(f.strengths, 'strength')}, {counted(f.improvements, 'area')} for improvement, "
        f"{counted(f.observations, 'observation')}.",
    ])]
    return out


def _analysis(report: m.Report) -> list[Block]:
    out: list[Block] = [Heading(1, "Analysis of objectives")]
    for runbook in report.analysis:
        out.append(Heading(2, runbook.title))
        for ob in runbook.objectives:
            rating = f"{ob.rating}: {rating_label(ob.rating)}" if ob.rating else "Not rated"
            out += [Heading(3, ob.text or ob.id), Paragraph(rating + (f". {ob.rating_comment}" if ob.rating_comment
                                                                      else ""))]
            for label, notes in (("Strengths", ob.strengths), ("Areas for improvement", ob.improvements),
                                 ("Observations", ob.observations)):
                if notes:
                    out += [Paragraph(f"{label}:"), Bullets([f"{n.text} ({n.by or 'unknown'}, {scenario_time(n.t)})"
                                                            for n in notes])]
    if report.modules:
        out.append(Heading(2, "Modules and discussion"))
        for module in report.modules:
            began = f"began {scenario_time(module.started_t)}" if module.started_t is not None else "not reached"
            out += [Heading(3, module.title),
                    Paragraph(f"{began}; {module.injects_fired} of {len(module.injects)} injects fired.")]
            out += [Paragraph(f"{e['inject']} came before the module began: delivered {scenario_time(e['t'])}, "
                              + (f"during {e['during']}." if e["during"] else "before the first module."))
                    for e in module.early]
            for number, question in enumerate(module.questions, 1):
                out.append(Paragraph(f"{number}. {question.ask}"))
                said = [f"{s.get('text', '')} ({s.get('by') or 'unknown'}, {scenario_time(s.get('t'))})"
                        for s in question.summaries]
                out.append(Bullets(said) if said else Paragraph("No summary of the discussion was recorded."))
    return out


def _written(report: m.Report) -> list[Block]:
    """The injects written ad hoc and the time away after a stop: only when the drill had any."""
    out: list[Block] = []
    if report.adhoc_injects:
        rows = [[scenario_time(a.t), f"{a.id} (ad hoc)", ", ".join(a.to) or "the whole room",
                 a.text + (f" Expected: {a.expect}" if a.expect else "")
                 + (f" Objectives: {', '.join(a.objectives)}" if a.objectives else ""),
                 "; ".join(p for p in (", ".join(f"{s} {h}" for s, h in a.services.items()),
                                       f"event {a.event}" if a.event else "") if p),
                 a.by or "not recorded", f"withdrawn: {a.withdrawn}" if a.withdrawn else "yes"]
                for a in report.adhoc_injects]
        out += [Heading(1, "Injects written during the drill (ad hoc)"),
                Paragraph("Written by the facilitator as the drill ran, not planned in the scenario; each counts "
                          "as fired by hand."),
                Table(["Scenario time", "Inject", "To", "Text", "Services and event", "Written by", "Stands"], rows)]
    if report.time_away:
        rows = [[wall_time(g.since, report.overview.date), duration(g.away), scenario_time(g.t),
                 f"yes: the clock moved to {scenario_time(g.t + g.away)}" if g.counted
                 else f"no: the clock stayed at {scenario_time(g.t)}"] for g in report.time_away]
        out += [Heading(1, "Time away after a stop"),
                Paragraph("The drill stopped without closing; on resume the facilitator chose whether the time "
                          "away counts on the exercise clock."),
                Table(["Last event before the stop", "Away", "Answered at", "Counted"], rows)]
    return out


def _plan(report: m.Report) -> list[Block]:
    rows = [[str(i.number), i.issue, i.action or "to be decided", i.element or "not stated",
             i.owner or "to be assigned", i.due or "to be assigned"] for i in report.improvement_plan]
    return [Heading(1, "Improvement plan"),
            Table(["#", "Issue", "Corrective action", "Capability element", "Owner", "Due"], rows) if rows
            else Paragraph("No areas for improvement were noted.")]


def _hotwash(report: m.Report) -> list[Block]:
    if not report.hotwash:
        out: list[Block] = [Heading(1, "Hot wash"), Paragraph("No hot-wash answers were recorded.")]
    else:
        out = [Heading(1, "Hot wash"), Fields([(h.question, h.answer) for h in report.hotwash])]
    return out + _feedback(report.feedback) + _room(report)


def _room(report: m.Report) -> list[Block]:
    """The room's polls (tally or free-text answers) and proposals (who, on what, taken or not)."""
    out: list[Block] = []
    if report.polls:
        out.append(Heading(2, "Polls"))
    for p in report.polls:
        when = f"opened {scenario_time(p.opened)}" + (f", closed {scenario_time(p.closed)}" if p.closed is not None
                                                       else ", still open when the log stops")
        cited = f" Cited by the decision {'; '.join(p.cited_titles)}." if p.cited_titles else ""
        out += [Heading(3, f"{p.poll}: {p.text}"),
                Paragraph(f"{p.on + '; ' if p.on else ''}{when}; {counted(p.answered, 'seat')} answered.{cited}")]
        if p.options:
            out.append(Table(["Option", "Seats"], [[p.labels.get(option, option), str(n)]
                                                       for option, n in p.tally.items()]))
        else:
            out.append(Bullets([a["text"] + (f" ({a['name']}, {a['role']})" if a["name"] else "")
                                for a in p.answers]) if p.answers else Paragraph("No answers."))
    if report.proposals:
        out += [Heading(2, "Proposals from the room"),
                Table(["Sent", "By", "On", "Proposal", "Taken"],
                      [[scenario_time(p.t), f"{p.name} ({p.role})", p.on, p.text,
                        f"taken {scenario_time(p.taken)}" if p.taken is not None else "not taken"]
                       for p in report.proposals])]
    return out


def _feedback(fb: m.FeedbackSummary | None) -> list[Block]:
    if fb is None:
        return []
    mean = f"; mean rating {fb.mean:.1f} of 5" if fb.mean is not None else ""
    out: list[Block] = [
        Heading(2, "Participant feedback"),
        Paragraph(f"{counted(fb.responses, 'feedback form')} returned{mean} (1 strongly disagree, 5 strongly agree)."),
        Table(["Statement", "Rated", "1", "2", "3", "4", "5", "Mean"],
              [[st.text, str(st.rated), *(str(c) for c in st.counts.values()),
                f"{st.mean:.1f}" if st.mean is not None else "–"] for st in fb.statements])]
    for question in fb.questions:
        said = [a["text"] + (f" ({a['by']})" if a["by"] else "") for a in question.answers]
        out += [Heading(3, question.text), Bullets(said) if said else Paragraph("No answers.")]
    return out


def _decisions(report: m.Report) -> list[Block]:
    rows = [[scenario_time(d.t), d.title, d.label, d.rationale or "none recorded", d.by or "not recorded"]
            for d in report.decisions]
    latency = [[d.title, scenario_time(d.ready_t) if d.ready_t is not None else "not recorded", duration(d.latency),
                d.against_limit()] for d in report.decisions]
    out: list[Block] = [Heading(1, "Appendix: decision log")]
    if rows:
        out += [Table(["Scenario time", "Decision", "Chosen", "Rationale", "By"], rows),
                Paragraph("Each decision's latency, from its step becoming ready to its first decision:"),
                Table(["Decision", "Ready", "Latency", "Limit"], latency)]
    else:
        out.append(Paragraph("No decisions were made."))
    return out + _corrections(report)


def _corrections(report: m.Report) -> list[Block]:
    """Each correction beside what it corrects, both with their times and who (only when there is one)."""
    if not report.corrections:
        return []
    day = report.overview.date
    rows = [[c.kind, c.title or c.subject,
             (c.was or "not found") + (f" (why: {c.was_why})" if c.was_why else ""),
             f"{scenario_time(c.was_t)}, {wall_time(c.was_wall, day)}" if c.was_t is not None else "",
             c.was_by or "not recorded", c.now, f"{scenario_time(c.t)}, {wall_time(c.wall, day)}",
             c.by or "not recorded", c.reason] for c in report.corrections]
    return [Heading(2, "Corrections"),
            Paragraph("Corrected during the drill; the original stands in the log and in this report."),
            Table(["Correction", "Of", "Original", "Original at", "Original by", "Now", "Corrected at",
                   "Corrected by", "Reason"], rows)]


def _source(report: m.Report) -> list[Block]:
    source = report.source
    return [Heading(1, "Appendix: source and verification"),
            Fields([("Log", f"{source.log_name}, {source.log_bytes} bytes"), ("Log SHA-256", source.log_sha256),
                    ("Verification", "passed" if report.verification.ok else "failed")]),
            Table(["File", "Id", "Path recorded", "Now"],
                  [[f.kind, f.id, short_path(f.path), f.status] for f in source.files])]
