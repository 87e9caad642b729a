"""OASIS CACAO v2.0 playbooks: export a runbook as a manual playbook, and import one back.

export.py (runbook -> playbook) lays the step graph out as CACAO workflow
steps; importer.py (playbook -> runbook) reads the workflow back. What CACAO
has no words for (needs that cross a stage, services, objectives, targets)
travels in a tabletop extension, so a tabletop -> CACAO -> tabletop round
trip is exact; a playbook from elsewhere is read from its workflow alone.
docs: the README's "CACAO playbooks" section describes the mapping.
"""

from __future__ import annotations

import uuid


class CacaoError(Exception):
    """A playbook that cannot be read or converted; the message names the JSON path."""


# Our own UUIDv5 namespace: the CACAO namespace (aa7caf3a-...) is reserved for ids made by its JCS rule.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/tabletop-drills/tabletop#cacao")
EXTENSION_ID = f"extension-definition--{uuid.uuid5(NAMESPACE, 'extension/tabletop-runbook')}"
EVENT_CONDITION_OBJECT = "x-tabletop-event"


def playbook_uuid(runbook_id: str) -> str:
    """The playbook id's UUID: version 5 from the runbook id, the same on every export."""
    return str(uuid.uuid5(NAMESPACE, f"playbook/{runbook_id}"))


def step_uuid(*parts: str) -> str:
    """A step id's UUID. CACAO wants version 4 for steps; this is the v4 layout filled from a SHA-1
    of the runbook and step (like a v5), so the same runbook always exports the same ids."""
    digest = uuid.uuid5(NAMESPACE, "/".join(parts)).bytes
    return str(uuid.UUID(bytes=digest, version=4))


def variable_name(step_id: str) -> str:
    """The playbook variable that holds a decision's answer: __failover_decision__."""
    return f"__{step_id.replace('-', '_')}__"
