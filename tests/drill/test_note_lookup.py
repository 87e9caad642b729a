"""A note's text is found by its seq by halving the notes, which the fold appends in log order; a list out of
that order is still answered right, by a walk (issue 28: the walk for every note made a report of many notes
quadratic)."""

from __future__ import annotations

import pytest

from engine.drill.state import NoteRecord, _by_seq


def _notes(seqs: list[int]) -> list[NoteRecord]:
    return [NoteRecord("observation", f"note at {seq}", None, "observer", float(seq), seq) for seq in seqs]


@pytest.mark.parametrize("seqs", [[3, 8, 9, 20, 41], [41, 3, 20, 9, 8], [5]])
def test_every_note_is_found_by_its_seq_in_order_or_not(seqs: list[int]) -> None:
    notes = _notes(seqs)
    for seq in seqs:
        assert _by_seq(notes, seq).text == f"note at {seq}"


@pytest.mark.parametrize("seqs", [[3, 8, 9], [9, 3, 8], []])
def test_a_seq_with_no_note_raises_as_the_walk_did(seqs: list[int]) -> None:
    with pytest.raises(StopIteration):
        _by_seq(_notes(seqs), 4)
