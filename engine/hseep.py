"""HSEEP's fixed vocabulary: mission areas, core capabilities and exercise types.

The five mission areas and 32 core capabilities are those of the US National
Preparedness Goal (second edition, 2015), which HSEEP exercise documents cite
in their overview. Names here are the Goal's own, so a capability written in
a scenario can be checked and printed as the reader expects it.
"""

from __future__ import annotations

MISSION_AREAS: dict[str, str] = {
    "prevention": "Prevention",
    "protection": "Protection",
    "mitigation": "Mitigation",
    "response": "Response",
    "recovery": "Recovery",
}

# Each core capability with the mission areas it serves.
CORE_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "Planning": tuple(MISSION_AREAS),
    "Public Information and Warning": tuple(MISSION_AREAS),
    "Operational Coordination": tuple(MISSION_AREAS),
    "Forensics and Attribution": ("prevention",),
    "Intelligence and Information Sharing": ("prevention", "protection"),
    "Interdiction and Disruption": ("prevention", "protection"),
    "Screening, Search, and Detection": ("prevention", "protection"),
    "Access Control and Identity Verification": ("protection",),
    "Cybersecurity": ("protection",),
    "Physical Protective Measures": ("protection",),
    "Risk Management for Protection Programs and Activities": ("protection",),
    "Supply Chain Integrity and Security": ("protection",),
    "Community Resilience": ("mitigation",),
    "Long-term Vulnerability Reduction": ("mitigation",),
    "Risk and Disaster Resilience Assessment": ("mitigation",),
    "Threats and Hazards Identification": ("mitigation",),
    "Critical Transportation": ("response",),
    "Environmental Response/Health and Safety": ("response",),
    "Fatality Management Services": ("response",),
    "Fire Management and Suppression": ("response",),
    "Logistics and Supply Chain Management": ("response",),
    "Mass Care Services": ("response",),
    "Mass Search and Rescue Operations": ("response",),
    "On-scene Security, Protection, and Law Enforcement": ("response",),
    "Operational Communications": ("response",),
    "Public Health, Healthcare, and Emergency Medical Services": ("response",),
    "Situational Assessment": ("response",),
    "Infrastructure Systems": ("response", "recovery"),
    "Economic Recovery": ("recovery",),
    "Health and Social Services": ("recovery",),
    "Housing": ("recovery",),
    "Natural and Cultural Resources": ("recovery",),
}

EXERCISE_TYPES: dict[str, str] = {
    "seminar": "Seminar",
    "workshop": "Workshop",
    "tabletop": "Tabletop exercise (TTX)",
    "game": "Game",
    "drill": "Drill",
    "functional": "Functional exercise (FE)",
    "full-scale": "Full-scale exercise (FSE)",
}


def capability_named(name: str) -> str | None:
    """The Goal's spelling of a core capability written any case and spacing; None if it is not one."""
    wanted = " ".join(name.split()).casefold()
    return next((c for c in CORE_CAPABILITIES if c.casefold() == wanted), None)
