"""What a rule is: a stable code and name, a default severity, a summary and an explanation."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from kaconf.diagnostics import Code, Diagnostic
from kaconf.records import record

if TYPE_CHECKING:
    from kaconf.cluster import Cluster
    from kaconf.model import Config



# A rule's identity is a Code like every other diagnostic kind: one class for a code.
Rule = Code


CheckFn = Callable[["Config"], Iterator[Diagnostic]]
ClusterFn = Callable[["Cluster"], Iterator[Diagnostic]]


@record(frozen=True)
class RuleModule:
    """A registered rule: its identity and the function that checks one configuration
    (`check`), one cluster of directors (`check_cluster`), or every director linted together
    (`check_network`)."""

    rule: Rule
    check: CheckFn | None = None
    check_cluster: ClusterFn | None = None
    check_network: ClusterFn | None = None   # once over every director linted together
    module: str = ""                          # where it is declared


def section(explanation: str, title: str) -> str:
    """The indented example under `## Title` of an explanation (4 spaces removed)."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", explanation, re.S | re.M)
    if not m:
        return ""
    lines = [ln[4:] for ln in m.group(1).split("\n") if ln.startswith("    ") or not ln.strip()]
    return "\n".join(lines).strip("\n") + "\n"
