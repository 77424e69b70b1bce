"""One drill from end to end: read the configurations (or generate them from a cluster
description), plan, build the lab, run the behaviours, and remove the lab on success,
failure, SIGINT and SIGTERM alike."""
from __future__ import annotations

import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from kaconf.document import Document
from kaconf.drill import DrillError, Interrupted
from kaconf.drill.lab import Lab, ipvs_unavailable, preflight
from kaconf.drill.plan import Plan, build_plan, director_name, failing_on
from kaconf.drill.scripts import STUB_FAIL, STUB_OK, replace_commands
from kaconf.drill.steps import Drill
from kaconf.drill.timeline import Step, Timeline
from kaconf.loader import LoadError
from kaconf.parse import parse_file

SLACK = 1.5        # polling through `ip netns exec`, and scheduling on a busy host
REQUESTS = 40


@dataclass(frozen=True, slots=True)
class Options:
    paths: Sequence[Path] = ()
    config_ids: Sequence[str] = ()
    description: Path | None = None
    addresses: Sequence[str] = ()          # NAME=IP
    fail_scripts: Sequence[str] = ()
    slack: float = SLACK
    requests: int = REQUESTS
    on_step: Callable[[Step], None] | None = field(default=None, compare=False)


def _addresses(specs: Sequence[str]) -> dict[str, str]:
    out = {}
    for spec in specs:
        name, sep, address = spec.partition("=")
        if not sep or not name or not address:
            raise DrillError(f"--address {spec!r}: write NAME=IP (e.g. ds1=172.17.13.120)")
        out[name] = address
    return out


def _generated(description: Path, into: Path) -> list[Path]:
    """The directors' files gen-pair makes from `description`, written under `into`."""
    from kaconf.gen import GenError
    from kaconf.gen.description import read_description
    from kaconf.gen.pair import generate

    try:
        made = generate(read_description(description), str(description), False)
    except GenError as exc:
        raise DrillError(str(exc).splitlines()[0]) from None
    paths = []
    for path, _ in made.configs:
        text = next(f.text for f in made.files if f.path == path)
        target = into / "generated" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        paths.append(target)
    return paths


def _read(options: Options, workdir: Path) -> tuple[list[Document], list[str]]:
    paths = list(options.paths)
    if options.description is not None:
        if paths:
            raise DrillError("give configuration files or --from DESCRIPTION, not both")
        paths = _generated(options.description, workdir)
    if options.config_ids and len(paths) != 1:
        raise DrillError("--config-id goes with one file that holds every director (@ID lines)")
    reads = ([(paths[0], cid) for cid in options.config_ids] if options.config_ids
             else [(p, None) for p in paths])
    if len(reads) < 2:
        raise DrillError("drill needs two or more directors: give their files (or one file "
                         "and a --config-id per director)")
    docs: list[Document] = []
    names: list[str] = []
    for path, cid in reads:
        try:
            docs.append(parse_file(path, cid))
        except LoadError as exc:
            raise DrillError(exc.diagnostic.message) from None
        names.append(cid if cid is not None else director_name(Path(path), names))
    return docs, names


def _plan(options: Options, workdir: Path) -> Plan:
    docs, names = _read(options, workdir)
    failing = set(options.fail_scripts)
    plan = build_plan(docs, names, _addresses(options.addresses), failing)
    stubs = workdir / "stubs"
    stubs.mkdir(mode=0o755)
    ok, fail = stubs / "ok.sh", stubs / "fail.sh"
    for stub, text in ((ok, STUB_OK), (fail, STUB_FAIL)):
        stub.write_text(text, encoding="utf-8")
        stub.chmod(0o755)
    for doc, director in zip(docs, plan.directors):
        # keepalived's own default id is the host name: only pass one the user chose
        director.config_id = director.name if options.config_ids else None
        director.text, done = replace_commands(doc, ok, fail,
                                               failing_on(director.name, failing))
        plan.notes += [f"{director.name}: {r.describe()}" for r in done]
    return plan


@contextmanager
def _signals_unwind() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted, so every `finally` below runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signal.Signals(signum).name)

    before = {s: signal.signal(s, interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def _describe(lab: Lab, timeline: Timeline, lvs: str | None) -> None:
    for name, d in lab.directors.items():
        p = d.plan
        timeline.lab.append(f"director {name} ({d.ns}): {p.address} ({p.address_from}) on "
                            f"{', '.join(p.interfaces)}; "
                            + " ".join(a for a in d.argv if a not in ("-f", str(d.config)))
                            + f" -f {p.path} (as the lab changed it)")
    for address, host in lab.servers.items():
        method = lab.plan.real_servers()[address][0]
        timeline.lab.append(f"real server {address} ({host.ns}): {method} set up by "
                            f"kaconf-rs.sh start; listener on {', '.join(map(str, host.ports))}")
    timeline.lab.append(f"client (kd-cl): {lab.plan.clients[0]} .. {lab.plan.clients[-1]}; "
                        f"every namespace on bridges in kd-sw")
    timeline.replaced += lab.plan.notes or ["nothing: the configurations run no command"]
    if lvs is not None:
        timeline.replaced.append("keepalived runs with --vrrp (no checkers): " + lvs)


def drill(options: Options) -> Timeline:
    """Rehearse the cluster in a lab and return the timeline. Raises DrillError (could not
    run) and Interrupted (a signal; the lab is gone by then)."""
    keepalived = preflight()
    timeline = Timeline()
    with tempfile.TemporaryDirectory(prefix="kaconf-drill-") as tmp, _signals_unwind():
        workdir = Path(tmp)
        workdir.chmod(0o755)    # keepalived's script security: no one else may write here
        plan = _plan(options, workdir)
        no_lvs = ipvs_unavailable() if plan.services() else "no virtual_server to drill"
        lab = Lab(plan, workdir, keepalived, lvs=no_lvs is None)
        try:
            lab.build()
            _describe(lab, timeline, no_lvs)
            Drill(lab, plan, timeline, no_lvs, options.slack, options.requests,
                  options.on_step).run()
        finally:
            with _signals_ignored():
                timeline.left_behind = lab.close()
    return timeline


@contextmanager
def _signals_ignored() -> Iterator[None]:
    """A second Ctrl-C must not cut the cleanup short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
