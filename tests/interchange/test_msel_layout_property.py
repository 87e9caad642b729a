"""Whatever the layout, an MSEL that imports with exit 0 never reads an inject's number or a header aloud."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from contextlib import redirect_stderr
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cli import main
from engine.validate import validate

ROOT = Path(__file__).resolve().parents[2]
NUMBER_HEADERS = ["Inject", "#", "Serial", "Inject #", "MSEL\nNo.", "No.", "Item"]
TEXT_HEADERS = ["Description", "IMPLEMENTER\n(Actual Narrative)", "Inject", "Scenario", "Event Narrative",
                "Message", "Inject Text", "Situation", "Script"]
TIME_HEADERS = ["Time", "Time (0600-1800)", "Scheduled\nTime", "EVENT TIME", "Start Time"]
EXTRA = {"From": ["Controller", "SimCell", "County EOC"], "To": ["Incident Commander", "JOC", "Comms Lead"],
         "Recipient(s)\n(Player)": ["Incident Commander", "JOC", "Comms Lead"],
         "ExpectedAction": ["Open the EOC", "Call the vendor", "Brief the press"],
         "ExpectedOutcomes": ["EOC open", "Vendor on the bridge", "Statement out"]}
SENTENCES = ["The county reports water over the road at the bridge.",
             "Local television asks for a statement on the evacuation.",
             "The shelter at the high school is nearly full tonight."]


@st.composite
def layouts(draw: st.DrawFn) -> tuple[list[str], list[list[str]], list[str]]:
    number = draw(st.sampled_from(NUMBER_HEADERS))
    text = draw(st.sampled_from([h for h in TEXT_HEADERS if h != number]))
    time = draw(st.sampled_from(TIME_HEADERS))
    extras = draw(st.lists(st.sampled_from(sorted(EXTRA)), unique=True, max_size=3))
    serials = draw(st.sampled_from([["1.1", "1.2", "2.1"], ["7", "8", "9"], ["INJ-04", "INJ-05", "INJ-06"]]))
    headers = [number, time, text, *extras]
    order = draw(st.permutations(range(len(headers))))
    columns = {number: serials, time: ["0800", "0915", "1030"], text: SENTENCES, **{e: EXTRA[e] for e in extras}}
    rows = [[columns[headers[i]][r] for i in order] for r in range(3)]
    return [headers[i] for i in order], rows, serials


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layouts(), st.sampled_from(["csv", "xlsx"]))
def test_no_number_or_header_is_read_aloud(layout: tuple[list[str], list[list[str]], list[str]], kind: str) -> None:
    headers, rows, serials = layout
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"msel.{kind}"
        if kind == "csv":
            buffer = io.StringIO()
            csv.writer(buffer).writerows([headers, *rows])
            source.write_text(buffer.getvalue(), encoding="utf-8")
        else:
            from openpyxl import Workbook

            book = Workbook()
            for row in [headers, *rows]:
                book.active.append(row)
            book.save(source)
        out = Path(folder) / "out.yaml"
        err = io.StringIO()
        with redirect_stderr(err):
            code = main(["msel", "import", str(source), "--runbook", "admin-console-loss", "--runbooks",
                         str(ROOT / "runbooks"), "-o", str(out)])
        assert "Traceback" not in err.getvalue()
        assert code in (0, 2), err.getvalue()
        if code != 0:
            assert not out.exists()
            return
        injects = validate([str(out)]).documents[0].model.injects
        names = [" ".join(h.split()).lower() for h in headers]
        for inject, serial in zip(injects, serials, strict=True):
            say = inject.say or ""
            assert not re.search(rf"(?<![\w.-]){re.escape(serial)}(?![\w.-])", say), (headers, say)
            assert not any(name in say.lower() for name in names if len(name) > 3), (headers, say)
            assert any(sentence in say for sentence in SENTENCES), (headers, say, err.getvalue())
