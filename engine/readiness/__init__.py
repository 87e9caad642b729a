"""Readiness across drills: what a folder of drill logs says about the runbooks, their objectives and
the improvement plan. Reads files and logs only, like the report (see docs/readiness.md)."""
