"""What the pre-commit hook checks: the keepalived configurations among the files being
committed (recognised by their content, whatever their names), together with the other
directors' configurations in the repository, so a change to one director is checked against
its peers as `kaconf lint ds1.conf ds2.conf` would check the pair."""
from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kaconf.diagnostics import Diagnostic
from kaconf.document import Report

# a top-level block that only keepalived's configuration has, opened on its own line
BLOCK = re.compile(rb"^[ \t]*(?:global_defs|vrrp_instance|vrrp_sync_group|vrrp_script|"
                   rb"virtual_server|virtual_server_group)\b[^\n{]*\{", re.MULTILINE)
SNIFF_BYTES = 256 * 1024
CLUSTER_PREFIX = "KA5"


def is_keepalived_config(path: str) -> bool:
    """True when the file opens a vrrp_instance, virtual_server, global_defs, vrrp_script,
    vrrp_sync_group or virtual_server_group block (read from its first 256 KiB)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return False
    return b"\0" not in head and BLOCK.search(head) is not None


def repository_files(start: str = ".") -> list[str]:
    """The files git tracks or would add in the repository holding `start`, relative to the
    current directory; [] outside a git repository."""
    try:
        done = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                               "--exclude-standard", "--full-name"], cwd=start,
                              capture_output=True, check=True, timeout=60)
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=start,
                             capture_output=True, check=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return []
    root = top.stdout.strip()
    names = done.stdout.decode("utf-8", errors="surrogateescape").split("\0")
    return [os.path.relpath(os.path.join(root, n)) for n in names if n]


@dataclass
class Selection:
    """The committed files that are keepalived configurations, the other directors'
    configurations found in the repository, and the committed files that are not."""

    changed: list[str]
    peers: list[str]
    skipped: list[str]


def select(files: Sequence[str], repository: Iterable[str]) -> Selection:
    changed = [f for f in files if is_keepalived_config(f)]
    skipped = [f for f in files if f not in changed]
    seen = {os.path.realpath(f) for f in files}
    peers = [f for f in repository
             if os.path.realpath(f) not in seen and os.path.isfile(f) and is_keepalived_config(f)]
    return Selection(changed, peers, skipped)


def concerning(report: Report, changed: Sequence[str]) -> Report:
    """The report restricted to what the commit is responsible for: every finding in a
    committed file (or a file it includes), and the cluster findings that involve one."""
    mine = {os.path.realpath(f) for f in changed}
    files: set[str] = set()
    for doc in report.documents:
        if os.path.realpath(doc.path) in mine:
            files |= set(doc.sources)
    report.diagnostics = [d for d in report.diagnostics if _involves(d, files)]
    return report


def _involves(d: Diagnostic, files: set[str]) -> bool:
    if d.span.file in files:
        return True
    return d.code.startswith(CLUSTER_PREFIX) and any(r.span.file in files for r in d.related)
