"""The network of studies and the factor concepts they report, filterable by dimension, laid out on the server.

The layout is two columns, studies (by place, then year) on the left and concepts (by dimension, then label) on the
right, so the same data reads the same way with or without JavaScript; ``/network.json`` serves it with the
coordinates for the script that redraws it when the filter changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from api.pages.landing import studies
from api.pages.links import href, local_key
from kg import queries
from kg.store import Store

WIDTH = 960
ROW = 24
TOP = 28
LEFT_X = 300
RIGHT_X = 660


@dataclass
class Node:
    """A study or concept node with its position."""

    id: str
    kind: str  # "study" or "concept"
    label: str
    href: str
    group: str  # study: its place key; concept: its main dimension key
    detail: str
    x: float = 0.0
    y: float = 0.0
    degree: int = 0


@dataclass
class Link:
    """A study reports a concept: with which mentions, in which dimensions and roles."""

    source: str
    target: str
    dimension: str  # key of the dimension most of its mentions are in
    roles: list[str]
    mentions: list[str]
    path: str = ""


@dataclass
class Network:
    """The laid-out graph, and the dimensions it can be filtered by."""

    dimension: str | None
    dimensions: list[dict[str, str]]
    nodes: list[Node]
    links: list[Link]
    width: int = WIDTH
    height: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON form served at ``/network.json``."""
        return {"dimension": self.dimension, "dimensions": self.dimensions, "width": self.width,
                "height": self.height, "nodes": [asdict(n) for n in self.nodes],
                "links": [asdict(link) for link in self.links]}


class UnknownDimension(ValueError):
    """The filter names no dimension of the KG."""


def network(store: Store, dimension: str | None = None, root: str = "") -> Network:
    """Studies and concepts linked by the mentions in ``dimension`` (a key such as ``information``, or all); node
    links are under ``root``, the app's root path."""
    dims = queries.select(store, "dimensions")
    dim_keys = [local_key(d["dimension"]) for d in dims]
    if dimension and dimension not in dim_keys:
        raise UnknownDimension(dimension)
    concept_labels = {r["concept"]: r["label"] for r in queries.select(store, "concept_labels")}
    by_study = {s.iri: s for s in studies(store)}
    edges: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in queries.select(store, "pages_network"):
        if dimension and local_key(r["dimension"]) != dimension:
            continue
        edges.setdefault((r["study"], r["concept"]), []).append(r)
    links: list[Link] = []
    concept_dims: dict[str, Counter[str]] = {}
    for (study, concept), rows in edges.items():
        dim = Counter(local_key(r["dimension"]) for r in rows).most_common(1)[0][0]
        roles = sorted({local_key(r["role"]) for r in rows})
        links.append(Link(study, concept, dim, roles, sorted({r["mention"] for r in rows})))
        concept_dims.setdefault(concept, Counter()).update(local_key(r["dimension"]) for r in rows)
    study_nodes = []
    for iri in {link.source for link in links}:
        s = by_study[iri]
        place = local_key(s.place) if s.place else "unknown"
        study_nodes.append(Node(iri, "study", s.label, root + href(iri), place,
                                ", ".join(str(x) for x in (s.place_label, s.year) if x)))
    study_nodes.sort(key=lambda n: (n.group, by_study[n.id].year or 0, n.label))
    concept_nodes = []
    for iri, counts in concept_dims.items():
        main = min(counts, key=lambda k: (-counts[k], dim_keys.index(k)))
        concept_nodes.append(Node(iri, "concept", concept_labels.get(iri, local_key(iri)), root + href(iri), main,
                                  dims[dim_keys.index(main)]["label"]))
    concept_nodes.sort(key=lambda n: (dim_keys.index(n.group), n.label.lower()))
    height = TOP * 2 + ROW * max(len(study_nodes), len(concept_nodes), 1)
    for column, x in ((study_nodes, LEFT_X), (concept_nodes, RIGHT_X)):
        step = (height - 2 * TOP) / max(len(column), 1)
        for i, n in enumerate(column):
            n.x, n.y = x, round(TOP + step * (i + 0.5), 1)
    pos = {n.id: n for n in study_nodes + concept_nodes}
    for link in links:
        a, b = pos[link.source], pos[link.target]
        a.degree += 1
        b.degree += 1
        mid = (a.x + b.x) / 2
        link.path = f"M{a.x},{a.y} C{mid},{a.y} {mid},{b.y} {b.x},{b.y}"
    links.sort(key=lambda link: (link.source, link.target))
    rows = [{"study": n, "concepts": sorted((pos[link.target] for link in links if link.source == n.id),
                                            key=lambda c: c.label.lower())} for n in study_nodes]
    return Network(dimension, [{"key": local_key(d["dimension"]), "label": d["label"]} for d in dims],
                   study_nodes + concept_nodes, links, WIDTH, height, rows)
