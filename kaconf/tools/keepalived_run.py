"""Running the real `keepalived -t -f FILE` and reading what it says."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

UNKNOWN = re.compile(r"\((?:[^()]*: )?Line (\d+)\) Unknown keyword '([^']*)'")
LINE_MSG = re.compile(r"\((?:[^()]*: )?Line (\d+)\) (.*)")
# messages caused by the machine the test runs on, not by the configuration
ENVIRONMENT = ("doesn't exist", "Non-existent interface", "Config files missing",
               "No config files matched", "Unknown interface", "script_user", "keepalived_script",
               "not accessible", "cannot find", "iptables not supported", "Unable to access script",
               "is not executable", "not found, ignoring", "Cannot find script",
               "SECURITY VIOLATION", "Disabling track script", "getpwnam", "user")


@dataclass
class OracleRecord:
    """What keepalived said about one file."""

    exit: int | None                                   # None: no answer (killed or timed out)
    unknown: list[tuple[str, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)    # errors not caused by the environment
    stop_line: int | None = None                       # keepalived gave up reading here

    @property
    def clean(self) -> bool:
        return self.exit is not None and not self.unknown and not self.errors

    @classmethod
    def from_columns(cls, exit_text: str, unknown_text: str, errors_text: str) -> OracleRecord:
        unknown = []
        if unknown_text != "-":
            for item in unknown_text.split(","):
                kw, _, line = item.rpartition("@")
                if line.isdigit():
                    unknown.append((kw, int(line)))
        errors = [e for e in errors_text.split(" | ")
                  if e and e != "-" and not e.startswith("[env:")]
        code = int(exit_text) if exit_text.lstrip("-").isdigit() else None
        return cls(code, unknown, errors, _stop_line(errors_text))


def keepalived_binary() -> str | None:
    return shutil.which("keepalived") or next(
        (p for p in ("/usr/sbin/keepalived", "/sbin/keepalived") if Path(p).exists()), None)


def run_keepalived(path: Path, timeout: float = 20.0,
                   workdir: Path | None = None) -> OracleRecord | None:
    """Run keepalived -t on a copy of `path` in a scratch directory; None without keepalived."""
    binary = keepalived_binary()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="kaconf-oracle-") as tmp:
        run_dir = workdir or Path(tmp)
        target = path if workdir else Path(tmp) / path.name
        if workdir is None:
            shutil.copyfile(path, target)
        try:
            proc = subprocess.run([binary, "-t", "-l", "-f", str(target)], cwd=run_dir,
                                  capture_output=True, text=True, errors="replace",
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            return OracleRecord(None)
    return parse_output(proc.returncode, proc.stdout + proc.stderr)


def parse_output(code: int, text: str) -> OracleRecord:
    if code < 0 or "Terminated" in text and code not in (0, 4, 5, 6):
        return OracleRecord(None)
    unknown: list[tuple[str, int]] = []
    errors: list[str] = []
    for m in UNKNOWN.finditer(text):
        item = (m.group(2), int(m.group(1)))
        if item not in unknown:
            unknown.append(item)
    for line in text.splitlines():
        found = LINE_MSG.search(line)
        if found and "Unknown keyword" not in line and _is_error(found.group(2)) \
                and line not in errors:
            errors.append(line.strip())
    return OracleRecord(code, unknown, errors, _stop_line(text))


def _stop_line(text: str) -> int | None:
    """The line of a missing-parameter abort, after which keepalived reads nothing."""
    m = re.search(r"Line (\d+)\) \*\*\* Configuration line starting", text)
    return int(m.group(1)) if m else None


def _is_error(message: str) -> bool:
    low = message.lower()
    if any(marker.lower() in low for marker in ENVIRONMENT):
        return False
    return any(w in low for w in ("invalid", "unknown", "missing", "extra '}'", "unexpected",
                                  "must", "outside range", "not a valid", "unmatched",
                                  "unterminated"))
