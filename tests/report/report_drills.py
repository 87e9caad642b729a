"""Drills played through the Drill API with a fake clock, for the report tests and the golden files.

`golden_drill` plays the shipped Microsoft 365 scenario the way a team might:
injects fire at their times, steps start and finish in parallel, one decision
is argued and one is left to the default, the clock pauses and jumps, notes,
ratings and a hot wash follow. Everything is deterministic.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from engine.drill.clock import FakeClock, parse_wall
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "scenarios/m365-na-outage-2026-01-22.yaml"
DEFAULT_RATIONALE = "first option taken by default (no --decide or team file entry)"

M = "inbound-mail-continuity/"
A = "admin-console-loss/"
S = "security-telemetry-gap/"

FACILITATOR = "Dana Whitfield"
PARTICIPANTS = {
    "incident-commander": "Priya Natarajan",
    "messaging-lead": "Tomás Oyelaran",
    "identity-admin": "Mei Lindqvist",
    "comms-lead": "Jonah Abernathy",
    "service-desk-lead": "Rosa Mbeki",
    "vendor-manager": "Kwame Iversen",
    "security-lead": "Inês Carvalho",
    "soc-analyst": "Dev Raman",
    "compliance-officer": "Hannah Okafor",
}


def shipped_plan(relative: bool = False) -> Plan:
    """The shipped scenario. `relative`: the caller works from the repository root, and the log records
    portable relative paths (as the golden log must)."""
    if relative:
        return load_plan(SCENARIO, ["runbooks"])
    return load_plan(str(ROOT / SCENARIO), [str(ROOT / "runbooks")])


class Script:
    """Moves a fake clock through scenario time, firing injects at the moment they come due."""

    def __init__(self, drill: Drill, clock: FakeClock) -> None:
        self.drill, self.clock = drill, clock

    def at(self, minutes: float) -> None:
        target = minutes * 60
        while True:
            now = self.drill.now_t()
            due = [t for t, _ in self.drill.state.upcoming() if now < t <= target]
            step_to = min(due) if due else target
            self.clock.advance(step_to - now)
            self.drill.fire_due()
            if step_to >= target:
                return

    def start(self, *keys: str) -> None:
        for key in keys:
            self.drill.start_step(key)

    def done(self, key: str, ticks: int | None = None) -> None:
        items = len(self.drill.plan.steps[key].do)
        for item in range(items if ticks is None else ticks):
            self.drill.tick(key, item)
        self.drill.complete_step(key)


def start_clock(plan: Plan) -> FakeClock:
    anchor = plan.scenario.anchor or "2026-01-22T19:33:00Z"
    start: datetime = parse_wall(anchor)
    return FakeClock(start)


def golden_drill(log_path: str, plan: Plan) -> str:
    """Play the shipped scenario into `log_path`; returns the path."""
    clock = start_clock(plan)
    drill = Drill.start(plan, clock, log_path=log_path, facilitator=FACILITATOR, participants=PARTICIPANTS,
                        mode="headless")
    s = Script(drill, clock)
    d = drill
    s.at(0)
    s.start(M + "detect-deferrals", A + "confirm-console-loss", A + "runbooks-outside")
    s.at(2)
    s.start(M + "log-sender-reports")
    s.at(8)
    s.done(A + "confirm-console-loss")
    s.start(A + "mobile-admin-app", A + "break-glass-check")
    s.at(9)
    s.done(A + "runbooks-outside", ticks=2)
    s.at(10)
    s.start(A + "open-support-case")
    s.at(11)
    s.done(M + "detect-deferrals")
    d.note("strength", "External probes confirmed the 451 deferrals within 11 minutes, before the first partner "
           "call was logged.", step=M + "detect-deferrals", by=FACILITATOR)
    s.start(M + "declare-incident", M + "check-gateway-queues")
    s.at(16)
    s.done(M + "declare-incident")
    s.start(M + "staff-notice")
    s.at(18)
    s.start(A + "read-service-health")
    s.at(20)
    s.start(A + "alt-channels", M + "customer-notice")
    d.note("observation", "The gateway console needed a second sign-in from the bridge laptop; the messaging lead "
           "read the queue figures aloud.", step=M + "check-gateway-queues", by=FACILITATOR)
    s.at(22)
    s.done(M + "check-gateway-queues")
    s.start(M + "size-impact")
    s.at(24)
    s.done(A + "mobile-admin-app")
    s.at(26)
    s.start(A + "out-of-band-status")
    s.at(28)
    s.done(A + "break-glass-check")
    d.note("improvement", "Opening the sealed break-glass envelope took 12 minutes because the second key holder "
           "was on another floor.", step=A + "break-glass-check", by=FACILITATOR,
           action="Name two deputies for the two-person rule and keep the envelope key at the bridge location",
           element="organization", owner="Head of Identity", due="2026-03-31")
    s.at(30)
    s.start(A + "provider-escalation")
    s.at(31)
    s.done(M + "staff-notice")
    s.at(34)
    d.note("improvement", "The SOC analyst chased the break-glass sign-in alert for 9 minutes before learning it "
           "was sanctioned.", step=A + "break-glass-check", by="Dev Raman",
           action="Page the SOC automatically whenever a break-glass account signs in", element="planning")
    s.at(36)
    s.done(A + "out-of-band-status")
    d.note("strength", "The incident reference MO1221364 was in the incident log 11 minutes after the console went "
           "dark, taken from the provider's status account.", step=A + "out-of-band-status", by=FACILITATOR)
    s.at(38)
    s.done(M + "size-impact")
    s.start(M + "failover-decision")
    s.at(40)
    s.start(A + "admin-via-powershell")
    s.at(46)
    s.start(S + "confirm-portal-loss")
    s.at(50)
    s.done(M + "customer-notice", ticks=3)
    s.at(52)
    s.done(A + "provider-escalation")
    s.at(53)
    s.done(S + "confirm-portal-loss")
    s.start(S + "open-gap-record", S + "siem-pull", S + "journal-export")
    s.at(62)
    d.decide(M + "failover-decision", "hold",
             "Most senders retry for days and the gateway holds mail for four; a DNS change in the middle of the "
             "outage risks more than it saves. Trip wire: oldest queued message older than 48 hours.",
             by=PARTICIPANTS["incident-commander"])
    d.note("observation", "The hold decision was argued well, but nobody wrote down the trip wire that would "
           "reopen it until the facilitator asked.", step=M + "failover-decision", by=FACILITATOR)
    s.at(64)
    s.start(M + "watch-queues")
    s.at(66)
    s.done(S + "open-gap-record")
    s.start(S + "compensating-controls")
    s.at(70)
    s.done(A + "admin-via-powershell")
    s.at(75)
    s.done(M + "log-sender-reports")
    d.note("improvement", "Sender reports were logged on paper for the first hour; the ticket template has no "
           "field for the SMTP reply.", step=M + "log-sender-reports", by="Rosa Mbeki",
           action="Add deferral text, sending server and recipient fields to the sender-report ticket template",
           element="equipment", owner="Service desk lead", due="2026-02-27")
    s.at(78)
    s.done(S + "siem-pull")
    s.at(82)
    s.done(A + "alt-channels")
    d.note("improvement", "The SMS tree reached only 61% of staff: 140 numbers were out of date.",
           step=A + "alt-channels", by="Jonah Abernathy",
           action="Reconcile the SMS tree against HR records every quarter", element="planning",
           owner="Comms lead", due="2026-04-30")
    s.at(93)
    s.start(A + "media-holding-line")
    s.at(95)
    s.done(S + "compensating-controls")
    s.start(M + "handle-customer-escalation")
    s.at(100)
    s.done(S + "journal-export")
    s.at(105)
    d.decide(S + "posture-decision", "raise-posture", DEFAULT_RATIONALE)
    d.note("improvement", "The posture decision stalled for ten minutes: the incident commander was on the call "
           "with the COO and no deputy was named for the security track.", step=S + "posture-decision",
           by=FACILITATOR, action="Name a deputy incident commander for the security track in the runbook",
           element="organization", owner="CISO office")
    s.at(108)
    s.done(A + "media-holding-line")
    s.at(110)
    s.start(S + "change-freeze", S + "extra-watch")
    s.at(118)
    s.done(M + "handle-customer-escalation")
    d.note("strength", "The incident commander called the customer back within 26 minutes and offered a portal "
           "upload for the purchase order.", step=M + "handle-customer-escalation", by=FACILITATOR)
    s.at(122)
    s.start(A + "handle-collab-trouble")
    s.at(125)
    s.done(S + "change-freeze")
    s.at(150)
    s.done(A + "handle-collab-trouble")
    d.note("improvement", "The first staff notice told people to use Teams, which was failing for new chats.",
           step=A + "handle-collab-trouble", by="Rosa Mbeki",
           action="Keep a pre-approved known-issue text for partial Teams failures", element="training",
           owner="Service desk lead", due="2026-03-15")
    s.at(170)
    s.done(S + "extra-watch")
    s.at(183)
    s.start(S + "handle-outage-phish")
    s.at(190)
    d.pause()
    clock.advance(15 * 60)  # a coffee break: real time passes, scenario time does not
    d.resume_clock()
    s.at(205)
    s.done(S + "handle-outage-phish")
    d.note("strength", "The phished password was reset and the sessions revoked 22 minutes after the report, "
           "using identity-provider logs alone.", step=S + "handle-outage-phish", by="Inês Carvalho")
    s.at(362)
    d.skip_step(A + "read-service-health", "the out-of-band status already covered it; the dashboard ran two "
                "hours behind")
    d.skip_step(A + "urgent-admin-change", "the urgent changes were made through PowerShell at T+1:10")
    s.at(368)
    s.done(A + "open-support-case")
    s.at(455)
    s.start(S + "triage-defender-queue")
    s.at(480)
    s.done(S + "triage-defender-queue")
    d.note("observation", "The Defender queue showed alerts hours old; the analyst rightly did not treat the "
           "portal's return as the end of the gap.", step=S + "triage-defender-queue", by=FACILITATOR)
    s.at(485)
    d.jump(595 * 60)  # the quiet overnight hours are not played
    s.at(601)
    s.start(S + "check-retention-controls", A + "verify-restoration")
    s.at(603)
    s.done(M + "watch-queues")
    s.at(604)
    s.start(M + "confirm-recovery")
    s.at(615)
    s.done(S + "check-retention-controls")
    s.start(S + "close-gap")
    d.note("improvement", "The clock jump hid the overnight staffing question; nobody planned the hand-over "
           "between shifts.", by=FACILITATOR, action="Run a follow-up exercise that plays hours 8 to 10",
           element="exercise", owner="Exercise director", due="2026-06-30")
    s.at(628)
    s.done(A + "verify-restoration")
    s.at(630)
    s.start(A + "request-pir")
    s.at(640)
    s.done(S + "close-gap")
    s.at(645)
    s.start(S + "review-backlog")
    s.at(655)
    s.done(M + "confirm-recovery")
    s.at(656)
    s.start(M + "reconcile-mail")
    s.at(660)
    s.done(A + "request-pir", ticks=3)
    d.end("the planned window was reached; hot wash follows")
    clock.advance(10 * 60)
    for objective, rating, comment in (
        (M + "detect-externally", "P", "External probe confirmed the deferrals in 11 minutes."),
        (M + "route-decision", "S", "Decided within the hour with a recorded rationale; the trip wire came late."),
        (M + "inform-people", "S", "Both notices went out on time, but the customer notice skipped one step."),
        (M + "no-silent-loss", "U", "The reconciliation was still running when the window closed."),
        (A + "know-status", "P", "Incident reference from the status account 11 minutes after the console loss."),
        (A + "oob-admin", "S", "Mobile app and PowerShell worked; break-glass took 20 minutes."),
        (A + "reach-staff", "M", "The SMS tree reached 61% of staff."),
        (A + "provider-accountability", "S", "Escalated by phone in 22 minutes; the PIR request was filed."),
        (S + "record-gap", "P", "Gap start and end recorded to the minute."),
        (S + "keep-watch", "S", "SIEM pull in place 33 minutes after the portals went dark."),
        (S + "hold-compliance", "S", "Journal export confirmed, two minutes over target."),
    ):
        d.rate(objective, rating, comment)
        clock.advance(60)
    for question, answer in (
        ("What went well?", "External detection was fast, and the out-of-band status source worked from the start."),
        ("What would you change?", "Name deputies for break-glass and for the security track, and fix the SMS tree."),
        ("Did the routing decision hold up?", "Yes. Holding cost one customer escalation, handled by phone and a "
                                              "portal upload."),
    ):
        d.answer(question, answer)
        clock.advance(120)
    d.note("observation", "Hot wash held on the bridge with all nine players.", by=FACILITATOR)
    drill.close()
    return log_path


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "jinja": "{{ 7*7 }}",
    "link": "](javascript:alert(1))",
    "table": "a | b | c",
    "newline": "line one\nline two\r\nline three",
    "markup": "[bold]not bold[/bold]",
    "heading": "# heading\n- item\n=== \n> quote `code`",
}


def hostile_drill(log_path: str, plan: Plan) -> str:
    """A short drill where every piece of free text is an attack on some output format."""
    text = " ".join(HOSTILE.values())
    clock = start_clock(plan)
    drill = Drill.start(plan, clock, log_path=log_path, facilitator=text,
                        participants={"incident-commander": text, "<b>role</b>|x": HOSTILE["script"]},
                        mode="headless")
    s = Script(drill, clock)
    s.at(0)
    s.start(M + "detect-deferrals")
    s.at(5)
    s.done(M + "detect-deferrals")
    drill.note("strength", text, step=M + "detect-deferrals", by=text)
    drill.note("improvement", text, step=A + "break-glass-check", by=text, action=text, element="planning",
               owner=text, due=text)
    drill.note("improvement", "=1+2", step=M + "detect-deferrals", action="+cmd|' /C calc'!A0", owner="@SUM(A1)",
               due="-2+3", by="\tTAB")
    drill.note("observation", text, by=text)
    drill.skip_step(A + "runbooks-outside", text)
    s.at(10)
    drill.start_step(M + "declare-incident")
    s.at(12)
    drill.complete_step(M + "declare-incident")
    drill.start_step(M + "check-gateway-queues")
    drill.complete_step(M + "check-gateway-queues")
    drill.complete_step(M + "size-impact")
    drill.decide(M + "failover-decision", "hold", text, by=text)
    drill.rate(M + "detect-externally", "P", text)
    drill.answer(text, text)
    drill.end(text)
    drill.close()
    return log_path
