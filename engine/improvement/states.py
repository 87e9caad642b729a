"""The states an improvement item goes through (docs/improvements.md), apart from the model so that
the validate rules that read them do not import pydantic."""

STATUSES = ("open", "in-progress", "done", "verified", "wont-fix")
OPEN_STATUSES = ("open", "in-progress")  # the work is still to do: owner, due date and overdue apply
