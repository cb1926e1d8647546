"""Relationship maps (Vega): each actor's own network, and one of every actor with a relation.

An actor's network is drawn as a ring: the actor in the middle, the actors it has relations with
around it, each name outside its node, so nothing overlaps at a phone's width. The site-wide map
is force-directed, drawn on wide screens only, and only while it stays readable (``SITE_MAP_LIMIT``).
Each relation type has its own line style, named in a legend; every name is SVG text, and every
node links to its actor's page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from .corpus import Corpus, Entry, derived
from .words import LABELS, label

VEGA_SCHEMA = "https://vega.github.io/schema/vega/v6.json"
CHART_DIR = "data/charts"
TEXT_SIZE = 12  # px: axis, legend and label text, in every chart

# Each relation type's line: a colour and a dash (an empty dash is a solid line).
RELATION_STYLE = {
    "ally": ("#2e7d32", []), "affiliate": ("#1565c0", []), "splinter": ("#6a1b9a", [6, 3]),
    "rival": ("#ef6c00", [6, 3]), "sponsor": ("#00838f", [2, 3]), "adversary": ("#c62828", []),
    "leader": ("#37474f", [1, 0]), "member": ("#78909c", [2, 3]),
}
SITE_MAP_LIMIT = 80  # actors: beyond this the site-wide map gives way to each actor's own network
LABEL_LINE = 18  # characters: a longer name wraps rather than running into its neighbours


def network_path(id: str) -> str:
    return f"{CHART_DIR}/actors/{id}.vg.json"


SITE_NETWORK = f"{CHART_DIR}/actors.vg.json"


def relation_links(corpus: Corpus, ids: set[str] | None = None) -> list[dict[str, Any]]:
    """Every relation between actors (within ``ids`` if given), as a link from one to the other."""
    links = []
    for entry in sorted(corpus.records["actors"].values(), key=lambda e: e.id):
        for relation in entry.record.relations:
            other = relation.actor
            if other not in corpus.records["actors"] or (ids is not None and not {entry.id, other} <= ids):
                continue
            kind = label("relation", relation.type.value)
            links.append({"source": entry.id, "target": other, "type": kind,
                          "text": f"{entry.record.name}: {kind.lower()} of {corpus.title('actors', other)}"})
    return links


def neighbours(corpus: Corpus) -> dict[str, set[str]]:
    """Each actor's related actors, both ways."""
    return {id: _others(id, links) for id, links in _links_by_actor(corpus, relation_links(corpus)).items()}


def _links_by_actor(corpus: Corpus, links: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each actor's relations, either way, in the order of ``links``."""
    found: dict[str, list[dict[str, Any]]] = {id: [] for id in corpus.records["actors"]}
    for link in links:
        found[link["source"]].append(link)
        if link["target"] != link["source"]:
            found[link["target"]].append(link)
    return found


def _others(id: str, links: list[dict[str, Any]]) -> set[str]:
    return {link["target"] if link["source"] == id else link["source"] for link in links}


def label_lines(name: str) -> list[str]:
    """A node's name on as few lines of at most LABEL_LINE characters as its words allow."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_LINE:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _nodes(corpus: Corpus, ids: list[str], centre: str | None) -> list[dict[str, Any]]:
    """The nodes in ring order: the centre (if any) first, then the others. Their pages are given
    from the site root, the base the charts are loaded with."""
    ring = [id for id in ids if id != centre]
    nodes = []
    for index, id in enumerate(([centre] if centre else []) + ring):
        record = corpus.records["actors"][id].record
        nodes.append({"index": index, "id": id, "name": record.name, "lines": label_lines(record.name),
                      "centre": id == centre, "ring": ring.index(id) if id != centre else -1, "count": len(ring),
                      "category": label("category", record.category.value), "url": f"actors/{id}/"})
    return nodes


def _edges(nodes: list[dict[str, Any]], links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Links between node indices; a second link between the same two actors is marked to be
    drawn as an arc beside the first, so that neither hides the other."""
    index = {node["id"]: node["index"] for node in nodes}
    seen: dict[frozenset[int], int] = {}
    edges = []
    for link in links:
        source, target = index[link["source"]], index[link["target"]]
        pair = frozenset((source, target))
        seen[pair] = seen.get(pair, 0) + 1
        edges.append(dict(link, source=source, target=target, beside=seen[pair] > 1))
    return edges


def _spec(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], height: int, node_data: dict[str, Any],
          ends: dict[str, str],
          node_transform: list[dict[str, Any]], label_encode: dict[str, Any], beside: str) -> dict[str, Any]:
    """What both layouts share: scales, legends, the links, the nodes and their names."""
    types = [label("relation", kind) for kind in RELATION_STYLE]
    line = {"stroke": {"scale": "line", "field": "type"}, "strokeDash": {"scale": "dash", "field": "type"},
            "strokeWidth": {"value": 2}, "tooltip": {"field": "text"}}
    columns = {"signal": "width < 500 ? 2 : 4"}
    return {
        "$schema": VEGA_SCHEMA,
        "description": "Actors and their relations; each relation type has its own line",
        "width": 600, "height": height, "padding": 8, "background": "transparent",
        "autosize": {"type": "pad"},
        "config": {"legend": {"labelFontSize": TEXT_SIZE, "titleFontSize": TEXT_SIZE}},
        "signals": [{"name": "textColor", "value": "#222222"}],
        "data": [node_data, {"name": "links", "values": edges},
                 {"name": "first", "source": "links", "transform": [{"type": "filter", "expr": "!datum.beside"}]},
                 {"name": "beside", "source": "links", "transform": [{"type": "filter", "expr": "datum.beside"}]}],
        "scales": [
            {"name": "line", "type": "ordinal", "domain": types, "range": [s[0] for s in RELATION_STYLE.values()]},
            {"name": "dash", "type": "ordinal", "domain": types, "range": [s[1] for s in RELATION_STYLE.values()]},
            # Every kind of actor in one colour on every page, whichever kinds a map shows.
            {"name": "kind", "type": "ordinal", "domain": list(LABELS["category"].values()), "range": "category"},
        ],
        "legends": [
            {"stroke": "line", "strokeDash": "dash", "title": "Relation", "orient": "bottom",
             "direction": "horizontal", "columns": columns, "symbolType": "stroke", "symbolSize": 300,
             "values": sorted({edge["type"] for edge in edges}, key=types.index)},
            {"fill": "kind", "title": "Actor", "orient": "bottom", "direction": "horizontal", "columns": columns,
             "values": sorted({node["category"] for node in nodes}, key=list(LABELS["category"].values()).index)},
        ],
        "marks": [
            *({"type": "path", "from": {"data": data}, "interactive": True, "description": "Relations",
               "encode": {"update": line},
               "transform": [{"type": "linkpath", "shape": shape, **ends}]}
              for data, shape in (("first", "line"), ("beside", beside))),
            {"name": "node", "type": "symbol", "from": {"data": "nodes"},
             "encode": {"enter": {"fill": {"scale": "kind", "field": "category"}, "stroke": {"value": "#fff"},
                                  "cursor": {"value": "pointer"}, "href": {"field": "url"},
                                  "tooltip": {"signal": "datum.name + ' (' + datum.category + ')'"},
                                  "size": {"signal": "datum.centre ? 500 : 220"},
                                  "description": {"field": "name"}},
                        "update": {"x": {"field": "x"}, "y": {"field": "y"}}},
             "transform": node_transform},
            {"type": "text", "from": {"data": "node"}, "interactive": True,
             "encode": {"update": {"x": {"field": "x"}, "y": {"field": "y"}, "text": {"field": "datum.lines"},
                                   "fontSize": {"value": TEXT_SIZE},
                                   "fontWeight": {"signal": "datum.datum.centre ? 'bold' : 'normal'"},
                                   "fill": {"signal": "textColor"}, "href": {"field": "datum.url"},
                                   "cursor": {"value": "pointer"}, **label_encode}}},
        ],
    }


def ring_network(nodes: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[str, Any]:
    """One actor in the middle, the actors it has relations with on an ellipse around it: the
    positions follow the width the page gives, and each name stands outside its node."""
    position = [
        {"type": "formula", "as": "angle", "expr": "-PI / 2 + 2 * PI * datum.ring / max(1, datum.count)"},
        {"type": "formula", "as": "x",
         "expr": "datum.centre ? width / 2 : width / 2 + max(50, width / 2 - 120) * cos(datum.angle)"},
        {"type": "formula", "as": "y",
         "expr": "datum.centre ? height / 2 : height / 2 + (height / 2 - 50) * sin(datum.angle)"},
    ]
    # A second relation between the same two actors runs beside the first, a few pixels over.
    ends_at = [{"type": "lookup", "from": "nodes", "key": "index", "fields": ["source", "target"], "as": ["s", "t"]},
               {"type": "formula", "as": "length",
                "expr": "max(1, sqrt(pow(datum.t.x - datum.s.x, 2) + pow(datum.t.y - datum.s.y, 2)))"},
               {"type": "formula", "as": "ox",
                "expr": "datum.beside ? -6 * (datum.t.y - datum.s.y) / datum.length : 0"},
               {"type": "formula", "as": "oy",
                "expr": "datum.beside ? 6 * (datum.t.x - datum.s.x) / datum.length : 0"},
               *({"type": "formula", "as": name, "expr": expr} for name, expr in (
                   ("sx", "datum.s.x + datum.ox"), ("sy", "datum.s.y + datum.oy"),
                   ("tx", "datum.t.x + datum.ox"), ("ty", "datum.t.y + datum.oy")))]
    ends = {"sourceX": "datum.sx", "sourceY": "datum.sy", "targetX": "datum.tx", "targetY": "datum.ty"}
    outward = {"dx": {"signal": "datum.datum.centre ? 0 : 16 * cos(datum.datum.angle)"},
               "dy": {"signal": "datum.datum.centre ? 16 : 16 * sin(datum.datum.angle)"},
               "align": {"signal": "datum.datum.centre ? 'center' : cos(datum.datum.angle) > 0.3 ? 'left'"
                                   " : cos(datum.datum.angle) < -0.3 ? 'right' : 'center'"},
               "baseline": {"signal": "datum.datum.centre || sin(datum.datum.angle) > 0.3 ? 'top'"
                                      " : sin(datum.datum.angle) < -0.3 ? 'bottom' : 'middle'"}}
    spec = _spec(nodes, _edges(nodes, links), 240 + 24 * min(len(nodes), 16),
                 {"name": "nodes", "values": nodes, "transform": position}, ends, [], outward, beside="line")
    spec["data"][1]["transform"] = ends_at
    return spec


def force_network(nodes: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[str, Any]:
    """Every actor with a relation, placed by a force simulation run to its end before drawing."""
    force = {"type": "force", "iterations": 400, "static": True, "signal": "force",
             "forces": [{"force": "center", "x": {"signal": "width / 2"}, "y": {"signal": "height / 2"}},
                        {"force": "collide", "radius": 46}, {"force": "nbody", "strength": -700},
                        {"force": "link", "links": "links", "distance": 150},
                        # held towards the middle, so that no actor drifts out of the view
                        {"force": "x", "x": "datum.cx", "strength": 0.05},
                        {"force": "y", "y": "datum.cy", "strength": 0.12}]}
    ends = {"sourceX": "datum.source.x", "sourceY": "datum.source.y",
            "targetX": "datum.target.x", "targetY": "datum.target.y"}
    below = {"dy": {"value": 16}, "align": {"value": "center"}, "baseline": {"value": "top"}}
    middle = [{"type": "formula", "as": "cx", "expr": "width / 2"},
              {"type": "formula", "as": "cy", "expr": "height / 2"}]
    spec = _spec(nodes, _edges(nodes, links), 420 + 8 * len(nodes),
                 {"name": "nodes", "values": nodes, "transform": middle},
                 ends, [force], below, beside="curve")
    for mark in spec["marks"][:2]:  # the links wait for the simulation that places their ends
        mark["transform"][0]["require"] = {"signal": "force"}
    del spec["marks"][2]["encode"]["update"]  # the simulation sets x and y
    return spec


def _by_name(corpus: Corpus) -> Callable[[str], tuple[str, str]]:
    """Actors by name, and two of one name by id: a set's order changes from one process to the next."""
    return lambda id: (corpus.title("actors", id).casefold(), id)


def actor_network(corpus: Corpus, entry: Entry, own: list[dict[str, Any]]) -> dict[str, Any]:
    """One actor, the actors it has relations with (ring-ordered by name), and those relations only."""
    ids = sorted(_others(entry.id, own), key=_by_name(corpus))
    nodes = _nodes(corpus, [entry.id, *ids], entry.id)
    # Drawn again only when the actor, its relations or its neighbours' names change (a live preview).
    return derived(entry, "network", partial(ring_network, nodes, own), inputs=(nodes, own))


def site_network(corpus: Corpus, links: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Every actor with a relation, and every relation; None beyond what a screen can show."""
    ids = sorted({link["source"] for link in links} | {link["target"] for link in links}, key=_by_name(corpus))
    if not ids or len(ids) > SITE_MAP_LIMIT:
        return None
    return force_network(_nodes(corpus, ids, None), links)


def network_specs(corpus: Corpus) -> dict[str, dict[str, Any] | None]:
    """Site path → spec of each relationship map: the site's, and each related actor's own."""
    links = relation_links(corpus)  # once: every actor's map is drawn from its share of them
    specs: dict[str, dict[str, Any] | None] = {SITE_NETWORK: site_network(corpus, links)}
    for id, own in _links_by_actor(corpus, links).items():
        if own:
            specs[network_path(id)] = actor_network(corpus, corpus.records["actors"][id], own)
    return specs
