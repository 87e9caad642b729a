"""Audit evidence: which drills exercised which control in a period, with their attendance, after-action
reports, improvement items and the verification of every log used (`tabletop evidence`, docs/evidence.md).

engine.evidence.gather collects it from the runbooks, the improvement plan and the drill logs (through
the readiness cache of log summaries, so each log is read once); engine.evidence.findings judges it;
engine.evidence.pages lays it out and engine.evidence.pack writes the folder an auditor receives.
"""
