"""engine.draw: what the Mermaid and DOT drawings show, and that user text stays text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.draw import FALLBACK_COLOUR, OPTION_COLOUR, dot, mermaid, node_id
from engine.model import Runbook

ROOT = Path(__file__).resolve().parents[2]

SMALL = {
    "runbook": "small",
    "title": "A small runbook",
    "roles": {"lead": "Leads", "admin": "Administers"},
    "services": {"portal": "The admin portal"},
    "steps": {
        "detect": {"title": "Detect the fault", "owner": "admin"},
        "check-portal": {"title": "Check the portal", "owner": "admin", "needs": ["detect"],
                         "requires": ["portal"], "fallback": "status-page"},
        "status-page": {"title": "Read the status page", "owner": "lead"},
        "route": {"title": "Choose a route", "owner": "lead", "needs": ["detect"],
                  "decision": {"question": "Move?", "options": {"move": {"next": ["switch"]},
                                                                "stay": {"next": ["watch"]}}}},
        "switch": {"title": "Switch over", "owner": "admin"},
        "watch": {"title": "Watch queues", "owner": "admin"},
        "call-back": {"title": "Call the customer back", "owner": "lead", "on": "customer-call"},
        "end": {"title": "Stand down", "owner": "lead", "needs": ["switch", "watch"]},
    },
}

HOSTILE_TITLES = [
    '"]; click x call alert(1)',
    "<script>alert(1)</script> & <b>bold</b>",
    "back\\slash \\N \\l trailing\\",
    "line one\nline two \"quoted\"",
    '%%{init: {"securityLevel": "loose"}}%% #quot; style x:#fff; `**md**`',
    "classDef evil fill:#f00; linkStyle 0 stroke:#f00;",
]


def small() -> Runbook:
    return Runbook.model_validate(SMALL)


def hostile() -> Runbook:
    steps = {f"step-{i}": {"title": title, "owner": "lead"} for i, title in enumerate(HOSTILE_TITLES)}
    steps["step-1"]["needs"] = ["step-0"]
    steps["step-2"]["decision"] = {"question": "Q?", "options": {"a": {"next": ["step-3"]}, "b": {"next": ["step-4"]}}}
    steps["step-5"]["on"] = "ping"
    return Runbook.model_validate({"runbook": "hostile", "title": "Hostile", "roles": {"lead": "L"}, "steps": steps})


# --- ids ---------------------------------------------------------------------------------------


def test_node_ids_are_safe_and_deterministic() -> None:
    assert node_id("detect-deferrals") == "s_detect_deferrals"
    assert node_id("end") == "s_end"  # Mermaid keyword
    assert node_id("customer-call", "e") == "e_customer_call"
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", node_id("a-b-c9"))


# --- Mermaid -----------------------------------------------------------------------------------


def _mermaid_edges(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if re.match(r"\s+\w+ (-->|-\.->)", line)]


def _link_styles(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for indexes, style in re.findall(r"^\s+linkStyle ([\d,]+) (.+)$", text, re.M):
        for i in indexes.split(","):
            out[int(i)] = style
    return out


def test_mermaid_draws_every_kind_of_edge_and_node() -> None:
    text = mermaid(small())
    assert text.startswith("flowchart TD\n")
    assert 's_route{"Choose a route<br/>owner: lead"}' in text  # decision: rhombus
    assert 's_detect["Detect the fault<br/>owner: admin"]' in text
    assert 'e_customer_call(["event: customer-call"])' in text  # event: stadium
    edges = _mermaid_edges(text)
    assert edges == [
        "s_detect --> s_check_portal",
        's_check_portal -.->|"fallback"| s_status_page',
        "s_detect --> s_route",
        's_route -.->|"move"| s_switch',
        's_route -.->|"stay"| s_watch',
        "e_customer_call -.-> s_call_back",
        "s_switch --> s_end",
        "s_watch --> s_end",
    ]
    styles = _link_styles(text)
    assert set(styles) == {1, 3, 4, 5}  # solid needs edges keep the default style
    assert FALLBACK_COLOUR in styles[1] and OPTION_COLOUR in styles[3] == styles[4]
    assert "dasharray:2 3" in styles[5]  # the event edge: dotted, apart from the dashes
    assert "classDef branch" in text
    branch_line = next(line for line in text.splitlines() if line.strip().endswith(" branch")
                       and line.strip().startswith("class "))
    assert set(branch_line.split()[1].split(",")) == {"s_status_page", "s_switch", "s_watch", "s_call_back"}
    assert "class e_customer_call event" in text


def _mermaid_decode(text: str) -> str:
    named = {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}
    return re.sub(r"#(\w+);", lambda m: chr(int(m[1])) if m[1].isdigit() else named[m[1]], text)


def test_mermaid_keeps_hostile_titles_inside_their_labels() -> None:
    runbook = hostile()
    text = mermaid(runbook)
    node_lines = [line.strip() for line in text.splitlines() if line.strip().startswith("s_") and "-" not in
                  line.split('"')[0]]
    assert len(node_lines) == len(HOSTILE_TITLES)  # no extra nodes, no lines split by a newline
    for line, (sid, step) in zip(node_lines, runbook.steps.items(), strict=True):
        match = re.fullmatch(r'(\w+)(\[|\{)"([^"<>`%]*(?:<br/>[^"<>`%]*)*)"(\]|\})', line)
        assert match, line
        assert match[1] == node_id(sid)
        shown = _mermaid_decode(match[3].replace("<br/>", "\n"))
        assert shown == step.title.strip() + "\nowner: lead"
    assert not re.search(r"^\s*click\b", text, re.M)
    starts = [line.split()[0] for line in text.splitlines()]
    assert starts.count("classDef") == 2 and starts.count("linkStyle") == 2  # ours only: options and event


def test_mermaid_parses_a_users_colon_without_the_style_quirk() -> None:
    # Mermaid drops the last `;` of a line like `style...:#...;`; user colons are entities, so none match.
    text = mermaid(hostile())
    for line in text.splitlines():
        if line.strip().startswith("s_"):
            assert not re.search(r"(style|classDef).*:\S*#.*;", line), line


# --- DOT ---------------------------------------------------------------------------------------

_DOT_STRING = r'"((?:[^"\\\n]|\\.)*)"'


def _dot_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], text)


def test_dot_draws_every_kind_of_edge_and_node() -> None:
    text = dot(small())
    assert text.startswith('digraph "small" {\n') and text.endswith("}\n")
    assert "  s_detect -> s_check_portal;\n" in text  # needs: solid, no attributes
    assert "  s_switch -> s_end;\n" in text
    option = re.search(r"^  s_route -> s_switch \[(.*)\];$", text, re.M)
    assert option and "style=dashed" in option[1] and 'label="move"' in option[1] and OPTION_COLOUR in option[1]
    fallback = re.search(r"^  s_check_portal -> s_status_page \[(.*)\];$", text, re.M)
    assert fallback and "style=dashed" in fallback[1] and 'label="fallback"' in fallback[1]
    assert FALLBACK_COLOUR in fallback[1]
    event = re.search(r"^  e_customer_call -> s_call_back \[(.*)\];$", text, re.M)
    assert event and "style=dotted" in event[1]
    assert re.search(r'^  e_customer_call \[label="event: customer-call", shape=ellipse', text, re.M)
    assert re.search(r'^  s_route \[label="Choose a route\\nowner: lead", shape=diamond', text, re.M)
    for branch in ("s_status_page", "s_switch", "s_watch", "s_call_back"):
        assert re.search(rf"^  {branch} \[.*fillcolor=.*dashed|^  {branch} \[.*dashed.*fillcolor=", text, re.M)
    assert "dashed" not in next(line for line in text.splitlines() if line.startswith("  s_detect ["))


def test_dot_keeps_hostile_titles_inside_their_labels() -> None:
    runbook = hostile()
    text = dot(runbook)
    for sid, step in runbook.steps.items():
        line = next(line for line in text.splitlines() if line.startswith(f"  {node_id(sid)} ["))
        match = re.fullmatch(rf"  {node_id(sid)} \[label={_DOT_STRING}(, [a-z]+=(\w+|{_DOT_STRING}))*\];", line)
        assert match, line
        assert _dot_unescape(match[1]) == step.title.strip() + "\nowner: lead"
    assert len(text.splitlines()) == 4 + len(runbook.steps) + 1 + 4 + 1  # header, nodes, event, edges, }


def _runnable_dot() -> str:
    found = shutil.which("dot")
    if not found:
        pytest.skip("Graphviz `dot` is not installed; the DOT syntax check needs it")
    return found


@pytest.mark.parametrize("which", ["small", "hostile", *sorted(p.name for p in (ROOT / "runbooks").glob("*.yaml"))])
def test_dot_program_accepts_the_output(which: str) -> None:
    program = _runnable_dot()
    if which == "small":
        runbook = small()
    elif which == "hostile":
        runbook = hostile()
    else:
        from engine.validate import validate

        runbook = validate([str(ROOT / "runbooks" / which)]).documents[0].model
    out = subprocess.run([program, "-Tsvg"], input=dot(runbook), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "<svg" in out.stdout and not out.stderr.strip()
    if which == "hostile":
        assert "<script>" not in out.stdout  # the title came out as text: &lt;script&gt;
