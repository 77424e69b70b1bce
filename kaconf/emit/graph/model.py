"""The picture's content: directors, instances, VIP groups, virtual and real servers, and the
findings marked on them, built from a lint Report. Renderers only format this."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kaconf.diagnostics import Diagnostic
from kaconf.document import Report
from kaconf.model import RealServer, VirtualServer, VrrpInstance, effective
from kaconf.tree import Node

if TYPE_CHECKING:
    from kaconf.document import Document

FORMATS = ("text", "mermaid", "dot", "svg", "png")
CLUSTER_PREFIX = "KA5"              # MASTER/BACKUP findings: the ones the picture is about
DOT_MISSING = "graph --format svg needs Graphviz's 'dot' (apt-get install graphviz)"



SIGNS = {"error": "✖", "warning": "⚠", "info": "ℹ"}   # noqa: RUF001 - the info sign


class GraphError(Exception):
    """Something that stops a picture from being drawn or written: one line for the user."""


# ── the graph description ──────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Mark:
    """A cluster finding drawn on the node it points at."""

    code: str
    name: str
    message: str
    where: str                      # file:line:col
    severity: str = "error"

    @property
    def tag(self) -> str:
        """The mark drawn on the node: its severity's sign, code and name."""
        return f"{SIGNS.get(self.severity, '⚠')} {self.code} {self.name}"


@dataclass(frozen=True)
class RealNode:
    id: str
    endpoint: str                   # address:port
    weight: str
    checkers: tuple[str, ...]
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class VirtualNode:
    id: str
    endpoint: str                   # address:port, fwmark N or group NAME
    protocol: str
    sched: str
    method: str
    reals: tuple[RealNode, ...]
    marks: tuple[Mark, ...]
    on_instance: str | None         # the instance whose VIP this service listens on


@dataclass(frozen=True)
class InstanceNode:
    id: str
    name: str
    state: str                      # MASTER, BACKUP or ? when missing
    priority: int                   # effective: keepalived's default when not written
    priority_written: bool
    vrid: int | None
    interface: str | None
    vips: tuple[str, ...]
    marks: tuple[Mark, ...]
    director: str                   # the director's title

    @property
    def is_master(self) -> bool:
        return self.state == "MASTER"


@dataclass(frozen=True)
class Director:
    id: str
    title: str                      # router_id, config id or file name
    file: str                       # file, or file@config-id when one file is read several times
    address: str | None             # the VRRP source address, when written
    instances: tuple[InstanceNode, ...]
    virtual_servers: tuple[VirtualNode, ...]
    marks: tuple[Mark, ...]         # findings on the director but on none of its blocks
    problems: tuple[tuple[str, int], ...]   # its findings, marked or not: (severity, count)


@dataclass(frozen=True)
class VipGroup:
    """One VRRP instance across the directors (an InstanceSet): the VIPs that float."""

    id: str
    name: str
    vrid: int | None
    vips: tuple[str, ...]
    instances: tuple[InstanceNode, ...]

    @property
    def marked(self) -> bool:
        return any(i.marks for i in self.instances)


@dataclass(frozen=True)
class Graph:
    directors: tuple[Director, ...]
    groups: tuple[VipGroup, ...]
    findings: tuple[Mark, ...]


# ── building it from a lint report ─────────────────────────────────────────────────────────

def build_graph(report: Report) -> Graph:
    """The picture of every director of a lint report (documents and cluster peers)."""
    docs = _documents(report)
    cluster_diags = [d for d in report.diagnostics if d.code.startswith(CLUSTER_PREFIX)]
    other = [d for d in report.diagnostics if not d.code.startswith(CLUSTER_PREFIX)]
    directors: list[Director] = []
    by_model: dict[int, InstanceNode] = {}
    for n, doc in enumerate(docs, start=1):
        director = _director(f"d{n}", doc, docs, cluster_diags, other)
        directors.append(director)
        for inst, node in zip(doc.config.vrrp_instances, director.instances):
            by_model[id(inst)] = node
    groups = _groups(report, docs, by_model)
    return Graph(tuple(directors), groups, tuple(_mark(d) for d in cluster_diags))


def _documents(report: Report) -> list[Document]:
    """The linted documents, then the peers that only the settings' cluster groups brought."""
    docs = list(report.documents)
    seen = {id(d) for d in docs}
    for cluster in report.clusters:
        for member in cluster.members:
            if id(member.doc) not in seen:
                seen.add(id(member.doc))
                docs.append(member.doc)
    return docs


def _director(did: str, doc: Document, docs: list[Document], cluster_diags: list[Diagnostic],
              other: list[Diagnostic]) -> Director:
    config = doc.config
    shared = sum(1 for d in docs if d.path == doc.path) > 1
    keys = _keys(doc.tree)
    mine = [d for d in cluster_diags if _belongs(d, doc, keys, shared)]
    placed: set[int] = set()

    def marks_for(model: VrrpInstance | VirtualServer | RealServer) -> tuple[Mark, ...]:
        inside = _keys(model.node) if model.node is not None else {model.span.key()}
        found = [d for d in mine if d.span.key() in inside and id(d) not in placed]
        placed.update(id(d) for d in found)
        return tuple(_mark(d) for d in found)

    title = _title(doc, shared)
    # innermost first, so a finding on a real server is not also claimed by its service
    vss = [(vs, [(f"{did}_vs{v}_rs{r}", rs, marks_for(rs))
                 for r, rs in enumerate(vs.real_servers, start=1)])
           for v, vs in enumerate(config.virtual_servers, start=1)]
    instances = tuple(_instance(f"{did}_i{n}", inst, marks_for(inst), title)
                      for n, inst in enumerate(config.vrrp_instances, start=1))
    services = tuple(_virtual(f"{did}_vs{v}", vs, reals, marks_for(vs), instances)
                     for v, (vs, reals) in enumerate(vss, start=1))
    # every finding of this director, the marked cluster findings included, by severity
    counts = {sev: sum(1 for d in other if d.severity.value == sev and
                       _belongs(d, doc, keys, shared)) +
              sum(1 for d in mine if d.severity.value == sev) for sev in ("error", "warning")}
    return Director(did, title, _file_label(doc, shared), _address(config.vrrp_instances),
                    instances, services, tuple(_mark(d) for d in mine if id(d) not in placed),
                    tuple((sev, n) for sev, n in counts.items() if n))


def _keys(node: Node) -> set[tuple[str, int, int]]:
    """Every position a node and its block were written at: how a diagnostic finds its node
    even when one file is read for several config ids (each reads other `@` lines)."""
    out = {node.span.key(), *(w.span.key() for w in node.args)}
    for child in node.children:
        out |= _keys(child)
    return out


def _belongs(d: Diagnostic, doc: Document, keys: set[tuple[str, int, int]], shared: bool) -> bool:
    return d.span.key() in keys or (not shared and d.span.file in doc.sources)


def _title(doc: Document, shared: bool) -> str:
    gd = doc.config.global_defs
    if gd is not None and gd.router_id and not shared:
        return str(gd.router_id)
    return doc.config_id if shared else os.path.basename(doc.path)


def _file_label(doc: Document, shared: bool) -> str:
    return f"{doc.path}@{doc.config_id}" if shared else doc.path


def _address(instances: Iterable[VrrpInstance]) -> str | None:
    return next((a for i in instances for a in (i.unicast_src_ip, i.mcast_src_ip) if a), None)


def _instance(iid: str, inst: VrrpInstance, marks: tuple[Mark, ...], director: str) -> InstanceNode:
    return InstanceNode(iid, inst.name, inst.state or "?", effective.priority(inst).value,
                        inst.priority is not None, inst.virtual_router_id, inst.interface,
                        tuple(v.text for v in inst.virtual_ipaddress), marks, director)


def _virtual(vid: str, vs: VirtualServer, reals: list[tuple[str, RealServer, tuple[Mark, ...]]],
             marks: tuple[Mark, ...], instances: tuple[InstanceNode, ...]) -> VirtualNode:
    on = next((i.id for i in instances
               if vs.address and any(v.split("/")[0] == vs.address for v in i.vips)), None)
    proto = "" if vs.fwmark is not None else effective.protocol(vs).value
    return VirtualNode(vid, vs.label, proto, effective.lvs_sched(vs).value,
                       effective.lvs_method(vs).value, tuple(_real(vs, *r) for r in reals),
                       marks, on)


def _real(vs: VirtualServer, rid: str, rs: RealServer, marks: tuple[Mark, ...]) -> RealNode:
    endpoint = rs.address if rs.port is None else f"{rs.address}:{rs.port}"
    found = effective.weight(vs, rs)
    weight = f"weight {found.value}" + (" (default)" if found.is_default else "")
    return RealNode(rid, endpoint, weight, tuple(c.type for c in rs.checkers), marks)


def _groups(report: Report, docs: list[Document],
            by_model: dict[int, InstanceNode]) -> tuple[VipGroup, ...]:
    """One group per InstanceSet of the clusters, then one per instance matched nowhere."""
    sets: list[list[VrrpInstance]] = [[inst for _, inst in s.entries]
                                      for c in report.clusters for s in c.instance_sets]
    grouped = {id(i) for s in sets for i in s}
    sets += [[inst] for doc in docs for inst in doc.config.vrrp_instances
             if id(inst) not in grouped]
    out = []
    for n, members in enumerate(sets, start=1):
        nodes = tuple(by_model[id(i)] for i in members if id(i) in by_model)
        if not nodes:
            continue
        ref = next((i for i in nodes if i.is_master), nodes[0])
        vips = tuple(dict.fromkeys(v for i in nodes for v in i.vips))
        out.append(VipGroup(f"vip{n}", ref.name, ref.vrid, vips, nodes))
    return tuple(out)


def _mark(d: Diagnostic) -> Mark:
    return Mark(d.code, d.name, d.message, f"{d.span.file}:{d.span.line}:{d.span.column}",
                d.severity.value)


# ── labels shared by the renderers ─────────────────────────────────────────────────────────
