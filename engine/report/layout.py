"""A layered drawing of a runbook graph (Sugiyama style), small enough for a report.

Layers are topological generations (as networkx names them; computed here, so a
report never imports networkx). An edge that spans several layers
gets a thin stand-in node in each layer between, so it is routed around steps
rather than through them; a few barycentre sweeps order each layer to keep
edges short and crossings few. Pure geometry: svg.py draws the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NODE_W, NODE_H = 150.0, 36.0
DUMMY_W = 10.0
GAP_X, GAP_Y, MARGIN = 20.0, 40.0, 16.0
_SWEEPS = 4


@dataclass
class Layout:
    width: float
    height: float  # of the graph itself, margins included
    boxes: dict[str, tuple[float, float]]  # node key -> top-left corner
    routes: list[list[tuple[float, float]]] = field(default_factory=list)  # per edge: points from source to target


def _generations(nodes: list[str], edges: list[tuple[str, str]]) -> list[list[str]] | None:
    """The nodes in generations, as networkx's topological_generations gives them: first those no edge
    leads to, then those whose every predecessor is in an earlier generation; None when there is a cycle.
    Edges to or from a node not in `nodes` are left out; an edge given twice counts once."""
    known = dict.fromkeys(nodes)
    children: dict[str, dict[str, None]] = {key: {} for key in known}
    for source, target in edges:
        if source in known and target in known:
            children[source][target] = None
    waiting = dict.fromkeys(known, 0)
    for targets in children.values():
        for target in targets:
            waiting[target] += 1
    generation = [key for key, count in waiting.items() if count == 0]
    out: list[list[str]] = []
    while generation:
        out.append(generation)
        following = []
        for key in generation:
            for target in children[key]:
                waiting[target] -= 1
                if waiting[target] == 0:
                    following.append(target)
        generation = following
    return out if sum(map(len, out)) == len(known) else None


def layered(nodes: list[str], edges: list[tuple[str, str]]) -> Layout:
    """Boxes for `nodes` (in their given order when nothing else decides) and a route for each edge."""
    generations = _generations(nodes, edges)
    if generations is None:  # a cycle: validation forbids it, but never fail a report over it
        generations = [list(nodes)]
    rank = {key: i for i, gen in enumerate(generations) for key in gen}
    order = {key: i for i, key in enumerate(nodes)}
    layers: list[list[str]] = [sorted(gen, key=order.__getitem__) for gen in generations]
    chains: list[list[str]] = []
    up: dict[str, list[str]] = {key: [] for key in nodes}
    down: dict[str, list[str]] = {key: [] for key in nodes}
    for index, (source, target) in enumerate(edges):
        if source not in rank or target not in rank:
            chains.append([])
            continue
        chain = [source]
        for layer in range(rank[source] + 1, rank[target]):
            dummy = f"\x00{index}.{layer}"  # cannot clash with a step key
            layers[layer].append(dummy)
            up[dummy], down[dummy] = [], []
            chain.append(dummy)
        chain.append(target)
        for a, b in zip(chain, chain[1:], strict=False):
            down[a].append(b)
            up[b].append(a)
        chains.append(chain)
    _order(layers, up, down)
    boxes, centres, width = _place(layers)
    height = MARGIN * 2 + len(layers) * (NODE_H + GAP_Y) - GAP_Y
    routes = [_route(chain, centres, rank) if chain and rank[chain[0]] < rank[chain[-1]] else
              _side_route(chain, boxes) if chain else [] for chain in chains]
    return Layout(width, height, {k: v for k, v in boxes.items() if not k.startswith("\x00")}, routes)


def _order(layers: list[list[str]], up: dict[str, list[str]], down: dict[str, list[str]]) -> None:
    """Barycentre sweeps, down then up: each node moves to the mean place of its neighbours."""
    for sweep in range(_SWEEPS):
        sequence = range(1, len(layers)) if sweep % 2 == 0 else range(len(layers) - 2, -1, -1)
        for i in sequence:
            neighbours = up if sweep % 2 == 0 else down
            other = layers[i - 1] if sweep % 2 == 0 else layers[i + 1]
            place = {key: p for p, key in enumerate(other)}
            current = {key: p for p, key in enumerate(layers[i])}

            def centre(key: str, neighbours: dict[str, list[str]] = neighbours, place: dict[str, int] = place,
                       current: dict[str, int] = current) -> tuple[float, int]:
                near = [place[n] for n in neighbours[key] if n in place]
                return (sum(near) / len(near) if near else current[key], current[key])

            layers[i].sort(key=centre)


def _place(layers: list[list[str]]) -> tuple[dict[str, tuple[float, float]], dict[str, float], float]:
    def size(key: str) -> float:
        return DUMMY_W if key.startswith("\x00") else NODE_W

    widths = [sum(size(k) for k in layer) + GAP_X * max(len(layer) - 1, 0) for layer in layers]
    width = MARGIN * 2 + max(widths, default=NODE_W)
    boxes: dict[str, tuple[float, float]] = {}
    centres: dict[str, float] = {}
    for row, layer in enumerate(layers):
        x = (width - widths[row]) / 2
        y = MARGIN + row * (NODE_H + GAP_Y)
        for key in layer:
            boxes[key] = (round(x, 1), round(y, 1))
            centres[key] = round(x + size(key) / 2, 1)
            x += size(key) + GAP_X
    return boxes, centres, width


def _route(chain: list[str], centres: dict[str, float], rank: dict[str, int]) -> list[tuple[float, float]]:
    """Points down through the layers: bottom of the source, through each stand-in, top of the target."""
    first = rank[chain[0]]
    points = [(centres[chain[0]], MARGIN + first * (NODE_H + GAP_Y) + NODE_H)]
    for depth, key in enumerate(chain[1:-1], start=first + 1):
        top = MARGIN + depth * (NODE_H + GAP_Y)
        points += [(centres[key], top), (centres[key], top + NODE_H)]
    last = chain[-1]
    points.append((centres[last], MARGIN + rank[last] * (NODE_H + GAP_Y)))
    return [(round(x, 1), round(y, 1)) for x, y in points]


def _side_route(chain: list[str], boxes: dict[str, tuple[float, float]]) -> list[tuple[float, float]]:
    """An edge within one layer (only after a cycle): from the right side of one box to the other's."""
    (sx, sy), (tx, ty) = boxes[chain[0]], boxes[chain[-1]]
    return [(sx + NODE_W, sy + NODE_H / 2), (tx + NODE_W, ty + NODE_H / 2)]
