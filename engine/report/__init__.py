"""After-action reports: a drill log (plus the files it names) -> an HSEEP-style AAR/IP.

`builder.build_report` folds the log into a `model.Report`; `render` turns it
into Markdown, HTML, JSON, PDF or an improvement-plan CSV. Every figure comes
from the log, so the same log always gives the same report.
"""
