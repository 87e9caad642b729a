"""The pieces a handbook is made of, independent of the output format.

Every text field is user or project text; each renderer escapes it for its
own format, so no block carries markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    level: int  # 1 a part of the book, 2 a section, 3 a sub-section
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # a facilitator-only or explanatory aside, shown set apart


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Fields:
    """A two-column table of labels and values (the overview, a form's header)."""

    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Rating:
    """A row of choices to tick on paper: `label` then one box per choice."""

    label: str
    choices: list[str]


@dataclass(frozen=True)
class WriteIn:
    """Room to write by hand: `lines` ruled lines under a prompt."""

    prompt: str
    lines: int = 4


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Landscape:
    """Pages from here on are landscape (`on`), or portrait again; each change starts a new page."""

    on: bool


Block = Heading | Paragraph | Bullets | Table | Fields | Rating | WriteIn | PageBreak | Landscape


@dataclass
class Book:
    """A whole handbook: the title block and the body, in reading order."""

    title: str  # the exercise's name
    kind: str  # "Situation Manual", "Facilitator and Evaluator Handbook", "Participant Feedback Form"
    audience: str  # participants | facilitators | feedback
    subtitle: list[str] = field(default_factory=list)  # type, date, location, sponsor lines
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)
