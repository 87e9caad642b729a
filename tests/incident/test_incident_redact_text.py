"""Contact details found by pattern, and HTML turned into text, on their own."""

from __future__ import annotations

import pytest

from engine.incident.redact import Redactor
from engine.incident.text import html_text


@pytest.mark.parametrize("text", ["+1 415 555 0100", "(020) 7946 0958", "555.123.4567", "tel:+442079460958",
                                  "+49-30-1234-5678"])
def test_phone_numbers_are_removed(text: str) -> None:
    redactor = Redactor()
    assert redactor.text(f"call {text} now") == "call [phone number removed] now"
    assert redactor.removed["phone numbers"] == 1


@pytest.mark.parametrize("text", ["451 4.3.2", "2026-01-22", "2026-01-22 19:33", "10.20.30.40", "192.168.100.200",
                                  "ticket 12345678", "3/14/2025", "T+1:30", "version 1.2.3.4"])
def test_numbers_that_are_not_phone_numbers_stay(text: str) -> None:
    assert Redactor().text(text) == text


def test_names_are_replaced_whole_words_any_case_and_kept_with_keep_names() -> None:
    redactor = Redactor({"Dana Okafor": "incident-commander", "sam": "participant 2"})
    assert redactor.text("DANA OKAFOR asked @sam; samples are fine") == \
        "incident-commander asked participant 2; samples are fine"
    keep = Redactor({"Dana Okafor": "incident-commander"}, keep_names=True)
    assert keep.text("Dana Okafor, dana@example.com") == "Dana Okafor, dana@example.com"


def test_html_text_keeps_breaks_and_drops_controls() -> None:
    assert html_text("<div>a<br/>b</div><p>c&nbsp;d\x1b[31m</p><ol><li>x</li></ol>") == "a\nb\n\nc d[31m\n\n- x"


def test_first_names_of_known_people_are_replaced_when_capitalised() -> None:
    redactor = Redactor({"Earline Greenholt": "responder 1"})
    assert redactor.text("Earline: draining. earliness is fine; Earlines too") == \
        "responder 1: draining. earliness is fine; Earlines too"
