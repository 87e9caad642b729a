"""A `Report` -> Markdown, HTML, JSON, PDF, or the improvement plan as CSV.

Templates are Jinja2 files: `--template DIR` is searched first, then the
built-in ones (templates/). HTML is autoescaped; Markdown escapes every
printed value through `markdown.finalize` the same way. User text is only
ever data handed to a template, never a template itself. With a template
folder, every template runs in Jinja's immutable sandbox (the shipped ones
alone, this program's own code, run without it): a `--template` folder someone hands you cannot
reach Python's internals (`cycler.__init__.__globals__.os`), change the
report, build a range beyond the sandbox's limit, render a file outside the
folder through a symbolic link, or make a value or an output past the bounds
in engine/bounds.py (engine/report/sandbox.py); any error in one is a
RenderError naming the template and its line.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from markupsafe import Markup, escape

from engine.drill import events as ev
from engine.printed import neutral
from engine.report import markdown
from engine.report.model import Report
from engine.report.sandbox import BoundedSandbox, FolderLoader, render_bounded

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("md", "html", "json", "pdf")
PRINTED_PLAN_ROWS = 40  # a longer improvement plan prints as paragraphs (render_html's `printed`)


class RenderError(Exception):
    """A template could not be loaded or rendered; the message says which and why."""


# ----- small formatters shared by the templates -----


def scenario_time(seconds: float | None) -> str:
    """T+1:05 (hours:minutes since T+0)."""
    if seconds is None:
        return "—"
    whole = int(seconds)
    return f"T+{whole // 3600}:{whole % 3600 // 60:02d}"


def duration(seconds: float | None, signed: bool = False) -> str:
    """45m, 1h05m, 30s; with signed, +5m / -5m."""
    if seconds is None:
        return "—"
    whole = int(round(abs(seconds)))
    sign = ("-" if seconds < 0 else "+") if signed and whole >= 30 else ("-" if seconds < 0 else "")
    hours, minutes, secs = whole // 3600, whole % 3600 // 60, whole % 60
    if hours:
        body = f"{hours}h{minutes:02d}m"
    elif minutes or not secs:
        body = f"{minutes}m"
    else:
        body = f"{secs}s"
    return sign + body


def wall_time(wall: str | None, day: str | None = None) -> str:
    """19:33 UTC as HH:MM, with the date when it is not `day` (the drill's first day)."""
    if not wall:
        return "—"
    date, _, rest = wall.partition("T")
    clock = rest[:5]
    return clock if date == day else f"{date} {clock}"


def rating_label(code: str | None) -> str:
    return ev.RATINGS.get(code or "", "not rated")


def counted(number: int, word: str, plural: str | None = None) -> str:
    """`1 strength`, `2 strengths`; `plural` for words that do not just take an s."""
    return f"{number} {word if number == 1 else plural or word + 's'}"


def short_path(path: str) -> str:
    """A recorded file path as a reader needs it: relative paths as written, absolute ones cut to their
    last two parts, so a report passed around does not print someone's home folder."""
    if not path:
        return ""
    parts = path.replace("\\", "/").split("/")
    if path.startswith("/") or (len(path) > 2 and path[1] == ":"):
        return "…/" + "/".join(parts[-2:])
    return path


def _filters() -> dict[str, Any]:
    return {"t": scenario_time, "dur": duration, "wall": wall_time, "rating_label": rating_label,
            "counted": counted, "shortpath": short_path}


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


# A note as the reports print it, by the notes sections of both shipped templates. In Python rather than a
# template macro: a report prints every note of a drill, and a Jinja macro call costs some 15 µs (a fifth of
# rendering a 5,000-event report).

def note_line(note: Any) -> markdown.MdSafe:
    """Markdown: `text (noted by WHO at T+h:mm, step: TITLE)`, every part escaped (markdown.finalize)."""
    step = f", step: {markdown.escape(note.step_title)}" if note.step_title else ""
    return markdown.MdSafe(f"{markdown.escape(note.text)} (noted by {markdown.escape(note.by or 'unknown')} at "
                           f"{markdown.escape(scenario_time(note.t))}{step})")


def note_item(note: Any, kind: bool = False) -> Markup:
    """HTML: `<li>` with the note's text, then who, when and the step in a `meta` span; with `kind`, the kind
    as a tag first. Every part escaped, bidirectional controls spelled out (_html_finalize), as the template
    would print them."""
    def shown(value: object) -> str:
        return escape(_html_finalize(value))

    tag = f'<span class="tag {shown(note.kind)}">{shown(note.kind)}</span> ' if kind else ""
    step = f", {shown(note.step_title)}" if note.step_title else ""
    return Markup(f'<li>{tag}{shown(note.text)} <span class="meta">{shown(note.by or "unknown")}, '
                  f'{shown(scenario_time(note.t))}{step}</span></li>\n')  # the newline: as the macro ended


def code_spans(text: object) -> Markup:
    """Text for HTML with its `ticked` ids shown as code rather than as raw backticks (escaped first, bidirectional
    controls spelled out as `finalize` would: a skip reason quotes the runbook's titles and labels)."""
    escaped = str(Markup.escape(_html_finalize("" if text is None else text)))
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", escaped))


# ----- environments -----


def _loader(template_dir: str | None) -> jinja2.BaseLoader:
    loaders: list[jinja2.BaseLoader] = []
    if template_dir:
        loaders.append(FolderLoader(template_dir))  # never a file outside the folder, through a link or `..`
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    return jinja2.ChoiceLoader(loaders)


def _html_finalize(value: object) -> object:
    """Every value an HTML template prints: user text gets its bidirectional controls spelled out
    (engine/printed.py) before autoescaping; markup the renderer built (Markup) is left alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return neutral(value)
    return value


def _bytecode_cache(template_dir: str | None) -> jinja2.BytecodeCache | None:
    """Jinja2's compiled shipped templates, kept in its per-user temporary folder (mode 0700, checked by
    jinja2) and keyed by each template's text: compiling them is a sixth of a report. None (compile every
    time) with a template folder of the user's, or where no such folder can be made. The files are named
    for the trusted environment that compiles them (_environment), so code compiled for the sandbox, which
    calls the sandbox's own methods, is never loaded into it."""
    if template_dir:
        return None
    try:
        return jinja2.FileSystemBytecodeCache(pattern="__tabletop_trusted_%s.cache")
    except (OSError, RuntimeError):
        return None


def _environment(template_dir: str | None, html: bool) -> jinja2.Environment:
    """The shipped templates alone run in a plain Jinja environment: they are this program's own code, and
    the sandbox's check of every attribute and call is a third of rendering a long report. A template folder
    of the user's (`--template`, which may extend or include the shipped ones) runs wholly in the sandbox."""
    kind = BoundedSandbox if template_dir else jinja2.Environment
    env = kind(
        loader=_loader(template_dir), autoescape=html, undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(template_dir),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        finalize=_html_finalize if html else markdown.finalize,
    )
    env.filters.update(_filters())
    if html:
        env.filters["code"] = code_spans
        env.filters["note_item"] = note_item
        from engine.report import svg  # the HTML report's charts (the Markdown report has none)

        env.globals["timeline_svg"] = lambda report: Markup(svg.timeline(report))
        env.globals["graph_svg"] = lambda graph, index=0: Markup(svg.runbook_graph(graph, index))
    else:
        env.filters["md"] = markdown.escape
        env.filters["note_line"] = note_line
        env.filters["trusted"] = markdown.MdSafe  # for macro output, whose values are already escaped
        env.globals["mermaid"] = mermaid_path
    env.globals["ratings"] = ev.RATINGS
    env.globals["printed_plan_rows"] = PRINTED_PLAN_ROWS
    return env


def _render(report: Report, name: str, template_dir: str | None, html: bool, appendix: bool = False,
            printed: bool = False) -> str:
    env = _environment(template_dir, html)
    try:
        template = env.get_template(name)
        return render_bounded(template, report=report, day=report.overview.date, appendix=appendix, printed=printed)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {exc.name} not found") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.sandbox.SecurityError as exc:
        raise RenderError(f"{_where(exc, name)}: not allowed in a template: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{_where(exc, name)}: {exc.message}") from None
    except (RecursionError, MemoryError):
        raise RenderError(f"{_where(None, name)}: the template recurses or grows without end") from None
    except Exception as exc:  # a template is code its author wrote: any error in it is theirs
        raise RenderError(f"{_where(exc, name)}: {type(exc).__name__}: {exc}") from None


def _where(exc: BaseException | None, name: str) -> str:
    """`path:line` of the template frame an error was raised in (Jinja maps template lines into tracebacks)."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__) if exc is not None else []
    for frame in reversed(frames):
        if frame.filename.endswith(".j2") or (frame.filename.endswith(name) and frame.lineno):
            return f"{frame.filename}:{frame.lineno}"
    return f"template {name}"


def render_markdown(report: Report, template_dir: str | None = None, *, appendix: bool = False) -> str:
    """The report as Markdown; `appendix` adds the full event log at the end."""
    return _render(report, "report.md.j2", template_dir, html=False, appendix=appendix)


def render_html(report: Report, template_dir: str | None = None, *, appendix: bool = False,
                printed: bool = False) -> str:
    """The report as one HTML page; `appendix` adds the full event log at the end. `printed`: the page is for
    render_pdf, where a long improvement plan (over PRINTED_PLAN_ROWS items) is set as one paragraph per item
    rather than a table: WeasyPrint lays out a table row of six cells in about ten times the time of a
    paragraph (500 rows: 5.5 s against 0.9 s)."""
    return _render(report, "report.html.j2", template_dir, html=True, appendix=appendix, printed=printed)


def render_json(report: Report) -> str:
    return report.to_json()


def pdf_available() -> str | None:
    """None when WeasyPrint can be used, else why not (for the message and the test skip)."""
    try:
        import weasyprint  # noqa: F401
    except Exception as exc:  # ImportError, or OSError when its system libraries are missing
        return f"WeasyPrint cannot be imported ({type(exc).__name__}: {exc})"
    return None


def render_pdf(html: str, drill_id: str | None = None) -> bytes:
    """The HTML report printed by WeasyPrint. Nothing is fetched: every URL is refused. The drill id goes
    into the PDF's file identifier, where `tabletop report` finds it before replacing a previous report."""
    import weasyprint

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"the report fetches nothing ({url})")

    document = weasyprint.HTML(string=html, url_fetcher=refuse, base_url=None)
    return document.write_pdf(pdf_identifier=f"drill:{drill_id}".encode() if drill_id else None)


# ----- Mermaid for the Markdown report -----

_MERMAID_CLASSES = (
    "classDef done fill:#e3f1e8,stroke:#2e7d4f,stroke-width:2px,color:#173d28",
    "classDef active fill:#e6eefb,stroke:#2f62b0,stroke-width:2px",
    "classDef blocked fill:#fff4e5,stroke:#e8912d",
    "classDef open fill:#ffffff,stroke:#8a94a3",
    "classDef off fill:#f4f5f7,stroke:#b8bec7,stroke-dasharray:4 3,color:#8a929e",
)


def mermaid_path(graph: Any) -> markdown.MdSafe:
    """A Mermaid flowchart of one runbook: the path taken in strong colours, the rest greyed."""
    ids = {node.key: f"s{i}" for i, node in enumerate(graph.nodes)}
    lines = ["flowchart TD"]
    for node in graph.nodes:
        label = markdown.mermaid_label(node.id)
        shape = f'{{{{"{label}"}}}}' if node.kind == "decision" else f'["{label}"]'
        lines.append(f"  {ids[node.key]}{shape}")
    taken = []
    for index, edge in enumerate(e for e in graph.edges if e.source in ids and e.target in ids):
        arrow = "==>" if edge.taken else "-.->" if edge.kind != "needs" else "-->"
        edge_label = edge.option if edge.kind == "option" else "fallback" if edge.kind == "fallback" else ""
        text = f'|"{markdown.mermaid_label(edge_label)}"|' if edge_label else ""
        lines.append(f"  {ids[edge.source]} {arrow}{text} {ids[edge.target]}")
        if edge.taken:
            taken.append(str(index))
    lines += ["  " + c for c in _MERMAID_CLASSES]
    groups: dict[str, list[str]] = {}
    for node in graph.nodes:
        group = {"done": "done", "active": "active", "blocked": "blocked", "skipped": "off",
                 "dormant": "off"}.get(node.status, "open")
        groups.setdefault(group, []).append(ids[node.key])
    lines += [f"  class {','.join(members)} {group}" for group, members in groups.items()]
    if taken:
        lines.append(f"  linkStyle {','.join(taken)} stroke:#1f4e79,stroke-width:3px")
    return markdown.MdSafe("\n".join(lines))


# ----- the improvement plan as CSV -----

CSV_HEADER = ["number", "issue", "corrective action", "capability element", "owner", "due", "step",
              "objectives", "noted by", "scenario time"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def improvement_plan_csv(report: Report) -> str:
    out = io.StringIO()
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for item in report.improvement_plan:
        writer.writerow([spreadsheet_cell(v) for v in (
            item.number, item.issue, item.action, item.element, item.owner, item.due, item.step or "",
            " ".join(item.objectives), item.by, scenario_time(item.t))])
    return out.getvalue()
