"""The console's actions in the command palette (ctrl+p), with the reason when one does not apply now."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from engine.tui.actions import ACTIONS


class DrillCommands(Provider):
    def _commands(self) -> list[tuple[str, str, str]]:
        """(action, title, help) for the screen the palette was opened on."""
        screen: Any = self.screen
        if not hasattr(screen, "refusal"):
            return []
        out = []
        for action, (title, what) in ACTIONS.items():
            reason = screen.refusal(action)
            out.append((action, title, f"not now: {reason}" if reason else what))
        return out

    async def discover(self) -> Hits:
        screen: Any = self.screen
        for action, title, help_text in self._commands():
            yield DiscoveryHit(Content(title), partial(screen.run_command, action), text=title,
                               help=Content(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        screen: Any = self.screen
        for action, title, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(screen.run_command, action), text=title,
                          help=Content(help_text))  # type: ignore[arg-type]
