"""Build plain data from the C parser's YAML events, recording file:line:col for every part.

The C parser (ruamel.yaml's libyaml binding) hands out events: a scalar, the
start or end of a mapping or a list, an alias. This module folds them into
dicts, lists and scalars with an explicit stack, so there is no node tree
to build and walk again, no recursion however deep the nesting, and no
resolver object asked about the YAML version for every node. Plain scalars
are resolved with YAML 1.2's core schema, looked up by their first
character (most plain text starts with a letter that no number, boolean or
null can start with, and costs a dictionary lookup).

Only YAML's core tags are accepted; any other tag is a finding and the value
is kept as text, so no input can build Python objects. Aliases may expand to
at most MAX_ALIAS_NODES nodes in all (an alias bomb is a finding, not a hang),
and an alias inside the node it names is refused.

Errors: ruamel.yaml's MarkedYAMLError (syntax, undefined or repeated anchor,
a second document) propagates to the caller, which turns it into a finding;
the alias limits raise AliasBomb(position, message), nesting past
MAX_NESTING raises TooDeep(position).
"""

from __future__ import annotations

import gc
from typing import Any

from engine.bounds import MAX_WHOLE_NUMBER_BITS
from engine.findings import Finding, Severity

MAX_ALIAS_NODES = 10_000  # nodes that aliases may add in total, beyond the file's own
MAX_NESTING = 100  # mappings and lists inside each other; real files nest about six deep

Path_ = tuple[Any, ...]
Position = tuple[int, int]  # 1-based (line, column)

_CORE = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = _CORE + "str", _CORE + "map", _CORE + "seq", _CORE + "merge"


class AliasBomb(Exception):
    """Aliases expand past the limit, or an alias sits inside the node it names: args (position, message)."""


class TooDeep(Exception):
    """Mappings and lists nest past MAX_NESTING (later stages walk the data recursively): args (position,)."""


def _resolvers() -> dict[str, list[tuple[str, Any]]]:
    """YAML 1.2's implicit resolvers, by the first character of a plain scalar ("" for the empty one)."""
    from ruamel.yaml.resolver import implicit_resolvers

    table: dict[str, list[tuple[str, Any]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            for char in first:
                table.setdefault(char, []).append((tag, regexp))
    return table


_RESOLVERS: dict[str, list[tuple[str, Any]]] = {}


def resolve_plain(text: str) -> str:
    """The tag YAML 1.2's core schema gives a plain (unquoted, untagged) scalar."""
    if not _RESOLVERS:
        _RESOLVERS.update(_resolvers())
    for tag, regexp in _RESOLVERS.get(text[:1], ()):
        if regexp.match(text):
            return str(tag)
    return _STR


class _Frame:
    """An open mapping or list: its container, where it is, and for a mapping the key waiting for a value."""

    __slots__ = ("anchor", "container", "is_map", "key", "key_path", "merge", "merged", "path")

    def __init__(self, container: Any, path: Path_, anchor: _Anchor | None) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.is_map = isinstance(container, dict)
        self.key: str | None = None  # a mapping's key read, its value not yet
        self.key_path: Path_ = path  # path + (key,): one tuple for the key's and the value's position
        self.merge = False  # the key read is `<<`: its value fills in keys the mapping lacks
        self.merged: list[Any] = []


class _Anchor:
    """What an anchor names: its data, the positions inside it, and how many nodes it holds."""

    __slots__ = ("at", "data", "keys", "log_start", "mark", "nodes", "open", "path", "text", "values")

    def __init__(self, at: Position, mark: Any, path: Path_, log_start: int) -> None:
        self.at = at
        self.mark = mark
        self.path = path
        self.log_start = log_start
        self.open = True
        self.data: Any = None
        self.text: str | None = None  # a scalar's text as written, for use as a key
        self.values: list[tuple[Path_, Position]] = []  # relative path -> position
        self.keys: list[tuple[Path_, Position]] = []
        self.nodes = 1


def event_parser(text: str) -> Any:
    """ruamel.yaml's C parser over `text` (its pure-Python parser where the extension is missing)."""
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:
        return _python_parser(text)
    return CParser(text)


def _python_parser(text: str) -> Any:
    from ruamel.yaml.parser import Parser
    from ruamel.yaml.reader import Reader
    from ruamel.yaml.scanner import Scanner

    class PyParser(Reader, Scanner, Parser):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream, loader=self)
            Scanner.__init__(self, loader=self)
            Parser.__init__(self, loader=self)

    return PyParser(text)


class Composer:
    """Folds one document's events into data, filling `values` and `keys` with positions, and
    `findings` with what is wrong but readable (a tag that is not allowed, a repeated key).

    values: path -> where the value is written; keys: path -> where its key is written.
    """

    def __init__(self, path: str, values: dict[Path_, Position], keys: dict[Path_, Position]) -> None:
        self.file = path
        self.values = values
        self.keys = keys
        self.findings: list[Finding] = []
        self.anchors: dict[str, _Anchor] = {}
        self.alias_budget = MAX_ALIAS_NODES
        self.open_anchors = 0
        self.log: list[tuple[Path_, Position, bool]] | None = None  # while an anchor is open: what was placed

    def compose(self, parser: Any) -> tuple[bool, Any]:
        """(whether the stream holds a document, its data).

        The garbage collector is paused meanwhile: the build makes only
        acyclic containers, and bench/ measures the collector's passes over
        the growing tree as a sizeable share of a large file's time.
        """
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._stream(parser)
        finally:
            if enabled:
                gc.enable()

    def _stream(self, parser: Any) -> tuple[bool, Any]:
        from ruamel.yaml.composer import ComposerError
        from ruamel.yaml.events import DocumentStartEvent, StreamEndEvent

        get = parser.get_event
        get()  # the stream's start
        first = get()
        if isinstance(first, StreamEndEvent):
            return False, None
        data = self._document(get)
        get()  # the document's end
        after = get()
        if isinstance(after, DocumentStartEvent):
            raise ComposerError("expected a single document in the stream", first.start_mark,
                                "but found another document", after.start_mark)
        return True, data

    def _document(self, get: Any) -> Any:
        """Read one node's events (the document's root) and return its data."""
        from ruamel.yaml.events import (
            AliasEvent,
            MappingEndEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceEndEvent,
            SequenceStartEvent,
        )

        values = self.values
        stack: list[_Frame] = []
        skip = depth = 0  # whole nodes still to read past (a refused key, its value), and how deep in one
        while True:
            event = get()
            kind = type(event)
            if skip:
                if kind is MappingStartEvent or kind is SequenceStartEvent:
                    depth += 1
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    depth -= 1
                if depth == 0:
                    skip -= 1
                continue
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value = self._close(frame)
                if not stack:
                    return value
                self._place(stack[-1], value)
                continue
            mark = event.start_mark
            at = (mark.line + 1, mark.column + 1)
            parent = stack[-1] if stack else None
            if parent is None:
                path: Path_ = ()
            elif parent.is_map:
                if parent.key is None:
                    skip, depth = self._key(parent, event, kind is ScalarEvent, kind is AliasEvent, at)
                    continue
                path = parent.path if parent.merge else parent.key_path
            else:
                path = parent.path + (len(parent.container),)
            if kind is ScalarEvent:
                value = self._scalar(event, path, at)
            elif kind is AliasEvent:
                value = self._alias(event, path, at)
            else:
                is_map = kind is MappingStartEvent
                anchor = self._open(event, path, at) if event.anchor is not None else None
                values[path] = at
                if self.log is not None:
                    self.log.append((path, at, False))
                self._check_tag(event.tag, _MAP if is_map else _SEQ, at)
                if len(stack) >= MAX_NESTING:
                    raise TooDeep(at)
                stack.append(_Frame({} if is_map else [], path, anchor))
                continue
            if parent is None:
                return value
            self._place(parent, value)

    # ----- mappings -----

    def _key(self, frame: _Frame, event: Any, scalar: bool, alias: bool, at: Position) -> tuple[int, int]:
        """Take a mapping's key; (nodes to skip, depth) when it is refused: a repeat, or not a scalar."""
        if alias:
            anchor = self._named(event)
            text = anchor.text
            merge = False
        elif scalar:
            text = event.value
            tag = event.tag
            merge = tag == _MERGE or (text == "<<" and (tag is None or tag == "!") and event.implicit[0])
            if event.anchor is not None:  # a key can be named, and its alias used as a value elsewhere
                anchor = self._open(event, frame.path, at)
                anchor.text = text
                self._seal(anchor, self._value_of(event, text, at))
        else:
            text, merge = None, False
        if text is None:  # a mapping or a list as a key
            self.add("schema-type", Severity.ERROR, "a key must be a plain word, not a list or mapping", at)
            return (2, 1) if not alias else (1, 0)
        if merge:
            frame.key, frame.merge = "<<", True
            return 0, 0
        name = str(text)
        if name in frame.container:
            first = self.keys.get(frame.path + (name,), at)
            self.add("yaml-duplicate-key", Severity.ERROR, f"key {name!r} appears twice in this mapping", at,
                     f"the first {name!r} is on line {first[0]}; remove or rename one")
            return 1, 0
        path = frame.path + (name,)
        self.keys[path] = at
        if self.log is not None:
            self.log.append((path, at, True))
        frame.key = name
        frame.key_path = path
        return 0, 0

    def _place(self, frame: _Frame, value: Any) -> None:
        if not frame.is_map:
            frame.container.append(value)
        elif frame.merge:
            frame.merged.append(value)
            frame.merge = False
        else:
            frame.container[frame.key] = value
        frame.key = None

    def _close(self, frame: _Frame) -> Any:
        container = frame.container
        for source in frame.merged:  # `<<: *base` fills in keys the mapping does not set itself
            for part in source if isinstance(source, list) else [source]:
                if isinstance(part, dict):
                    for name, item in part.items():
                        container.setdefault(name, item)
        if frame.anchor is not None:
            self._seal(frame.anchor, container)
        return container

    # ----- scalars, tags -----

    def _scalar(self, event: Any, path: Path_, at: Position) -> Any:
        self.values[path] = at
        if self.log is not None:
            self.log.append((path, at, False))
        text = event.value
        value = self._value_of(event, text, at)
        if event.anchor is not None:
            anchor = self._open(event, path, at)
            anchor.text = text
            self._seal(anchor, value)
        return value

    def _value_of(self, event: Any, text: str, at: Position) -> Any:
        tag = event.tag
        if tag is not None and tag != "!":
            return self._convert(tag, text, at)
        if not event.implicit[0]:  # quoted or a block scalar
            return text
        resolvers = _RESOLVERS.get(text[:1]) if _RESOLVERS else _first_use(text)
        return self._convert(resolve_plain(text), text, at) if resolvers else text  # most text: no lookup

    def _convert(self, tag: str, text: str, at: Position) -> Any:
        if not tag.startswith(_CORE):
            self._unsafe(tag, at)
            return text
        kind = tag[len(_CORE):]
        if kind in ("str", "timestamp"):
            return text
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() == "true"
        if kind == "int":
            return _int(text)
        if kind == "float":
            return _float(text)
        self._unsafe(tag, at)
        return text

    def _check_tag(self, tag: str | None, expected: str, at: Position) -> None:
        if tag is not None and tag != "!" and tag != expected:
            self._unsafe(tag, at)

    def _unsafe(self, tag: str, at: Position) -> None:
        shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag  # as written
        self.add("yaml-unsafe-tag", Severity.ERROR, f"the tag {shown!r} is not allowed here", at,
                 "remove the tag; tabletop files use plain YAML values only")

    def add(self, rule: str, severity: Severity, message: str, at: Position, hint: str | None = None) -> None:
        self.findings.append(Finding(self.file, at[0], at[1], rule, severity, message, hint))

    # ----- anchors and aliases -----

    def _open(self, event: Any, path: Path_, at: Position) -> _Anchor:
        from ruamel.yaml.composer import ComposerError

        name = event.anchor
        if name in self.anchors:
            raise ComposerError("found duplicate anchor; first occurrence", self.anchors[name].mark,
                                "second occurrence", event.start_mark)
        if self.log is None:
            self.log = []
        anchor = _Anchor(at, event.start_mark, path, len(self.log))
        self.anchors[name] = anchor
        self.open_anchors += 1
        return anchor

    def _seal(self, anchor: _Anchor, data: Any) -> None:
        """The anchored node is complete: keep its data and its positions relative to it."""
        anchor.data = data
        anchor.open = False
        cut = len(anchor.path)
        log = self.log or []
        entries = log[anchor.log_start:]
        if not entries or entries[0][2] or entries[0][0] != anchor.path:  # a scalar placed itself before
            entries.insert(0, (anchor.path, anchor.at, False))
        anchor.values = [(path[cut:], at) for path, at, is_key in entries if not is_key]
        anchor.keys = [(path[cut:], at) for path, at, is_key in entries if is_key]
        anchor.nodes = len(anchor.values)
        self.open_anchors -= 1
        if not self.open_anchors:
            self.log = None

    def _named(self, event: Any) -> _Anchor:
        from ruamel.yaml.composer import ComposerError

        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise ComposerError(None, None, "found undefined alias", event.start_mark)
        if anchor.open:
            raise AliasBomb(anchor.at, "an alias refers to a node that contains it")
        return anchor

    def _alias(self, event: Any, path: Path_, at: Position) -> Any:
        anchor = self._named(event)
        values, keys, log = self.values, self.keys, self.log
        values[path] = anchor.at
        self.alias_budget -= anchor.nodes
        if self.alias_budget < 0:
            where = path[:-1] or path
            raise AliasBomb(values.get(where, at),
                            f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes (an alias bomb?)")
        for relative, position in anchor.values:
            values[path + relative] = position
            if log is not None:
                log.append((path + relative, position, False))
        for relative, position in anchor.keys:
            keys[path + relative] = position
            if log is not None:
                log.append((path + relative, position, True))
        return anchor.data


def _first_use(text: str) -> list[tuple[str, Any]] | None:
    _RESOLVERS.update(_resolvers())
    return _RESOLVERS.get(text[:1])


def _int(text: str) -> int | str:
    """The whole number `text` writes, or `text` itself when it is none or longer than bounds allow."""
    t = text.replace("_", "")
    try:
        if t[:2].lower() == "0x":
            value = int(t, 16)
        elif t[:2].lower() == "0o":
            value = int(t[2:], 8)
        else:
            value = int(t)  # ValueError beyond 4,300 digits, before any time is spent
    except ValueError:
        return text
    return value if value.bit_length() <= MAX_WHOLE_NUMBER_BITS else text


def _float(text: str) -> float | str:
    t = text.lower().replace("_", "")
    if t.lstrip("+-") in (".inf", "inf"):
        return float("-inf") if t.startswith("-") else float("inf")
    if t in (".nan", "nan"):
        return float("nan")
    try:
        return float(t)
    except ValueError:
        return text
