"""`kaconf dump`: the syntax tree (or the typed model) as JSON, every node with its span."""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kaconf.secrets import MASK, is_secret_keyword, masker_for, shown_safely
from kaconf.source import Span
from kaconf.tree import Node

if TYPE_CHECKING:
    from kaconf.document import Document


def node_dict(node: Node, secrets: bool = False) -> dict[str, Any]:
    hide = not secrets and is_secret_keyword(node.keyword)
    out: dict[str, Any] = {
        "keyword": node.keyword,
        "kind": node.kind,
        "span": node.span.as_dict(),
        "args": [{"value": MASK if hide else w.value, "quoted": w.quoted,
                  "span": w.span.as_dict()} for w in node.args],
    }
    if node.skipped:
        out["skipped"] = node.skipped
    if node.is_block or node.children:
        out["block"] = [node_dict(c, secrets) for c in node.children]
        if node.open_span:
            out["open"] = node.open_span.as_dict()
        if node.close_span:
            out["close"] = node.close_span.as_dict()
    return out


def _masked(value: Any) -> Any:
    """A dumped model with every secret field's value replaced."""
    if isinstance(value, dict):
        return {k: (MASK if is_secret_keyword(k) and isinstance(v, str) else _masked(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


HIDDEN = ("node", "written", "order")


def model_data(value: Any) -> Any:
    """A model (or part of one) as JSON-ready data: spans as objects, the syntax link left
    out."""
    if isinstance(value, Span):
        return value.as_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: model_data(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in HIDDEN}
    if isinstance(value, (list, tuple)):
        return [model_data(v) for v in value]
    if isinstance(value, dict):
        return {k: model_data(v) for k, v in value.items()}
    return value


def dump_dict(doc: Document, typed: bool, secrets: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file": doc.path,
        "config_id": doc.config_id,
        "target_version": doc.target,
        "files": sorted(doc.sources),
        "diagnostics": [d.as_dict() for d in doc.diagnostics],
    }
    if typed:
        dumped = model_data(doc.config)
        out["config"] = dumped if secrets else _masked(dumped)
    else:
        out["config"] = [node_dict(c, secrets) for c in doc.tree.children]
    return out


def cleaned(value: Any, clean: Callable[[str], str]) -> Any:
    """JSON-ready data with `clean` applied to every string, keys included."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k): cleaned(v, clean) for k, v in value.items()}
    if isinstance(value, list):
        return [cleaned(v, clean) for v in value]
    return value


def dump_json(doc: Document, typed: bool = False, secrets: bool = False,
              extra: Sequence[str] = ()) -> str:
    """The dump as JSON; passwords and keys are masked unless `secrets` (wherever they
    appear: arguments, fields, the diagnostics' messages), and control characters and
    undecodable bytes are escaped either way."""
    data = dump_dict(doc, typed, secrets)
    clean: Callable[[str], str] = shown_safely
    if not secrets:
        clean = masker_for(doc.sources, [doc.tree], extra).text
    return json.dumps(cleaned(data, clean), indent=2, ensure_ascii=False)
