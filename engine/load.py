"""Read a YAML file into plain data, keeping file:line:col for every node.

Parsing uses ruamel.yaml's C parser, whose events carry each node's
position; engine.compose folds them straight into dicts, lists and scalars
while recording where each came from (no node tree; see bench/). It accepts
only YAML's core tags, so no input can build Python objects, and it bounds
what aliases may expand to, so an alias bomb is a finding instead of a hang.
"""

from __future__ import annotations

import itertools
import operator
import os
import re
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.findings import Finding, Severity

if TYPE_CHECKING:
    from engine.parse_cache import ParseCache

MAX_FILE_BYTES = 5 * 1024 * 1024  # the biggest shipped runbook is ~10 KB
MAX_FLOW_DEPTH = 500  # libyaml's composer recurses per level and crashes (SIGSEGV) on ~50,000
MAX_BLOCK_COLUMNS = 1000  # `- - - ...` or deep indentation: the same crash, from ~30,000 levels

Path_ = tuple[Any, ...]  # a location inside the document: ("steps", "detect", "needs", 0)

_SUPPRESS = re.compile(r"#\s*tabletop:\s*ignore\[([a-z0-9,\s-]+)\]")


@dataclass
class Document:
    """One file as read: its data, where every part of it is, and what went wrong reading it."""

    path: str
    text: str = ""
    data: Any = None
    kind: str | None = None  # "runbook", "scenario" or "improvements" once recognised; None: nothing more to check
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path -> 1-based (line, col)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path -> where its key is written
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False  # the file could not be read or parsed at all (exit code 3)
    model: Any = None  # Runbook | Scenario once validated
    # the list entries engine.schema dropped to validate the rest, each round's (list path, index); see in_file
    repairs: list[list[tuple[Path_, int]]] = field(default_factory=list)

    def in_file(self, path: Path_) -> Path_:
        """A path into the model (`("controls", 1)`, an index of the list the model holds) as a path into the
        file: past each entry the schema dropped before it (a `17` among the controls)."""
        return original_path(tuple(path), self.repairs) if self.repairs else tuple(path)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where a part of the document is written (a path into the file; see in_file for one into the model);
        falls back to the nearest enclosing part."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))

    def add(self, rule: str, severity: Severity, message: str, at: tuple[int, int], hint: str | None = None) -> None:
        self.findings.append(Finding(self.path, at[0], at[1], rule, severity, message, hint))

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def suppressions(self) -> dict[int, set[str]]:
        """Rule ids silenced per line by `# tabletop: ignore[rule-id, ...]` comments."""
        out: dict[int, set[str]] = {}
        if "tabletop:" not in self.text:
            return out
        for number, line in enumerate(self.lines, start=1):
            match = _SUPPRESS.search(line)
            if match:
                out[number] = {r.strip() for r in match.group(1).split(",") if r.strip()}
        return out


def original_path(loc: Path_, rounds: list[list[tuple[Path_, int]]]) -> Path_:
    """Map a path in repaired data back to the path in the file, undoing removed list entries."""
    out = list(loc)
    for removed in reversed(rounds):
        for list_path, index in sorted(removed, key=lambda r: r[1]):
            n = len(list_path)
            if tuple(out[:n]) == list_path and len(out) > n and isinstance(out[n], int) and out[n] >= index:
                out[n] += 1
    return tuple(out)


def read_document(path: str, *, max_bytes: int = MAX_FILE_BYTES, parse_cache: ParseCache | None = None) -> Document:
    """Read and parse one file. Problems become findings on the document, never exceptions. With a
    `parse_cache`, a file whose bytes were parsed before without a finding is read back from it."""
    doc = Document(path=path)
    raw = _read_bytes(doc, max_bytes)
    if raw is None:
        doc.unreadable = True
        return doc
    text = _decode(doc, raw)
    if text is None:
        doc.unreadable = True
        return doc
    doc.text = text
    found = _compose(doc, text) if parse_cache is None else _compose_cached(doc, text, raw, parse_cache)
    if doc.unreadable:
        return doc
    if not found:
        doc.add("file-empty", Severity.ERROR, "the file holds no YAML document", (1, 1),
                hint="start it with `runbook: <id>` or `scenario: <id>`")
        return doc
    _recognise(doc)
    return doc


def _compose_cached(doc: Document, text: str, raw: bytes, cache: ParseCache) -> bool:
    """_compose, or what it gave for these bytes before (only a parse with no finding is kept)."""
    key = cache.key(raw)
    cached = cache.load(key)
    if cached is not None:
        doc.data, doc.values, doc.keys = cached
        return True
    found = _compose(doc, text)
    if found and not doc.unreadable and not doc.findings:
        cache.store(key, doc.data, doc.values, doc.keys)
    return found


def _read_bytes(doc: Document, max_bytes: int) -> bytes | None:
    try:
        size = os.path.getsize(doc.path)
        if size > max_bytes:
            doc.add("file-too-large", Severity.ERROR,
                    f"the file is {size:,} bytes; the limit is {max_bytes:,}", (1, 1),
                    hint="split it into several runbooks, or raise max-file-bytes in [tool.tabletop]")
            return None
        raw = _read_regular(doc.path, max_bytes + 1)
    except _NotRegular:
        doc.add("file-unreadable", Severity.ERROR, "not a regular file (a pipe, device or folder); not read", (1, 1))
        return None
    except OSError as exc:
        doc.add("file-unreadable", Severity.ERROR, f"cannot read the file: {exc.strerror or exc}", (1, 1))
        return None
    if len(raw) > max_bytes:  # grew while we looked, or a special file
        doc.add("file-too-large", Severity.ERROR, f"the file is over the {max_bytes:,}-byte limit", (1, 1))
        return None
    return raw


class _NotRegular(Exception):
    pass


def _read_regular(path: str, limit: int) -> bytes:
    """At most `limit` bytes of a regular file. Opened without blocking, so a FIFO cannot hang the reader;
    raises _NotRegular for anything but a regular file, OSError when it cannot be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular(path)
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(limit)
    finally:
        os.close(fd)


def _decode(doc: Document, raw: bytes) -> str | None:
    if b"\x00" in raw[:8192]:
        doc.add("file-binary", Severity.ERROR, "this is a binary file, not YAML text", (1, 1),
                hint="runbooks and scenarios are UTF-8 text files")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.add("file-encoding", Severity.ERROR,
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", (line, column),
                hint="save the file as UTF-8")
        return None
    return text


_BRACKETS = re.compile(r"[\[\]{}]")
# A line that starts with MAX_BLOCK_COLUMNS characters of indentation and block indicators
# (`- `, `? `, `: `): each level of block nesting takes at least one such character. The
# looser _LONG_INDENT finds the candidates quickly (it starts with a literal newline).
_DEEP_BLOCK = re.compile(r"(?:[ \t]|[-?:](?=\s))" + f"{{{MAX_BLOCK_COLUMNS}}}")
_LONG_INDENT = re.compile(r"\n[ \t?:-]" + f"{{{MAX_BLOCK_COLUMNS}}}")


def nesting_problem(text: str) -> tuple[str, int] | None:
    """Whether `text` nests deeper than the C parser can safely compose: (what, offset) or None.

    A pre-scan that never parses: block nesting (`- - - ...`, `? ? ...`, deep
    indentation) is bounded by how far a line's indentation and indicators reach;
    flow nesting by how deep `[` and `{` go. Both can only overestimate. It exists
    because libyaml's composer recurses once per level and kills the process
    (SIGSEGV) some tens of thousands of levels down, before any error can be raised.
    """
    starts = (m.start() + 1 for m in _LONG_INDENT.finditer(text))
    for start in itertools.chain((0,), starts):
        if _DEEP_BLOCK.match(text, start):
            return f"the YAML is nested or indented more than {MAX_BLOCK_COLUMNS} levels deep", start
    if text.count("[") + text.count("{") > MAX_FLOW_DEPTH and _deepest_flow(text) > MAX_FLOW_DEPTH:
        return f"brackets nest more than {MAX_FLOW_DEPTH} levels deep", _flow_depth(text)[1]
    return None


_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _deepest_flow(text: str) -> int:
    """The same bound as _flow_depth without a Python loop per bracket (a 1 MB file in milliseconds).

    The depth after each bracket is the running sum less the lowest running sum so far
    (a stray closer does not make the depth negative).
    """
    sums = list(itertools.accumulate(map(_STEP.__getitem__, _NOT_BRACKETS.sub("", text))))
    lows = itertools.accumulate(sums, min, initial=0)
    return max(0, max(map(operator.sub, sums, lows), default=0))


def _flow_depth(text: str) -> tuple[int, int]:
    """An upper bound of how deep `[` and `{` nest, and the offset where it is deepest.

    Brackets inside quoted text count too, so this can only overestimate.
    """
    depth = deepest = where = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, match.start()
        elif depth:
            depth -= 1
    return deepest, where


def _compose(doc: Document, text: str) -> bool:
    """Parse `text` into doc.data and doc.values/keys; whether it held a document at all.

    Any error becomes a finding and marks the document unreadable.
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from engine.compose import MAX_NESTING, AliasBomb, Composer, TooDeep, event_parser

    too_deep = nesting_problem(text)
    if too_deep is not None:
        message, where = too_deep
        line = text.count("\n", 0, where) + 1
        column = where - (text.rfind("\n", 0, where) + 1) + 1
        doc.add("yaml-syntax", Severity.ERROR, message, (line, column),
                hint="no runbook needs this; is the file generated by mistake?")
        doc.unreadable = True
        return False

    try:
        composer = Composer(doc.path, doc.values, doc.keys)
        found, doc.data = composer.compose(event_parser(text))
        doc.findings.extend(composer.findings)
        return found
    except TooDeep as exc:
        doc.add("yaml-syntax", Severity.ERROR, "the YAML nests too deeply to read", exc.args[0],
                hint=f"lists and mappings may nest {MAX_NESTING} levels; no runbook needs more")
    except AliasBomb as exc:
        doc.add("yaml-alias-bomb", Severity.ERROR, exc.args[1], exc.args[0],
                hint="write the data out, or use fewer and smaller anchors")
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and mark.line >= len(text.splitlines()) and exc.context_mark is not None:
            mark = exc.context_mark  # ran off the end of the file: point at what was left open
        at = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or str(exc)).strip()
        if "tab" in problem or (mark is not None and _tab_indented(text, mark.line)):
            doc.add("yaml-tab", Severity.ERROR, "a tab character is used for indentation", at,
                    hint="YAML indents with spaces only; replace the tab with spaces")
        elif "another document" in problem:
            doc.add("yaml-syntax", Severity.ERROR, "the file holds more than one YAML document", at,
                    hint="keep one runbook or scenario per file; remove the `---` line")
        else:
            context = f" {exc.context.strip()}" if exc.context else ""
            hint = _colon_hint(text, mark.line, mark.column) if mark is not None and "':'" in problem else None
            doc.add("yaml-syntax", Severity.ERROR, f"YAML syntax error: {problem}{context}", at, hint=hint)
    except YAMLError as exc:  # errors without a position
        doc.add("yaml-syntax", Severity.ERROR, f"YAML syntax error: {exc}", (1, 1))
    except RecursionError:
        doc.add("yaml-syntax", Severity.ERROR, "the YAML nests too deeply to read", (1, 1))
    doc.data = None
    doc.values.clear()
    doc.keys.clear()
    doc.unreadable = True
    return True


def _colon_hint(text: str, line: int, column: int) -> str | None:
    """For `controls: [soc2:CC7.4]`: inside a one-line list or mapping a colon in an unquoted word is an error
    to YAML; the hint quotes the word (0-based line and column of the colon)."""
    lines = text.split("\n")
    if line >= len(lines):
        return None
    row = lines[line]
    if "[" not in row[:column] and "{" not in row[:column]:
        return None
    start = max(row.rfind(c, 0, column) for c in "[{, ") + 1
    ends = [i for i in (row.find(c, column) for c in ",]} #") if i >= 0]
    word = row[start:min(ends) if ends else len(row)]
    if not word or len(word) > 80:
        return None
    if re.search(r"(^|[\s{,])controls:\s*\[[^\]]*$", row[:start]):
        return f'inside [...] YAML reads a colon as a key; quote each control: controls: ["{word}"]'
    return f'inside [...] or {{...}} YAML reads a colon as a key; quote the text: "{word}"'


def _tab_indented(text: str, line: int) -> bool:
    """Whether a 0-based line is indented with a tab (libyaml does not say so in its message)."""
    lines = text.split("\n")
    if line >= len(lines):
        return False
    row = lines[line]
    return "\t" in row[: len(row) - len(row.lstrip(" \t"))]


def _recognise(doc: Document) -> None:
    """Decide whether the document is a runbook or a scenario by its top key."""
    if doc.unreadable:
        return
    data = doc.data
    if not isinstance(data, dict):
        doc.add("file-unknown-kind", Severity.ERROR, "expected a mapping at the top of the file", (1, 1),
                hint="a runbook starts with `runbook: <id>`, a scenario with `scenario: <id>`")
        return
    kinds = [k for k in ("runbook", "scenario", "improvements") if k in data]
    if len(kinds) == 1:
        doc.kind = kinds[0]
        return
    if kinds:
        doc.add("file-unknown-kind", Severity.ERROR, f"the file has both `{kinds[0]}:` and `{kinds[1]}:` at the top",
                doc.where((kinds[1],), key=True), hint=f"put the {kinds[0]} and the {kinds[1]} in separate files")
    else:
        doc.add("file-unknown-kind", Severity.ERROR, "neither `runbook:` nor `scenario:` is at the top of the file",
                doc.where(()), hint="a runbook starts with `runbook: <id>`, a scenario with `scenario: <id>`")
