"""What the facilitator wrote into the drill as it ran rather than the scenario planned: the injects written
ad hoc, and the answer given on resume about the time away after a stop. Both read only the fold."""

from __future__ import annotations

from engine.drill.replay import Played
from engine.report import model as m


def adhoc_injects(played: Played) -> list[m.AdhocInjectItem]:
    """Every ad-hoc inject in log order, with the reason it was withdrawn where it was ([] when none)."""
    state = played.state
    walls = {e.seq: e.wall for e in played.events}
    return [m.AdhocInjectItem(seq=a.seq, t=a.t, wall=walls.get(a.seq, ""), id=a.id, text=a.text, to=list(a.to),
                              services=dict(a.services), event=a.event or "", by=a.by,
                              withdrawn=state.withdrawn[a.id].reason if a.id in state.withdrawn else "",
                              expect=a.expect, objectives=list(a.objectives))
            for a in sorted(state.adhoc.values(), key=lambda a: a.seq)]


def time_away(played: Played) -> list[m.TimeAwayItem]:
    """Each clock.gap answer in log order ([] when the drill never stopped without closing)."""
    walls = {e.seq: e.wall for e in played.events}
    return [m.TimeAwayItem(seq=g.seq, t=g.t, wall=walls.get(g.seq, ""), since=g.since, away=g.away,
                           counted=g.counted) for g in played.state.gaps]
