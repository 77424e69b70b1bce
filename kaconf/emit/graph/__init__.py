"""A picture of the cluster: directors, VRRP instances and VIPs, virtual and real servers, and
where the cluster findings are, as a rich tree, a mermaid flowchart or Graphviz DOT.

    Report ─build_graph─▶ Graph ─to_text_tree | to_mermaid | to_dot─▶ text ─run_dot─▶ SVG

`build_graph` is the only part that looks at the model and the diagnostics; the renderers
only format a Graph, so each output is a pure function of it.
"""
from __future__ import annotations

from kaconf.emit.graph.files import output_format, write_new, write_replacing
from kaconf.emit.graph.model import (
    FORMATS,
    Director,
    Graph,
    GraphError,
    InstanceNode,
    Mark,
    RealNode,
    VipGroup,
    VirtualNode,
    build_graph,
)
from kaconf.emit.graph.render import (
    dot_string,
    mermaid_label,
    render,
    render_file,
    run_dot,
    to_dot,
    to_mermaid,
    to_text,
    to_text_tree,
    write_graph,
)

__all__ = ["FORMATS", "Director", "Graph", "GraphError", "InstanceNode", "Mark", "RealNode",
           "VipGroup", "VirtualNode", "build_graph", "dot_string", "mermaid_label",
           "output_format", "render", "render_file", "run_dot", "to_dot", "to_mermaid",
           "to_text", "to_text_tree", "write_graph", "write_new", "write_replacing"]
