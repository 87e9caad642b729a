"""Draw a runbook as a Mermaid flowchart or a Graphviz DOT digraph.

Both drawings show the same things: `needs` edges as solid arrows (the main
path), decision options as dashed arrows labelled with the option id,
fallbacks as dashed arrows in another colour labelled "fallback", and each
event that opens an `on:` step as its own rounded node with a dotted arrow.
Decision steps are diamonds; branch steps (dormant until something opens
them) are shaded apart from the main path.

Titles and owners are user text and end up inside another language, so they
are escaped for that language: a runbook must never be able to add nodes,
links, click handlers or HTML to a drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.graph import RunbookGraph
from engine.model import Runbook

# Colours: options blue, fallbacks red, events grey; branch steps on pale amber.
OPTION_COLOUR = "#1f6feb"
FALLBACK_COLOUR = "#cf222e"
EVENT_COLOUR = "#6e7781"
BRANCH_FILL = "#fff8e1"
BRANCH_STROKE = "#b58900"
EVENT_FILL = "#eef3f8"


@dataclass(frozen=True)
class Edge:
    source: str  # node id (already safe)
    target: str
    kind: str  # "needs", "option", "fallback" or "event"
    label: str | None = None


def node_id(step_id: str, prefix: str = "s") -> str:
    """A safe identifier for both languages: `detect-deferrals` -> `s_detect_deferrals`.

    The prefix keeps ids off keywords (Mermaid's `end`, DOT's `node`, `edge`,
    `graph`) and apart between steps and events. Valid ids are kebab-case, so
    replacing `-` with `_` cannot make two ids collide.
    """
    return f"{prefix}_" + "".join(c if c.isascii() and c.isalnum() else "_" for c in step_id)


def _events(runbook: Runbook) -> list[str]:
    """Events that open `on:` steps, in the order the steps are written, each once."""
    return list(dict.fromkeys(step.on for step in runbook.steps.values() if step.on))


def _edges(graph: RunbookGraph) -> list[Edge]:
    """Every edge to draw, in the order steps are written: needs first, then what opens the step."""
    out: list[Edge] = []
    for sid, step in graph.steps.items():
        for need in step.needs:
            if need in graph.steps:  # dangling needs are a validation finding, not a drawing
                out.append(Edge(node_id(need), node_id(sid), "needs"))
        for opener in graph.openers[sid]:
            if opener.kind == "next":
                out.append(Edge(node_id(opener.source), node_id(sid), "option", opener.option))
            elif opener.kind == "fallback":
                out.append(Edge(node_id(opener.source), node_id(sid), "fallback", "fallback"))
            else:
                out.append(Edge(node_id(opener.source, "e"), node_id(sid), "event"))
    return out


def _lines(text: str) -> list[str]:
    """User text as display lines: control characters gone, blank lines dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    clean = "".join(c if c == "\n" or (c.isprintable() and c not in "\u2028\u2029") else " " for c in text)
    return [line.strip() for line in clean.split("\n") if line.strip()]


def _owner(owner: str | None) -> str | None:
    return f"owner: {' '.join(_lines(owner))}" if owner else None


def _title_lines(runbook: Runbook, step_id: str) -> list[str]:
    return _lines(runbook.steps[step_id].title) or [step_id]


# --- Mermaid -----------------------------------------------------------------------------------

# Inside a double-quoted Mermaid label `#name;` and `#123;` are entities. Writing as entities
# every character that could end the string (`"`), start an entity of the user's own (`#`),
# be read as HTML (`<`, `>`, `&`), open a markdown string (a backtick) or a comment (`%`)
# keeps user text as text. `:` too: Mermaid strips the last `;` from any line that reads
# like `style...:#...;`, which would break the entity that ends such a label.
_MERMAID_ENTITIES = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "%": "#37;",
    ":": "#58;",
}


def mermaid_text(text: str) -> str:
    """One line of user text, safe inside a double-quoted Mermaid label."""
    return "".join(_MERMAID_ENTITIES.get(c, c) for c in text)


def _mermaid_label(lines: list[str], note: str | None = None) -> str:
    """A quoted label: user lines escaped, then our own `owner: ...` line (its colon kept readable)."""
    parts = [mermaid_text(line) for line in lines]
    if note:
        prefix, _, value = note.partition(": ")
        parts.append(f"{prefix}: {mermaid_text(value)}")
    return '"' + "<br/>".join(parts) + '"'


def mermaid(runbook: Runbook) -> str:
    """The runbook as a Mermaid flowchart, top to bottom."""
    graph = RunbookGraph(runbook)
    # A comment reads no entities, so it keeps only the characters an id may have.
    name = "".join(c for c in runbook.runbook if c.isascii() and (c.isalnum() or c == "-"))
    out = ["flowchart TD", f"  %% runbook: {name}"]
    for sid, step in runbook.steps.items():
        label = _mermaid_label(_title_lines(runbook, sid), _owner(step.owner))
        shape = "{" + label + "}" if step.decision else "[" + label + "]"
        out.append(f"  {node_id(sid)}{shape}")
    for event in _events(runbook):
        out.append(f"  {node_id(event, 'e')}([{_mermaid_label([], 'event: ' + event)}])")

    arrows = {"needs": "-->", "option": "-.->", "fallback": "-.->", "event": "-.->"}
    by_kind: dict[str, list[int]] = {}
    for index, edge in enumerate(_edges(graph)):
        label = f"|{_mermaid_label([edge.label])}|" if edge.label else ""
        out.append(f"  {edge.source} {arrows[edge.kind]}{label} {edge.target}")
        by_kind.setdefault(edge.kind, []).append(index)
    # linkStyle counts links in the order they are written, which is the order above.
    styles = {
        "option": f"stroke:{OPTION_COLOUR},stroke-width:1.5px,stroke-dasharray:6 4",
        "fallback": f"stroke:{FALLBACK_COLOUR},stroke-width:1.5px,stroke-dasharray:6 4",
        "event": f"stroke:{EVENT_COLOUR},stroke-width:1.5px,stroke-dasharray:2 3",
    }
    for kind, style in styles.items():
        if kind in by_kind:
            out.append(f"  linkStyle {','.join(map(str, by_kind[kind]))} {style}")

    out.append(f"  classDef branch fill:{BRANCH_FILL},stroke:{BRANCH_STROKE},stroke-dasharray:4 3")
    out.append(f"  classDef event fill:{EVENT_FILL},stroke:{EVENT_COLOUR}")
    branches = [node_id(sid) for sid in runbook.steps if graph.is_branch(sid)]
    if branches:
        out.append(f"  class {','.join(branches)} branch")
    events = [node_id(e, "e") for e in _events(runbook)]
    if events:
        out.append(f"  class {','.join(events)} event")
    return "\n".join(out) + "\n"


# --- DOT ---------------------------------------------------------------------------------------


def dot_text(text: str) -> str:
    """One line of user text, safe inside a double-quoted DOT string.

    Escaping the backslash also defuses Graphviz's own escapes (`\\N`, `\\G`, `\\l` ...).
    """
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_label(lines: list[str]) -> str:
    return '"' + "\\n".join(dot_text(line) for line in lines) + '"'


def _dot_attrs(attrs: dict[str, str]) -> str:
    return "[" + ", ".join(f"{k}={v}" for k, v in attrs.items()) + "]"


def dot(runbook: Runbook) -> str:
    """The runbook as a Graphviz digraph, top to bottom."""
    graph = RunbookGraph(runbook)
    out = [
        f"digraph {_dot_label([runbook.runbook])} {{",
        '  graph [rankdir=TB, fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '  edge [fontname="Helvetica"];',
    ]
    attrs: dict[str, str]
    for sid, step in runbook.steps.items():
        owner = _owner(step.owner)
        attrs = {"label": _dot_label(_title_lines(runbook, sid) + ([owner] if owner else []))}
        if step.decision:
            attrs["shape"] = "diamond"
            attrs["style"] = '"filled"'
        if graph.is_branch(sid):
            attrs["style"] = '"filled,dashed"' if step.decision else '"rounded,filled,dashed"'
            attrs["fillcolor"] = f'"{BRANCH_FILL}"'
            attrs["color"] = f'"{BRANCH_STROKE}"'
        out.append(f"  {node_id(sid)} {_dot_attrs(attrs)};")
    for event in _events(runbook):
        attrs = {"label": _dot_label(["event: " + event]), "shape": "ellipse", "style": "filled",
                 "fillcolor": f'"{EVENT_FILL}"', "color": f'"{EVENT_COLOUR}"'}
        out.append(f"  {node_id(event, 'e')} {_dot_attrs(attrs)};")

    for edge in _edges(graph):
        attrs = {}
        if edge.kind == "option":
            attrs = {"style": "dashed", "color": f'"{OPTION_COLOUR}"', "fontcolor": f'"{OPTION_COLOUR}"'}
        elif edge.kind == "fallback":
            attrs = {"style": "dashed", "color": f'"{FALLBACK_COLOUR}"', "fontcolor": f'"{FALLBACK_COLOUR}"'}
        elif edge.kind == "event":
            attrs = {"style": "dotted", "color": f'"{EVENT_COLOUR}"'}
        if edge.label:
            attrs["label"] = _dot_label([edge.label])
        suffix = f" {_dot_attrs(attrs)}" if attrs else ""
        out.append(f"  {edge.source} -> {edge.target}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"
