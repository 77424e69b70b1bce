"""Running the real `keepalived -t` on corpus files, with stand-in interfaces, for the differential tests.

keepalived -t checks that every interface a configuration names exists, and a missing one
aborts the rest of VRRP validation (semantics.md, "How -t works"). So each file is tested inside
a private network namespace holding veth stand-ins named like the interfaces the file uses;
when namespaces cannot be created (not root), keepalived runs in the host namespace and the
interface messages are ignored as environment noise (kaconf.tools.keepalived_run.ENVIRONMENT).
"""
from __future__ import annotations

import functools
import glob
import itertools
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kaconf.api import parse_file
from kaconf.diagnostics import Diagnostic
from kaconf.loader import LoadError
from kaconf.tools.keepalived_run import OracleRecord, keepalived_binary, parse_output

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
TIMEOUT = 20.0
CONFIG_IDS = ("lb1", "lb2")  # the ids the corpus's `@` conditional files are written for

# `(file: Line N) Unknown keyword 'x'`; the parent process leaves the file out for the top file
UNKNOWN_AT = re.compile(r"\((?:([^()]*): )?Line (\d+)\) Unknown keyword '([^']*)'")
CONDITIONAL = re.compile(r"^[ \t]*@\^?\S", re.MULTILINE)
# keywords whose next word names an interface, and value blocks whose lines start with one
IFACE_ARG = re.compile(r"(?:^|\s)(?:interface|dev|bind_if|lvs_sync_daemon|vmac_xmit_base)"
                       r"[ \t]+([A-Za-z][\w.-]*)")
IFACE_BLOCK = re.compile(r"(?:track_interface|linkbeat_interfaces|interface_up_down_delays"
                         r"|interfaces)\s*\{([^}]*)\}")
IFACE_INCLUDE = re.compile(r"^[ \t]*include[rmwba]?[ \t]+(.+?)[ \t]*$", re.MULTILINE)
# what keepalived says about an interface it cannot find; the name is group 1
MISSING_IFACE = re.compile(r"(?:interface (\S+) for .* doesn't exist|tracked interface (\S+) "
                           r"doesn't exist|unknown interface (\S+))", re.IGNORECASE)
IFNAMSIZ = 16


@dataclass(frozen=True)
class Case:
    """One corpus file read for one config id (None: keepalived's default, the host name)."""

    path: Path
    config_id: str | None = None

    @property
    def id(self) -> str:
        rel = self.path.relative_to(CORPUS).as_posix()
        return f"{rel}@{self.config_id}" if self.config_id else rel  # keepalived -i ID

    @property
    def broken(self) -> bool:
        return self.path.relative_to(CORPUS).parts[0] == "broken"


@dataclass(frozen=True)
class Answer:
    """What keepalived -t said about one case."""

    record: OracleRecord
    unknown_at: frozenset[tuple[str | None, int]]  # (file as keepalived named it, line)
    text: str
    rc: int

    @property
    def clean(self) -> bool:
        return self.record.clean and not any(m in self.text for m in UNLINED_ERRORS)


# brace-count errors carry no `(Line N)` prefix, so parse_output does not count them
UNLINED_ERRORS = ("missing '}'s or extra '{'s",)


def corpus_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CORPUS.rglob("*.conf")):
        if CONDITIONAL.search(path.read_text(encoding="utf-8", errors="replace")):
            cases.extend(Case(path, cid) for cid in CONFIG_IDS)
        else:
            cases.append(Case(path))
    return cases


def keepalived_available() -> bool:
    return keepalived_binary() is not None


# ---------------------------------------------------------------- interfaces and namespaces

def interface_names(path: Path) -> set[str]:
    """Interface names written in `path` and the files it includes; names keepalived only
    sees after expanding parameters are added later from its own complaints."""
    names: set[str] = set()
    for text in _texts_with_includes(path, depth=0):
        text = re.sub(r"[#!][^\n\"]*", "", text)
        names.update(m.group(1) for m in IFACE_ARG.finditer(text))
        for block in IFACE_BLOCK.finditer(text):
            names.update(line.split()[0] for line in block.group(1).splitlines() if line.split())
    return {n for n in names if _valid_ifname(n)}


def _texts_with_includes(path: Path, depth: int) -> Iterator[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    yield text
    if depth > 8:
        return
    for m in IFACE_INCLUDE.finditer(text):
        for match in sorted(glob.glob(str(path.parent / m.group(1)))):
            if Path(match).is_file():
                yield from _texts_with_includes(Path(match), depth + 1)


def _valid_ifname(name: str) -> bool:
    return (0 < len(name) < IFNAMSIZ and name not in ("lo", "dev", "eth") and "$" not in name
            and re.fullmatch(r"[A-Za-z][\w.-]*", name) is not None)


_serial = itertools.count()


class Namespace:
    """A private network namespace with veth stand-ins; peers are named kdpN (unique)."""

    def __init__(self) -> None:
        self.name = f"kaconf-diff-{os.getpid()}-{next(_serial)}"
        self.interfaces: set[str] = set()
        self._peers = itertools.count()

    def create(self) -> None:
        _ip("netns", "add", self.name)

    def delete(self) -> None:
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True, check=False)

    def add(self, names: set[str]) -> bool:
        """Create the missing stand-ins; False when nothing new could be added."""
        added = False
        for name in sorted(names - self.interfaces):
            peer = f"kdp{next(self._peers)}"
            while peer in names or peer in self.interfaces:
                peer = f"kdp{next(self._peers)}"
            try:
                _ip("-n", self.name, "link", "add", name, "type", "veth", "peer", "name", peer)
            except subprocess.CalledProcessError:
                continue
            self.interfaces.update((name, peer))
            added = True
        return added

    def command(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *argv]


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], capture_output=True, check=True, timeout=10)


@functools.cache
def namespaces_available() -> bool:
    if os.geteuid() != 0:
        return False
    ns = Namespace()
    try:
        ns.create()
    except (OSError, subprocess.SubprocessError):
        return False
    try:
        return ns.add({"eth0"})
    finally:
        ns.delete()


@contextmanager
def stand_in_namespace(names: set[str]) -> Iterator[Namespace | None]:
    if not namespaces_available():
        yield None
        return
    ns = Namespace()
    ns.create()
    try:
        ns.add(names)
        yield ns
    finally:
        ns.delete()


# ---------------------------------------------------------------- running keepalived

@functools.cache
def keepalived_answer(case: Case) -> Answer | None:
    """keepalived -t on the case, or None when it gave no answer (killed, signal, timeout)."""
    binary = keepalived_binary()
    assert binary is not None
    argv = [binary, "-t", "-l", "-f", str(case.path)]
    if case.config_id:
        argv += ["-i", case.config_id]
    with stand_in_namespace(interface_names(case.path)) as ns:
        for _ in range(4):
            result = _run(ns.command(argv) if ns else argv, case.path.parent)
            if result is None:
                return None
            rc, text = result
            # names only keepalived knew (built from parameters, say): add them and run again
            if ns is None or not ns.add(_missing_interfaces(text)):
                break
    record = parse_output(rc, text)
    if record.exit is None:
        return None
    return Answer(record, _unknown_locations(text), text, rc)


def _run(argv: list[str], cwd: Path) -> tuple[int, str] | None:
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, errors="replace",
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    text = proc.stdout + proc.stderr
    if proc.returncode < 0 or proc.returncode > 128:
        return None  # killed by a signal (2.2.7 segfaults on HTTP_GET without url)
    return proc.returncode, text


def _missing_interfaces(text: str) -> set[str]:
    return {n for m in MISSING_IFACE.finditer(text) for n in m.groups() if n and _valid_ifname(n)}


def _unknown_locations(text: str) -> frozenset[tuple[str | None, int]]:
    return frozenset((m.group(1), int(m.group(2))) for m in UNKNOWN_AT.finditer(text))


def names_file(kaconf_file: str, keepalived_name: str | None, top: Path) -> bool:
    """Whether keepalived's file name (None: the parent process's unnamed top file) is the file
    kaconf put a span in. keepalived writes an included file as its include pattern matched it,
    relative to the including file's directory, and the top file as given on the command line."""
    mine = Path(kaconf_file).resolve()
    if keepalived_name is None:
        return mine == top.resolve()
    if Path(keepalived_name).is_absolute():
        return mine == Path(keepalived_name).resolve()
    if mine == (top.parent / keepalived_name).resolve():
        return True
    # a nested include is relative to a deeper directory than the top file's
    return mine.as_posix().endswith("/" + keepalived_name.removeprefix("./"))


# ---------------------------------------------------------------- kaconf's side

@functools.cache
def kaconf_diagnostics(case: Case) -> tuple[Diagnostic, ...]:
    try:
        doc = parse_file(case.path, config_id=case.config_id)
    except LoadError as exc:
        return (exc.diagnostic,)
    return tuple(doc.diagnostics)


def describe(diags: list[Diagnostic] | tuple[Diagnostic, ...]) -> str:
    return "\n".join(f"  {d.span.file}:{d.span.line}:{d.span.column} {d.severity.value} "
                     f"{d.code} {d.message}" for d in diags) or "  (none)"
