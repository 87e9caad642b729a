"""What the improvement-plan rules share: the items of a plan file with where each is written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from engine.rules.base import Subject


@dataclass(frozen=True)
class PlacedItem:
    item: Any  # engine.improvement.model.Item
    index: int  # its position in `items`

    def at(self, *parts: Any) -> tuple[Any, ...]:
        return ("items", self.index, *parts)


def placed_items(plan: Subject) -> Iterator[PlacedItem]:
    """Each item of the model with the index of its entry in the file (past entries the schema dropped)."""
    for index, item in enumerate(plan.model.items):
        yield PlacedItem(item, plan.doc.in_file(("items", index))[1])
