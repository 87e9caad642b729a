"""Which runbooks an imported MSEL drills, when the user does not say: the ones it names.

An inject names a runbook when its player is one of the runbook's roles, a
service it changes or an event it brings is the runbook's, an objective is the
runbook's, or its condition waits on one of the runbook's steps or decisions.
"""

from __future__ import annotations

from typing import Any

from engine.model import Runbook


def named_by(runbook: Runbook, injects: list[dict[str, Any]]) -> list[str]:
    """What in `injects` belongs to the runbook: 'role incident-commander', 'service exchange-online', ..."""
    events = {step.on for step in runbook.steps.values() if step.on}
    found: list[str] = []
    for inject in injects:
        after = inject.get("after") or {}
        for kind, name, pool in (
            ("role", inject.get("to"), runbook.roles),
            ("event", inject.get("event"), events),
            ("step", after.get("step") or after.get("decision"), runbook.steps),
            *(("service", s, runbook.services) for s in inject.get("services", {})),
            *(("objective", o, runbook.objectives) for o in inject.get("objectives", [])),
        ):
            label = f"{kind} {name}"
            if name and name in pool and label not in found:
                found.append(label)
    return found


def choose(runbooks: list[Runbook], injects: list[dict[str, Any]]) -> tuple[list[str], str]:
    """The runbook ids the injects name (all of them when none is named), and a sentence saying why."""
    named = {rb.runbook: named_by(rb, injects) for rb in runbooks}
    chosen = [rb for rb, what in named.items() if what]
    if not chosen:
        return [rb.runbook for rb in runbooks], "the MSEL names no role, service, event or step of any, so all of them"
    reasons = "; ".join(f"{rb}: {', '.join(named[rb][:3])}" + (" ..." if len(named[rb]) > 3 else "")
                        for rb in chosen)
    return chosen, f"the MSEL names them ({reasons})"
