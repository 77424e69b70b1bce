"""The table `kaconf verify` adds on a terminal: each finding's director, what it is about,
the configuration's value and the live one."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from kaconf.verify.diff import Finding
from kaconf.verify.untrusted import escape_controls

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_drift_table(findings: Sequence[Finding], out: TextIO, width: int | None = None) -> None:
    """Live values come from the directors: they go in as plain Text (never rich markup) with
    control characters escaped."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if not findings:
        return
    table = Table(title="configuration against what runs", title_justify="left")
    for name in ("director", "code", "about", "configuration", "live"):
        table.add_column(name, overflow="fold")
    for f in findings:
        d = f.diagnostic
        table.add_row(Text(escape_controls(f.host, 80)),
                      Text(d.code, style=STYLES.get(d.severity.value, "")),
                      Text(escape_controls(f.subject, 120)),
                      Text(escape_controls(f.expected, 120)),
                      Text(escape_controls(f.live, 120)))
    Console(file=out, width=width).print(table)
