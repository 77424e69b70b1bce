"""`kaconf dump`: the syntax tree (or the typed model) as JSON, every node with its span."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kaconf.tree import Node

if TYPE_CHECKING:
    from kaconf.api import Document


def node_dict(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {
        "keyword": node.keyword,
        "kind": node.kind,
        "span": node.span.as_dict(),
        "args": [{"value": w.value, "quoted": w.quoted, "span": w.span.as_dict()}
                 for w in node.args],
    }
    if node.skipped:
        out["skipped"] = node.skipped
    if node.is_block or node.children:
        out["block"] = [node_dict(c) for c in node.children]
        if node.open_span:
            out["open"] = node.open_span.as_dict()
        if node.close_span:
            out["close"] = node.close_span.as_dict()
    return out


def dump_dict(doc: Document, typed: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file": doc.path,
        "config_id": doc.config_id,
        "target_version": doc.target,
        "files": sorted(doc.sources),
        "diagnostics": [d.as_dict() for d in doc.diagnostics],
    }
    if typed:
        out["config"] = doc.config.model_dump(mode="json")
    else:
        out["config"] = [node_dict(c) for c in doc.tree.children]
    return out


def dump_json(doc: Document, typed: bool = False) -> str:
    return json.dumps(dump_dict(doc, typed), indent=2, ensure_ascii=False)
