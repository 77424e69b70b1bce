"""A picture of the cluster: directors, VRRP instances and VIPs, virtual and real servers, and
where the cluster findings are, as a rich tree, a mermaid flowchart or Graphviz DOT.

    Report ─build_graph─▶ Graph ─to_text_tree | to_mermaid | to_dot─▶ text ─run_dot─▶ SVG

`build_graph` is the only part that looks at the model and the diagnostics; the renderers
only format a Graph, so each output is a pure function of it.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich.text import Text
from rich.tree import Tree

from kaconf.diagnostics import Diagnostic
from kaconf.model import RealServer, VirtualServer, VrrpInstance
from kaconf.report import Report
from kaconf.tree import Node

if TYPE_CHECKING:
    from kaconf.api import Document

FORMATS = ("text", "mermaid", "dot", "svg")
CLUSTER_PREFIX = "KA5"              # MASTER/BACKUP findings: the ones the picture is about
DOT_MISSING = "graph --format svg needs Graphviz's 'dot' (apt-get install graphviz)"


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

    @property
    def tag(self) -> str:
        return f"{self.code} {self.name}"


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
    problems: tuple[tuple[str, int], ...]   # other lint findings: (severity, count)


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
    counts = {sev: sum(1 for d in other if d.severity.value == sev and
                       _belongs(d, doc, keys, shared)) for sev in ("error", "warning")}
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
    return InstanceNode(iid, inst.name, inst.state or "?", inst.effective_priority,
                        inst.priority is not None, inst.virtual_router_id, inst.interface,
                        tuple(v.text for v in inst.virtual_ipaddress), marks, director)


def _virtual(vid: str, vs: VirtualServer, reals: list[tuple[str, RealServer, tuple[Mark, ...]]],
             marks: tuple[Mark, ...], instances: tuple[InstanceNode, ...]) -> VirtualNode:
    on = next((i.id for i in instances
               if vs.address and any(v.split("/")[0] == vs.address for v in i.vips)), None)
    return VirtualNode(vid, vs.label, vs.protocol or "TCP", vs.lvs_sched or "?",
                       vs.lvs_method or "NAT", tuple(_real(*r) for r in reals), marks, on)


def _real(rid: str, rs: RealServer, marks: tuple[Mark, ...]) -> RealNode:
    endpoint = rs.address if rs.port is None else f"{rs.address}:{rs.port}"
    weight = f"weight {rs.weight}" if rs.weight is not None else "weight 1 (default)"
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
    return Mark(d.code, d.name, d.message, f"{d.span.file}:{d.span.line}:{d.span.column}")


# ── labels shared by the renderers ─────────────────────────────────────────────────────────

def _lines_director(d: Director) -> list[str]:
    head = d.title + (f" · {d.address}" if d.address else "")
    out = [head, d.file]
    if d.problems:
        out.append(" · ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in d.problems))
    return out + [f"⚠ {m.tag}" for m in d.marks]


def _lines_instance(i: InstanceNode) -> list[str]:
    prio = f"priority {i.priority}" + ("" if i.priority_written else " (default)")
    where = " · ".join(x for x in (i.interface, f"vrid {i.vrid}" if i.vrid is not None else "")
                       if x)
    return [f"vrrp_instance {i.name}", f"{i.state} · {prio}"] + ([where] if where else []) + \
        [f"⚠ {m.tag}" for m in i.marks]


def _lines_group(g: VipGroup) -> list[str]:
    head = "VIP " + ", ".join(g.vips) if g.vips else "no VIP"
    return [head, g.name + (f" · vrid {g.vrid}" if g.vrid is not None else "")]


def _lines_virtual(v: VirtualNode) -> list[str]:
    return [f"virtual_server {v.endpoint} {v.protocol}", f"{v.sched} · {v.method}"] + \
        [f"⚠ {m.tag}" for m in v.marks]


def _lines_real(r: RealNode) -> list[str]:
    checks = " ".join(r.checkers) or "no checker"
    return [f"real_server {r.endpoint}", f"{r.weight} · {checks}"] + [f"⚠ {m.tag}" for m in r.marks]


def _holder(i: InstanceNode) -> str:
    return f"{i.state} {i.priority}"


# ── text: a rich tree ──────────────────────────────────────────────────────────────────────

def to_text_tree(graph: Graph) -> Tree:
    n = len(graph.findings)
    root = Tree(Text(f"{len(graph.directors)} director{'s' if len(graph.directors) != 1 else ''}"
                     f", {n} cluster finding{'s' if n != 1 else ''}", style="bold"))
    for d in graph.directors:
        node = root.add(_styled(f"director {' · '.join(_lines_director(d))}", bool(d.marks)))
        for i in d.instances:
            label = " · ".join(_lines_instance(i)[:3] + [", ".join(i.vips) or "no VIP"])
            style = "bold red" if i.marks else "bold green" if i.is_master else ""
            node.add(Text(label + "".join(f" ⚠ {m.tag}" for m in i.marks), style=style))
        for v in d.virtual_servers:
            vs = node.add(_styled(" · ".join(_lines_virtual(v)), bool(v.marks)))
            for r in v.reals:
                vs.add(_styled(" · ".join(_lines_real(r)), bool(r.marks)))
    for g in graph.groups:
        held = ", ".join(f"{i.director} {_holder(i)}" for i in g.instances)
        root.add(_styled(f"{' · '.join(_lines_group(g))}: {held}", g.marked))
    if graph.findings:
        found = root.add(Text("cluster findings", style="bold red"))
        for m in graph.findings:
            found.add(Text(f"{m.where}: {m.code} {m.message}", style="red"))
    return root


def _styled(text: str, marked: bool) -> Text:
    return Text(text, style="bold red" if marked else "")


def to_text(graph: Graph, out: TextIO) -> None:
    """The tree on `out`; colour only when `out` is a terminal (rich decides)."""
    from rich.console import Console

    tty = hasattr(out, "isatty") and out.isatty()
    Console(file=out, width=None if tty else 10_000, highlight=False).print(to_text_tree(graph))


# ── mermaid ────────────────────────────────────────────────────────────────────────────────

MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;",
                    "|": "#124;", "`": "#96;"}


def mermaid_label(lines: Iterable[str]) -> str:
    """A quoted mermaid label: entity codes for what would end or confuse it, <br/> between
    lines (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters)."""
    esc = ("".join(MERMAID_ENTITIES.get(c, c) for c in line) for line in lines)
    return '"' + "<br/>".join(esc) + '"'


def to_mermaid(graph: Graph) -> str:
    nodes = ["flowchart TB"]
    links: list[str] = []
    red: list[int] = []                 # linkStyle counts links in the order they are written
    styled: dict[str, list[str]] = {"master": [], "finding": [], "vip": [], "vipfinding": []}
    for g in graph.groups:
        nodes.append(f"    {g.id}([{mermaid_label(_lines_group(g))}])")
        styled["vipfinding" if g.marked else "vip"].append(g.id)
    for d in graph.directors:
        nodes.append(f"    subgraph {d.id}[{mermaid_label(_lines_director(d))}]")
        for i in d.instances:
            nodes.append(f"        {i.id}[{mermaid_label(_lines_instance(i))}]")
            if i.marks or i.is_master:
                styled["finding" if i.marks else "master"].append(i.id)
        for v in d.virtual_servers:
            nodes.append(f"        {v.id}[{mermaid_label(_lines_virtual(v))}]")
            nodes += [f"        {r.id}[{mermaid_label(_lines_real(r))}]" for r in v.reals]
            links += [f"    {v.on_instance} -.- {v.id}"] if v.on_instance else []
            links += [f"    {v.id} --> {r.id}" for r in v.reals]
            styled["finding"] += [v.id] * bool(v.marks) + [r.id for r in v.reals if r.marks]
        nodes.append("    end")
    for g in graph.groups:
        for i in g.instances:
            arrow = "==>" if i.is_master else "-.->"
            if i.marks:
                red.append(len(links))
            links.append(f"    {g.id} {arrow}|{mermaid_label([_holder(i)])}| {i.id}")
    styles = [
        "    classDef master fill:#d4edda,stroke:#2e7d32,stroke-width:3px",
        "    classDef finding fill:#f8d7da,stroke:#c62828,stroke-width:3px",
        "    classDef vip fill:#fff3cd,stroke:#b8860b",
        "    classDef vipfinding fill:#fff3cd,stroke:#c62828,stroke-width:3px",
    ]
    styles += [f"    class {','.join(ids)} {name}" for name, ids in styled.items() if ids]
    if red:
        styles.append(f"    linkStyle {','.join(map(str, red))} stroke:#c62828,stroke-width:3px")
    return "\n".join(nodes + links + styles) + "\n"


# ── Graphviz DOT ───────────────────────────────────────────────────────────────────────────

def dot_string(lines: Iterable[str]) -> str:
    """A quoted DOT string: backslashes and quotes escaped, then `\\n` between lines
    (https://graphviz.org/doc/info/lang.html, 'escString')."""
    esc = (line.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") for line in lines)
    return '"' + "\\n".join(esc) + '"'


def _attrs(**attrs: str) -> str:
    return "[" + ", ".join(f"{k}={v}" for k, v in attrs.items()) + "]"


def _dot_node(nid: str, lines: list[str], marks: tuple[Mark, ...], **attrs: str) -> str:
    if marks:
        attrs.update(fillcolor='"#f8d7da"', color='"#c62828"', penwidth="2.5",
                     tooltip=dot_string(f"{m.code} {m.message}" for m in marks))
    return f"{nid} {_attrs(label=dot_string(lines), **attrs)};"


def to_dot(graph: Graph) -> str:
    out = ["digraph kaconf {",
           ('    graph [rankdir=TB, bgcolor="white", fontname="Helvetica", nodesep=0.35, '
            'ranksep=0.55];'),
           ('    node [shape=box, style="rounded,filled", fillcolor="white", '
            'fontname="Helvetica", fontsize=10];'),
           '    edge [fontname="Helvetica", fontsize=9, color="#546e7a"];']
    for g in graph.groups:
        out.append("    " + _dot_node(g.id, _lines_group(g), (), shape="ellipse",
                                      fillcolor='"#fff3cd"',
                                      color='"#c62828"' if g.marked else '"#b8860b"',
                                      penwidth="2.5" if g.marked else "1"))
    for d in graph.directors:
        out += _dot_director(d)
    for g in graph.groups:
        for i in g.instances:
            style = ({"penwidth": "3", "color": '"#2e7d32"'} if i.is_master
                     else {"style": "dashed"})
            if i.marks:
                style.update(color='"#c62828"', penwidth="3")
            out.append(f"    {g.id} -> {i.id} {_attrs(label=dot_string([_holder(i)]), **style)};")
    return "\n".join(out + ["}"]) + "\n"


def _dot_director(d: Director) -> list[str]:
    out = [f"    subgraph cluster_{d.id} {{",
           f"        label={dot_string(_lines_director(d))};",
           '        style="rounded"; color="#c62828"; penwidth=2.5;' if d.marks else
           '        style="rounded"; color="#78909c";']
    for i in d.instances:
        extra = ({"fillcolor": '"#d4edda"', "color": '"#2e7d32"', "penwidth": "2"}
                 if i.is_master else {})
        out.append("        " + _dot_node(i.id, _lines_instance(i), i.marks, **extra))
    for v in d.virtual_servers:
        out.append("        " + _dot_node(v.id, _lines_virtual(v), v.marks, fillcolor='"#e3f2fd"'))
        if v.on_instance:
            out.append(f"        {v.on_instance} -> {v.id} [style=dotted, arrowhead=none];")
        for r in v.reals:
            out.append("        " + _dot_node(r.id, _lines_real(r), r.marks))
            out.append(f"        {v.id} -> {r.id};")
    return out + ["    }"]


# ── running Graphviz, writing the result ───────────────────────────────────────────────────

def run_dot(dot_text: str, fmt: str = "svg") -> str:
    """Graphviz's `dot -T<fmt>` on `dot_text`. Raises GraphError when dot is missing or fails."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphError(DOT_MISSING)
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=dot_text, capture_output=True,
                              text=True, encoding="utf-8", timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GraphError(f"graph: running {exe} failed: {exc}") from None
    if done.returncode != 0:
        why = done.stderr.strip().splitlines()
        raise GraphError(f"graph: dot failed: {why[0] if why else f'exit {done.returncode}'}")
    return done.stdout


RENDERERS: dict[str, Callable[[Graph], str]] = {
    "mermaid": to_mermaid,
    "dot": to_dot,
    "svg": lambda g: run_dot(to_dot(g)),
}


def write_graph(graph: Graph, fmt: str, out: TextIO) -> None:
    """Render `graph` in `fmt` (one of FORMATS) on `out`."""
    if fmt == "text":
        to_text(graph, out)
    else:
        out.write(RENDERERS[fmt](graph))


def render(graph: Graph, fmt: str) -> str:
    """The output as a string, as it would go to a file (never coloured)."""
    buf = io.StringIO()
    write_graph(graph, fmt, buf)
    return buf.getvalue()


def write_new(path: str | os.PathLike[str], text: str) -> None:
    """Create `path` with `text`, atomically, and never over an existing file: the text goes to a
    temporary file in the same folder, which is then hard-linked into place (link fails if
    the name exists). Raises GraphError."""
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise GraphError(f"{path}: already exists; add --force to overwrite it")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".kaconf-tmp")
    except OSError as exc:
        raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        _link_into_place(tmp, target)
    except FileExistsError:
        raise GraphError(f"{path}: already exists; add --force to overwrite it") from None
    except OSError as exc:
        raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _link_into_place(tmp: str, target: Path) -> None:
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: a rename, after the check above
        os.replace(tmp, target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_replacing(path: str | os.PathLike[str], text: str) -> None:
    """Write `path` atomically whether or not it exists (`--force`). Raises GraphError."""
    from kaconf.fileio import write_atomic

    if not os.path.exists(path):
        write_new(path, text)
        return
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None


__all__ = ["FORMATS", "Director", "Graph", "GraphError", "InstanceNode", "Mark", "RealNode",
           "VipGroup", "VirtualNode", "build_graph", "dot_string", "mermaid_label", "render",
           "run_dot", "to_dot", "to_mermaid", "to_text", "to_text_tree", "write_graph",
           "write_new", "write_replacing"]
