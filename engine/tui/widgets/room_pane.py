"""The Room pane: where the drill room listens, a QR code of the participant link, every seat's link
(and one per role), who is in the room, and how many browsers are following live. Shown only when the
console was started with --room."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from engine.tui import display, feedback_toggle, poll_actions
from engine.tui.widgets import room_seats
from engine.tui.widgets.pane_text import PaneText

if TYPE_CHECKING:
    from engine.room.server import RoomServer

QUIET = 2  # modules of light border a scanner needs around the code
HALF = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_lines(text: str) -> list[str]:
    """A QR code of `text` in half-block characters, two rows of modules to a line (dark = drawn)."""
    import segno  # only a console with --room draws one: the others do not pay for loading it

    matrix = segno.make(text, error="l").matrix
    size = len(matrix)
    width = size + 2 * QUIET

    def dark(y: int, x: int) -> bool:
        return 0 <= y < size and 0 <= x < size and bool(matrix[y][x])

    lines = []
    for y in range(-QUIET, size + QUIET, 2):
        lines.append("".join(HALF[(dark(y, x), dark(y + 1, x))] for x in range(-QUIET, width - QUIET)))
    return lines


class RoomPane(VerticalScroll, can_focus=False):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._qr: tuple[str, list[str]] | None = None

    def compose(self) -> ComposeResult:
        yield PaneText()

    def show(self, server: RoomServer | None, room_file: str = "") -> None:
        if server is None:
            self.query_one(PaneText).show(Content("The room is not open (start the console with --room)."))
            return
        headline = Content.styled(server.exposure, "bold reverse" if server.open_to_network else "bold")
        link = server.links["participant"]
        if self._qr is None or self._qr[0] != link:
            self._qr = (link, qr_lines(link))
        parts = [headline, Content(""), Content("Participants: scan, or open"), Content(display.literal(link)),
                 *(Content.styled(line, "#000000 on #ffffff") for line in self._qr[1]),
                 Content(""), Content("Projector"), Content(display.literal(server.links["projector"])),
                 Content(""), Content("Evaluators"), Content(display.literal(server.links["evaluator"])),
                 Content(""), *room_seats.role_links(link, server.room.drill.plan.roles),
                 Content(""), *room_seats.who_is_in(server.room.drill.state),
                 Content(""), *poll_actions.room_lines(server.room.drill.state),
                 Content(""), Content(f"Live connections: {server.room.live}"),
                 feedback_toggle.line(server.room.drill.state)]
        if room_file:
            parts.append(Content.styled(f"Links saved in {display.literal(room_file)} (readable by you only)", "dim"))
        self.query_one(PaneText).show(Content("\n").join(parts))
