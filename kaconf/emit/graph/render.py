"""Formatting a Graph: a rich tree for the terminal, a mermaid flowchart, Graphviz DOT, and
SVG through Graphviz's `dot`."""
from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable, Iterable
from typing import TextIO

from rich.text import Text
from rich.tree import Tree

from kaconf.emit.graph.model import (
    DOT_MISSING,
    Director,
    Graph,
    GraphError,
    InstanceNode,
    Mark,
    RealNode,
    VipGroup,
    VirtualNode,
)


def _lines_director(d: Director) -> list[str]:
    head = d.title + (f" · {d.address}" if d.address else "")
    out = [head, d.file]
    if d.problems:
        out.append(" · ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in d.problems))
    return out + [m.tag for m in d.marks]


def _lines_instance(i: InstanceNode) -> list[str]:
    prio = f"priority {i.priority}" + ("" if i.priority_written else " (default)")
    where = " · ".join(x for x in (i.interface, f"vrid {i.vrid}" if i.vrid is not None else "")
                       if x)
    return [f"vrrp_instance {i.name}", f"{i.state} · {prio}"] + ([where] if where else []) + \
        [m.tag for m in i.marks]


def _lines_group(g: VipGroup) -> list[str]:
    head = "VIP " + ", ".join(g.vips) if g.vips else "no VIP"
    return [head, g.name + (f" · vrid {g.vrid}" if g.vrid is not None else "")]


def _lines_virtual(v: VirtualNode) -> list[str]:
    return [f"virtual_server {v.endpoint} {v.protocol}", f"{v.sched} · {v.method}"] + \
        [m.tag for m in v.marks]


def _lines_real(r: RealNode) -> list[str]:
    checks = " ".join(r.checkers) or "no checker"
    return [f"real_server {r.endpoint}", f"{r.weight} · {checks}"] + [m.tag for m in r.marks]


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
            node.add(Text(label + "".join(f" {m.tag}" for m in i.marks), style=style))
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
    return run_dot_bytes(dot_text, fmt).decode("utf-8", errors="replace")


def run_dot_bytes(dot_text: str, fmt: str) -> bytes:
    """`dot -T<fmt>` for a binary format (png) as well as a text one."""
    from kaconf.secrets import escape_controls

    exe = shutil.which("dot")
    if exe is None:
        raise GraphError(DOT_MISSING.replace("svg", fmt))
    try:
        # bytes of a config that were not UTF-8 (kept as surrogates) go to dot escaped
        shown = escape_controls(dot_text, keep="\n\t")
        done = subprocess.run([exe, f"-T{fmt}"], input=shown.encode("utf-8"),
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GraphError(f"graph: running {exe} failed: {exc}") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GraphError(f"graph: dot failed: {why[0] if why else f'exit {done.returncode}'}")
    return bytes(done.stdout)


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


def render_file(graph: Graph, fmt: str) -> str | bytes:
    """What `graph -o FILE` writes: bytes for png (through Graphviz), else the text."""
    return run_dot_bytes(to_dot(graph), "png") if fmt == "png" else render(graph, fmt)


def render(graph: Graph, fmt: str) -> str:
    """The output as a string, as it would go to a file (never coloured)."""
    buf = io.StringIO()
    write_graph(graph, fmt, buf)
    return buf.getvalue()

