"""The steps of every runbook in one table, grouped by runbook: state, step, owner, time against target."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, Row, RowDoesNotExist, RowKey

from engine.drill.plan import Plan, PlanStep
from engine.drill.state import DrillState, StepStatus
from engine.drill.watch import StepWatch
from engine.tui import display

if TYPE_CHECKING:
    from engine.drill.session import Drill

RUNBOOK_PREFIX = "runbook:"  # row keys of the group headers; step rows use the step key
STATE_WIDTH, TIME_WIDTH = 10, 9
WIDE_FROM = 90  # table width (cells) from which the title gets a column of its own
FINISHED = (StepStatus.DONE, StepStatus.SKIPPED)  # what a runbook header counts


def spent(state: DrillState, key: str, now_t: float) -> float | None:
    """Seconds the team has spent on a step: each time it was at work, from its start to done (or now), summed
    over a reopening (never the wait between); None if never started."""
    worked = state.steps[key].intervals()
    if not worked:
        return None
    return sum((now_t if end is None else end) - begin for begin, end in worked)


def over_target(step: PlanStep, taken: float | None) -> bool:
    return step.target is not None and taken is not None and taken > step.target


def owner_name(state: DrillState, step: PlanStep) -> str:
    """The participant's name when the start screen named one, else the role id."""
    if not step.owner:
        return ""
    return state.participants.get(step.owner) or step.owner


def at_work(state: DrillState, key: str) -> bool:
    """Whether the step's time moves with the clock: started and neither done nor skipped (active, or
    blocked, or sent back to dormant, while at work)."""
    record = state.steps[key]
    return record.started_t is not None and record.done_t is None and record.skipped_t is None


def _same(cells: tuple[Text, ...], before: tuple[Text, ...] | None) -> bool:
    """The same text and styles (Rich's Text equality ignores the base style: a step that turns done
    keeps its id's text but goes dim)."""
    return before is not None and all(a == b and a.style == b.style for a, b in zip(cells, before, strict=True))


def _drop_rows(cache: LRUCache[Any, Any], at: int, rows: set[RowKey] | set[int]) -> None:
    """Forget a DataTable render cache's entries for these rows (named by key or index at `at` in its keys)."""
    for cached in [key for key in cache.keys() if key[at] in rows]:
        cache.discard(cached)


class StepTable(DataTable[Text]):
    """One row a step; a cursor row selects the step the detail pane and the actions work on.

    After an event the table looks again only at the steps the event changed (engine.drill.watch), and at
    the steps at work (their time moves with the clock); it reads every step's status only when it is
    built, or when it missed an event (`follow` not called, or called late).
    """

    def __init__(self, plan: Plan, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.plan = plan
        self._rendered: dict[str, tuple[Text, ...]] = {}
        self._signatures: dict[str, tuple[object, ...]] = {}
        self._by_runbook = {rb.runbook: [s for s in plan.steps.values() if s.runbook == rb.runbook]
                            for rb in plan.runbooks}
        self._layout: tuple[int, ...] = ()
        self._id_width = min(28, max([len(s.id) for s in plan.steps.values()] + [len(r.runbook) for r in plan.runbooks]
                                     + [12]))
        self._moving: set[str] = set()  # steps whose time cell moves with the clock (see at_work)
        self._finished: dict[str, int] = {}  # runbook -> its steps done or skipped, as the headers show
        self._watch: StepWatch | None = None
        self._followed: list[Callable[..., None]] | None = None  # the listeners of the drill followed
        # Called with the row key as soon as the cursor moves, before the frame is drawn, so the
        # detail pane changes in the same frame as the cursor (RowHighlighted arrives a frame later).
        self.cursor_moved: Callable[[str | None], None] | None = None

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if old != new and self.cursor_moved is not None:
            self.cursor_moved(self.current_key())

    # ----- following the drill -----

    def follow(self, drill: Drill) -> None:
        """Hear each event the drill records (Drill.listeners), so a refresh looks again only at the steps
        it changed."""
        self._unfollow()
        self._watch = StepWatch(drill.state)
        drill.listeners.append(self._watch.heard)
        self._followed = drill.listeners

    def on_unmount(self) -> None:
        self._unfollow()

    def _unfollow(self) -> None:
        if self._followed is not None and self._watch is not None and self._watch.heard in self._followed:
            self._followed.remove(self._watch.heard)
        self._followed = None

    def _watching(self, state: DrillState) -> StepWatch:
        """The watch of this state (a new one, which reads every step, when the table follows no drill:
        then each refresh after an event reads every step again)."""
        if self._watch is None or self._watch.state is not state:
            self._unfollow()
            self._watch = StepWatch(state)
        return self._watch

    # ----- building -----

    def build(self, state: DrillState, now_t: float) -> None:
        """(Re)build columns and rows for the table's current width; keeps the cursor on the same row."""
        width = max(40, self.size.width or 80)
        wide = width >= WIDE_FROM
        padding = 2 * (5 if wide else 4) + 2  # cell padding, and the scrollbar
        owner = 20 if wide else 18 if width >= 76 else 12
        rest = width - padding - STATE_WIDTH - TIME_WIDTH - owner
        ids = self._id_width  # the id column as wide as the longest id (capped), the title gets the rest
        layout: tuple[int, ...] = (ids, max(16, rest - ids)) if wide else (max(12, rest),)
        if layout + (owner,) == self._layout and self.row_count:
            self.refresh_rows(state, now_t)
            return
        self._watching(state).take()  # every row is built below from the statuses as they stand
        keep = self.current_key()
        self._layout = layout + (owner,)
        self.clear(columns=True)
        self._rendered.clear()
        self._signatures.clear()
        self.add_column(Text("state"), width=STATE_WIDTH, key="state")
        self.add_column(Text("step"), width=layout[0], key="step")
        if wide:
            self.add_column(Text("title"), width=layout[1], key="title")
        self.add_column(Text("owner"), width=owner, key="owner")
        self.add_column(Text("time"), width=TIME_WIDTH, key="time")
        rows = self._rows(state, now_t, None)
        self._add_rows(rows)
        self._rendered = rows
        self.select(keep)

    def _add_rows(self, rows: dict[str, tuple[Text, ...]]) -> None:
        """DataTable.add_row for every row, in order, as one change. add_row checks the cursor, counts an update
        and prompts the idle handler once a row (some 15 µs each: 75 ms of the first frame of a 5,000-step
        drill); here that is done once for all of them. Every row is one line high, with no label, a cell for
        every column and a key of its own. Relies on DataTable as of the pinned Textual."""
        if len(set(rows) | {key.value for key in self._row_locations}) != len(rows) + self.row_count:
            for key, cells in rows.items():  # a key twice: let DataTable say so
                self.add_row(*cells, key=key)
            return
        columns = [column.key for column in self.ordered_columns]
        start = self.row_count
        for index, (key, cells) in enumerate(rows.items(), start):
            row_key = RowKey(key)
            self._row_locations[row_key] = index
            self._data[row_key] = dict(zip_longest(columns, cells))  # as add_row: a cell short is None
            self.rows[row_key] = Row(row_key, 1, None, False)
            self._new_rows.add(row_key)
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if start == 0 and rows and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # a cell for the cursor has appeared
        self._update_count += 1
        self.check_idle()

    def refresh_rows(self, state: DrillState, now_t: float) -> None:
        """Update the rows whose state, owner or time changed since the last call: the steps the events
        recorded since then changed (every step when the table missed one), and the steps at work, whose
        time moves with the clock. Rows are compared by a cheap signature, so only the rows that read
        differently are repainted."""
        if not self._layout:
            return
        changed_steps = self._watching(state).take()
        keys = None if changed_steps is None else changed_steps | self._moving
        changed = [(key, cells) for key, cells in self._rows(state, now_t, keys).items()
                   if not _same(cells, self._rendered.get(key))]
        for key, cells in changed:
            self._rendered[key] = cells
        self._replace_rows(changed)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """The table's scrollable size once rows are added. DataTable measures every cell of every new row
        to size columns of automatic width and rows of automatic height (some 1 s for 5,000 steps); this
        table has neither (each column has its width, each row one line), so only the size is set.
        Relies on DataTable as of the pinned Textual."""
        if any(column.auto_width for column in self.columns.values()) or any(
                self.rows[key].auto_height or self.rows[key].label is not None for key in new_rows if key in self.rows):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values()) + self._row_label_column_width
        self.virtual_size = Size(width, self._total_row_height + (self.header_height if self.show_header else 0))

    def _replace_rows(self, rows: list[tuple[str, tuple[Text, ...]]]) -> None:
        """Put new cells in these rows and repaint only them.

        DataTable.update_cell invalidates the render of every cell of the table and repaints all of it
        (its caches are keyed by one update counter): at 200x50 that is some 250 cells redrawn for one
        step's state. Here only the changed rows' cached renders are dropped and only their lines are
        repainted. The rows keep their keys, order and height, so the
        table's row offsets stay valid. Relies on DataTable's caches as of the pinned Textual.
        """
        if not rows:
            return
        keys = {RowKey(key) for key, _ in rows}
        indices = {self.get_row_index(key) for key, _ in rows}
        for key, cells in rows:
            row = self._data[RowKey(key)]
            for column, value in zip(self.columns, cells, strict=True):
                row[column] = value
        _drop_rows(self._row_renderable_cache, 1, indices)  # (update count, row index)
        _drop_rows(self._cell_render_cache, 0, keys)  # (row key, column key, ...)
        _drop_rows(self._row_render_cache, 0, keys)  # (row key, line, ...)
        self._line_cache.clear()  # keyed by line number; a line is rebuilt only when it is repainted
        for index in indices:
            self.refresh_row(index)

    def _rows(self, state: DrillState, now_t: float, keys: Iterable[str] | None) -> dict[str, tuple[Text, ...]]:
        """The cells of the rows among the steps `keys` (None: every step, in table order, each runbook's
        header before its steps) whose signature changed since they were drawn, with the headers of their
        runbooks whose count changed. Statuses are the watch's (read afresh by its last take)."""
        wide = len(self._layout) == 3
        status = self._watching(state).status
        out: dict[str, tuple[Text, ...]] = {}
        if keys is None:
            self._moving = {key for key in self.plan.steps if at_work(state, key)}
            self._finished = {runbook: sum(status[s.key] in FINISHED for s in steps)
                              for runbook, steps in self._by_runbook.items()}
            for runbook in self.plan.runbooks:
                self._header_into(out, runbook.runbook, runbook.title, wide)
                for step in self._by_runbook[runbook.runbook]:
                    self._step_into(out, state, step, status[step.key], now_t, wide)
            return out
        runbooks: set[str] = set()
        for key in keys:
            step, now = self.plan.steps[key], status[key]
            before = self._signatures.get(key)
            if before is not None and (before[0] in FINISHED) != (now in FINISHED):
                self._finished[step.runbook] += 1 if now in FINISHED else -1
                runbooks.add(step.runbook)
            (self._moving.add if at_work(state, key) else self._moving.discard)(key)
            self._step_into(out, state, step, now, now_t, wide)
        for runbook in self.plan.runbooks:
            if runbook.runbook in runbooks:
                self._header_into(out, runbook.runbook, runbook.title, wide)
        return out

    def _header_into(self, out: dict[str, tuple[Text, ...]], runbook: str, title: str, wide: bool) -> None:
        """Add a runbook's header row to `out` when its count of finished steps is not the one drawn."""
        header, finished = RUNBOOK_PREFIX + runbook, self._finished[runbook]
        if self._signatures.get(header) != (finished,):
            self._signatures[header] = (finished,)
            out[header] = self._header(runbook, title, finished, len(self._by_runbook[runbook]), wide)

    def _step_into(self, out: dict[str, tuple[Text, ...]], state: DrillState, step: PlanStep, status: StepStatus,
                   now_t: float, wide: bool) -> None:
        """Add a step's row to `out` when its status, owner or whole seconds spent are not those drawn."""
        taken = spent(state, step.key, now_t)
        signature = (status, owner_name(state, step), None if taken is None else int(taken))
        if self._signatures.get(step.key) != signature:
            self._signatures[step.key] = signature
            out[step.key] = self._step_row(state, step, status, taken, wide)

    @staticmethod
    def _header(runbook: str, title: str, finished: int, total: int, wide: bool) -> tuple[Text, ...]:
        cells = [Text("▌runbook", style="bold"), display.cell(runbook, "bold")]
        if wide:
            cells.append(display.cell(title, "bold"))
        cells += [Text(""), Text(f"{finished}/{total}", style="bold")]
        return tuple(cells)

    def _step_row(self, state: DrillState, step: PlanStep, status: StepStatus, taken: float | None,
                  wide: bool) -> tuple[Text, ...]:
        style = display.STATE_STYLE[status]
        dim = "dim" if status in (StepStatus.DORMANT, StepStatus.DONE, StepStatus.SKIPPED) else ""
        if wide:
            cells = [Text(display.state_label(status), style=style), display.cell(step.id, dim),
                     display.cell(step.title, dim)]
        else:  # one column: the id, then as much of the title as fits
            name = display.cell(step.id, dim)
            name.append("  " + display.literal(step.title, one_line=True), style="dim")
            cells = [Text(display.state_label(status), style=style), name]
        cells.append(display.cell(owner_name(state, step), dim))
        cells.append(self._time_cell(step, taken, status))
        return tuple(cells)

    @staticmethod
    def _time_cell(step: PlanStep, taken: float | None, status: StepStatus) -> Text:
        if taken is None and status is StepStatus.SKIPPED:
            return Text("")  # never worked on: no time to weigh against its target
        target = display.span(step.target) if step.target is not None else ""
        shown = display.span(taken) if taken is not None else "–"
        text = f"{shown}/{target}" if target else ("" if taken is None else shown)
        if over_target(step, taken):
            return Text(text + "!", style="bold red")  # "!" keeps "over target" readable without colour
        return Text(text, style="" if taken is not None else "dim")

    # ----- the cursor -----

    def current_key(self) -> str | None:
        """The row key under the cursor: a step key, a runbook header key, or None (empty table)."""
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except CellDoesNotExist:  # a cursor outside the rows while the table rebuilds
            return None
        return row_key.value

    def select(self, key: str | None) -> None:
        """Put the cursor on a row by key (the first step when the key is gone)."""
        if not self.row_count:
            return
        try:
            index = self.get_row_index(key) if key else 1
        except RowDoesNotExist:
            index = 1
        self.move_cursor(row=min(index, self.row_count - 1), animate=False)
