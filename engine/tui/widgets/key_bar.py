"""The console's bottom line: the keys that apply right now, each clickable.

Textual's Footer rebuilds a widget per key whenever the bindings are refreshed,
which the console does on every cursor move (what applies depends on the
focused step); this draws one line of text instead. It honours `check_action`
through `Screen.active_bindings`, like the Footer.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static


class KeyBar(Static):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self._keys: list[tuple[str, str, str]] = []  # (key, shown as, description)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) for clicks

    def show(self, keys: list[tuple[str, str, str]]) -> None:
        if keys == self._keys:
            return
        self._keys = keys
        parts: list[str | tuple[str, str]] = []
        self._spans = []
        x = 0
        for key, shown, description in [*keys, ("ctrl+p", "^p", "palette")]:
            label = f" {shown} "
            parts += [(label, "bold reverse"), f" {description} "]
            self._spans.append((x, x + len(label) + len(description) + 2, key))
            x += len(label) + len(description) + 2
        self.update(Content.assemble(*parts), layout=False)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
