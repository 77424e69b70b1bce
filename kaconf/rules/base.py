"""What a rule is: a stable code and name, a default severity, a summary and an explanation."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.source import Span

if TYPE_CHECKING:
    from kaconf.cluster import Cluster
    from kaconf.model import Config

CODE = re.compile(r"KA\d{3}")
NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    explanation: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        if not CODE.fullmatch(self.code) or not NAME.fullmatch(self.name):
            raise ValueError(f"bad rule identity {self.code} {self.name}")

    def at(self, span: Span, message: str, *, related: tuple[Related, ...] | list[Related] = (),
           severity: Severity | None = None) -> Diagnostic:
        return Diagnostic(code=self.code, name=self.name, severity=severity or self.severity,
                          span=span, message=message, related=tuple(related))


CheckFn = Callable[["Config"], Iterator[Diagnostic]]
ClusterFn = Callable[["Cluster"], Iterator[Diagnostic]]


@dataclass(frozen=True)
class RuleModule:
    """A registered rule: its identity and the function that checks one configuration
    (`check`), one cluster of directors (`check_cluster`), or every director linted together
    (`check_network`)."""

    rule: Rule
    check: CheckFn | None = None
    check_cluster: ClusterFn | None = None
    check_network: ClusterFn | None = None   # once over every director linted together


def section(explanation: str, title: str) -> str:
    """The indented example under `## Title` of an explanation (4 spaces removed)."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", explanation, re.S | re.M)
    if not m:
        return ""
    lines = [ln[4:] for ln in m.group(1).split("\n") if ln.startswith("    ") or not ln.strip()]
    return "\n".join(lines).strip("\n") + "\n"
