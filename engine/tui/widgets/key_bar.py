"""The console's bottom line: the keys that apply right now, each clickable.

Textual's Footer rebuilds a widget per key whenever the bindings are refreshed,
which the console does on every cursor move (what applies depends on the
focused step); this draws one line of text instead. It honours `check_action`
through `Screen.active_bindings`, like the Footer.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.style import Style
from textual.widgets import Static


class KeyBar(Static):
    COMPONENT_CLASSES = {"key-bar--key"}
    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self._keys: list[tuple[str, str, str]] = []  # (key, shown as, description)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) for clicks

    def show(self, keys: list[tuple[str, str, str]]) -> None:
        if keys == self._keys:
            return
        self._keys = keys
        key_style = Style.from_rich_style(self.get_component_rich_style("key-bar--key"))
        parts: list[str | tuple[str, Style]] = []
        self._spans = []
        x = 0
        for key, shown, description in [*keys, ("ctrl+p", "^p", "palette")]:
            item = f" {shown} {description} "
            parts += [" ", (shown, key_style), f" {description} "]
            self._spans.append((x, x + len(item), key))
            x += len(item)
        self.update(Content.assemble(*parts), layout=False)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
