"""The expected state against what directors run: KA601-KA612 diagnostics.

Compared as sets keyed like IPVS keys them (ipvsadm's order means nothing), and only on what
the listing shows: `--stats` has no scheduler, `--thresholds` no weights. Every finding points
at the configuration span of what differs and names the director.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.source import Span
from kaconf.verify import codes
from kaconf.verify.checkdata import CheckData
from kaconf.verify.expected import (
    SCHED_FLAGS,
    ExpectedReal,
    ExpectedService,
    ExpectedState,
    ExpectedVip,
)
from kaconf.verify.ipaddr import AddressTable
from kaconf.verify.ipvsadm import (
    Destination,
    Forward,
    IpAddress,
    IpvsTable,
    Service,
    ServiceKey,
    endpoint,
)


@dataclass(frozen=True, slots=True)
class Observed:
    """What one director runs."""

    host: str
    table: IpvsTable
    addresses: AddressTable | None = None
    check: CheckData | None = None


@dataclass(frozen=True, slots=True)
class Member:
    expected: ExpectedState
    observed: Observed


@dataclass(frozen=True, slots=True)
class Finding:
    """A diagnostic with what a table of expected against live shows for it."""

    diagnostic: Diagnostic
    host: str
    subject: str     # the service or real server, as the configuration names it
    expected: str
    live: str


def file_span(file: str) -> Span:
    return Span(file, 1, 1, 1, 1)


# ---------------------------------------------------------------- one director

def diff_host(expected: ExpectedState, observed: Observed) -> list[Diagnostic]:
    """KA601-KA608 for one director: its live table against its configuration."""
    return [f.diagnostic for f in host_findings(expected, observed)]


def host_findings(expected: ExpectedState, observed: Observed) -> list[Finding]:
    out: list[Finding] = []
    host = observed.host
    live = observed.table.services
    for key, exp in expected.services.items():
        service = live.get(key)
        if service is None:
            out.append(Finding(codes.SERVICE_MISSING.at(
                exp.span, f"{exp.label} ({key}) is not in the IPVS table of {host}"),
                host, exp.label, f"{key} {exp.scheduler}", "absent"))
            continue
        out += _service_findings(exp, service, observed)
    for key, service in live.items():
        if key not in expected.services:
            out.append(Finding(codes.SERVICE_UNEXPECTED.at(
                _nearest_span(expected, key),
                f"{host} runs {key} (scheduler {service.scheduler or '?'}, "
                f"{len(service.destinations)} real servers), which no virtual_server defines"),
                host, str(key), "absent", f"{key} {service.scheduler or ''}".strip()))
    return out


def _nearest_span(expected: ExpectedState, key: ServiceKey) -> Span:
    """A virtual_server on the same address when there is one, else the file's first line."""
    for other in expected.services.values():
        if key.address is not None and other.key.address == key.address:
            return other.span
    return file_span(expected.file)


def _service_findings(exp: ExpectedService, live: Service, observed: Observed) -> list[Finding]:
    out = list(_scheduler_findings(exp, live, observed))
    out += _persistence_findings(exp, live, observed)
    out += _real_server_findings(exp, live, observed)
    return out


def _scheduler_findings(exp: ExpectedService, live: Service,
                        observed: Observed) -> Iterator[Finding]:
    fmt = observed.table.format
    if not fmt.shows_scheduler:
        return
    where = f"{exp.label} on {observed.host}"
    host = observed.host
    if live.scheduler != exp.scheduler:
        yield Finding(codes.SCHEDULER_MISMATCH.at(
            exp.scheduler_span, f"{where} is scheduled by '{live.scheduler}', "
                                f"the configuration says '{exp.scheduler}'"),
            host, exp.label, f"lvs_sched {exp.scheduler}", f"{live.scheduler}")
        return
    bits = frozenset(SCHED_FLAGS.get(f, 0) for f in live.flags)
    if fmt.shows_sched_flags and bits != exp.flags:
        shown = ",".join(live.flags) or "none"
        want = _flag_words(exp.scheduler, exp.flags)
        yield Finding(codes.SCHEDULER_MISMATCH.at(
            exp.scheduler_span, f"{where} runs scheduler flags '{shown}', the configuration "
                                f"sets {want}"), host, exp.label, f"flags {want}",
            f"flags '{shown}'")
    if live.ops != exp.ops:
        yield Finding(codes.SCHEDULER_MISMATCH.at(
            exp.span, f"{where} has one-packet scheduling (ops) "
                      f"{'on' if live.ops else 'off'}, the configuration has it "
                      f"{'on' if exp.ops else 'off'}"), host, exp.label,
            f"ops {'on' if exp.ops else 'off'}", f"ops {'on' if live.ops else 'off'}")


def _flag_words(scheduler: str, bits: frozenset[int]) -> str:
    if not bits:
        return "none"
    names = {1: f"{scheduler}-fallback", 2: f"{scheduler}-port"} if scheduler in ("sh", "mh") \
        else {}
    return "'" + ",".join(names.get(b, f"flag-{b}") for b in sorted(bits)) + "'"


def _persistence_findings(exp: ExpectedService, live: Service,
                          observed: Observed) -> Iterator[Finding]:
    if not observed.table.format.shows_scheduler:
        return
    where = f"{exp.label} on {observed.host}"
    got = live.persistence
    if got is None or exp.persistence is None:
        if (got is None) != (exp.persistence is None):
            now = "not persistent" if got is None else f"persistent {got.timeout or '(ticks)'}"
            want = "not persistent" if exp.persistence is None else \
                f"persistence_timeout {exp.persistence}"
            yield Finding(codes.PERSISTENCE_MISMATCH.at(
                exp.persistence_span, f"{where} is {now}, the configuration says {want}"),
                observed.host, exp.label, want, now)
        return
    if got.timeout is not None and got.timeout != exp.persistence:
        yield Finding(codes.PERSISTENCE_MISMATCH.at(
            exp.persistence_span, f"{where} keeps clients {got.timeout} s, the configuration "
                                  f"says persistence_timeout {exp.persistence}"),
            observed.host, exp.label, f"persistence_timeout {exp.persistence}",
            f"persistent {got.timeout}")
    if (got.netmask or None) != _mask(exp.netmask):
        yield Finding(codes.PERSISTENCE_MISMATCH.at(
            exp.persistence_span, f"{where} groups clients by mask "
                                  f"'{got.netmask or 'one address'}', the configuration says "
                                  f"'{exp.netmask or 'one address'}'"),
            observed.host, exp.label, f"mask {exp.netmask or 'one address'}",
            f"mask {got.netmask or 'one address'}")


def _mask(mask: str | None) -> str | None:
    return mask.lstrip("/") if mask else None


def _real_server_findings(exp: ExpectedService, live: Service,
                          observed: Observed) -> Iterator[Finding]:
    dests = {(d.address, d.port): d for d in live.destinations}
    wanted = {r.endpoint: r for r in exp.reals}
    for ep, real in wanted.items():
        dest = dests.get(ep)
        if dest is None:
            yield from _missing_real(exp, real, observed)
        else:
            yield from _real_mismatch(exp, real, dest, observed)
    sorry = exp.sorry.endpoint if exp.sorry is not None else None
    for ep, dest in dests.items():
        if ep not in wanted and ep != sorry:
            yield Finding(codes.REAL_SERVER_UNEXPECTED.at(
                exp.span, f"{observed.host} sends {exp.label} traffic to {dest.endpoint} "
                          f"(weight {_shown(dest.weight)}), which is neither a real_server nor "
                          "the sorry_server of this virtual_server"),
                observed.host, f"{exp.label} -> {dest.endpoint}", "absent",
                f"weight {_shown(dest.weight)}")


def _shown(value: int | None) -> str:
    return "?" if value is None else str(value)


def _missing_real(exp: ExpectedService, real: ExpectedReal,
                  observed: Observed) -> Iterator[Finding]:
    state = observed.check.state(exp.check_name, real.address, real.port) \
        if observed.check is not None else None
    if state is not None and not state.alive:
        return   # keepalived's own check data holds it down: expected, not drift
    where = f"real_server {endpoint(real.address, real.port)} of {exp.label}"
    subject = f"{exp.label} -> {endpoint(real.address, real.port)}"
    for diagnostic in _missing_real_diagnostics(where, real, observed, state is not None):
        yield Finding(diagnostic, observed.host, subject, f"weight {real.weight}", "absent")


def _missing_real_diagnostics(where: str, real: ExpectedReal, observed: Observed,
                              known_up: bool) -> Iterator[Diagnostic]:
    if known_up:
        yield codes.REAL_SERVER_MISSING.at(
            real.span, f"{where} is not in the IPVS table of {observed.host}, yet keepalived's "
                       "check data says it is up: it was removed behind keepalived's back")
    elif real.inhibit:
        yield codes.REAL_SERVER_MISSING.at(
            real.span, f"{where} is not in the IPVS table of {observed.host}; with "
                       "inhibit_on_failure a failed check leaves it at weight 0, so it was "
                       "removed some other way")
    elif real.checked:
        yield codes.REAL_SERVER_MISSING.at(
            real.span, f"{where} is not in the IPVS table of {observed.host}; its health check "
                       "may have removed it (is the server down?)", severity=Severity.WARNING)
    else:
        yield codes.REAL_SERVER_MISSING.at(
            real.span, f"{where} is not in the IPVS table of {observed.host}, and it has no "
                       "health check that could have removed it")


def _real_mismatch(exp: ExpectedService, real: ExpectedReal, dest: Destination,
                   observed: Observed) -> Iterator[Finding]:
    fmt = observed.table.format
    where = f"real_server {endpoint(real.address, real.port)} of {exp.label} on {observed.host}"
    subject = f"{exp.label} -> {endpoint(real.address, real.port)}"
    if fmt.shows_forward and dest.forward not in (None, real.forward, Forward.LOCAL):
        yield Finding(codes.FORWARD_MISMATCH.at(
            real.method_span, f"{where} is forwarded by '{dest.forward_word}', the "
                              f"configuration says '{real.forward.value}'"),
            observed.host, subject, real.forward.value, dest.forward_word)
    if not fmt.shows_weight or dest.weight is None or dest.weight == real.weight:
        return
    state = observed.check.state(exp.check_name, real.address, real.port) \
        if observed.check is not None else None
    if state is not None and dest.weight == (state.effective_weight if state.alive else 0):
        return   # keepalived's check data agrees (a failed check, or a dynamic weight)
    if state is None and dest.weight == 0 and real.inhibit and real.checked:
        return   # inhibit_on_failure keeps a failed real server at weight 0
    yield Finding(codes.WEIGHT_MISMATCH.at(
        real.weight_span, f"{where} has weight {dest.weight}, the configuration says "
                          f"{real.weight}"),
        observed.host, subject, f"weight {real.weight}", f"weight {dest.weight}")


# ---------------------------------------------------------------- a fleet

def diff_fleet(members: Sequence[Member]) -> list[Diagnostic]:
    """KA609-KA612 across the directors that answered."""
    return [f.diagnostic for f in fleet_findings(members)]


def fleet_findings(members: Sequence[Member]) -> list[Finding]:
    out = list(_vip_findings(members))
    out += _table_findings(members)
    return out


def _vip_findings(members: Sequence[Member]) -> Iterator[Finding]:
    by_vip: dict[IpAddress, list[tuple[Member, ExpectedVip]]] = {}
    for m in members:
        for vip in m.expected.vips:
            if not any(other is m for other, _ in by_vip.get(vip.address, [])):
                by_vip.setdefault(vip.address, []).append((m, vip))
    for address, entries in by_vip.items():
        known = [(m, v) for m, v in entries if m.observed.addresses is not None]
        if not known:
            continue
        holders = [(m, v) for m, v in known
                   if m.observed.addresses is not None and m.observed.addresses.holds(address)]
        yield from _vip_finding(address, known, holders, len(known) == len(entries))


def _vip_finding(address: IpAddress, known: list[tuple[Member, ExpectedVip]],
                 holders: list[tuple[Member, ExpectedVip]],
                 all_known: bool) -> Iterator[Finding]:
    names = [m.observed.host for m, _ in holders]
    subject = f"VIP {address}"
    if len(holders) >= 2:
        vip, rest = holders[0][1], holders[1:]
        yield Finding(codes.VIP_ON_SEVERAL.at(
            vip.span, f"VIP {address} is up on {_and(names)} at once: split brain",
            related=tuple(Related(v.span, f"{m.observed.host} holds it too") for m, v in rest
                          if v.span != vip.span)), _and(names), subject, "on one director",
            f"on {_and(names)}")
        return
    owner = _expected_holder(known)
    if not holders:
        if len(known) == 1 and owner is not None:
            m, vip = owner
            yield Finding(codes.VIP_MISSING.at(
                vip.span, f"{m.observed.host} should hold VIP {address} (vrrp_instance "
                          f"{vip.instance} starts as {vip.state}, priority {vip.priority}) but "
                          "does not"), m.observed.host, subject, f"on {m.observed.host}",
                "absent")
        elif len(known) >= 2 and all_known:
            vip = (owner or known[0])[1]
            everyone = _and([k.observed.host for k, _ in known])
            yield Finding(codes.VIP_NOWHERE.at(
                vip.span, f"VIP {address} of vrrp_instance {vip.instance} is on none of "
                          f"{everyone}: its services are down"), everyone, subject,
                "on one director", "on none")
        return
    if owner is not None and owner[0] is not holders[0][0]:
        m, vip = owner
        other = holders[0][0].observed.host
        yield Finding(codes.VIP_MISSING.at(
            vip.span, f"{m.observed.host} should hold VIP {address} (vrrp_instance "
                      f"{vip.instance}, {vip.state}, priority {vip.priority}) but "
                      f"{other} holds it: a failover happened"), m.observed.host, subject,
            f"on {m.observed.host}", f"on {other}")


def _expected_holder(known: list[tuple[Member, ExpectedVip]]
                     ) -> tuple[Member, ExpectedVip] | None:
    """The director that should hold the VIP: the highest priority, MASTER breaking a tie; a
    lone director only when it starts as MASTER; nobody when it stays a tie."""
    if len(known) == 1:
        return known[0] if known[0][1].state == "MASTER" else None
    ranked = sorted(known, key=lambda mv: (mv[1].priority, mv[1].state == "MASTER"),
                    reverse=True)
    top = ranked[0][1]
    second = ranked[1][1]
    if (top.priority, top.state) == (second.priority, second.state):
        return None
    return ranked[0]


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _table_findings(members: Sequence[Member]) -> Iterator[Finding]:
    """KA612 between the directors of one cluster (they share a VIP), each pair once."""
    for group in _clusters(members):
        first = group[0]
        for other in group[1:]:
            yield from _compare_tables(first, other)


def _clusters(members: Sequence[Member]) -> list[list[Member]]:
    groups: list[tuple[set[IpAddress], list[Member]]] = []
    for m in members:
        vips = {v.address for v in m.expected.vips}
        joined = [g for g in groups if g[0] & vips]
        merged_vips = set(vips).union(*(g[0] for g in joined))
        merged = [x for g in joined for x in g[1]] + [m]
        groups = [g for g in groups if not any(g is j for j in joined)]
        groups.append((merged_vips, merged))
    return [g[1] for g in groups if len(g[1]) >= 2 and g[0]]


def _compare_tables(a: Member, b: Member) -> Iterator[Finding]:
    ta, tb = a.observed.table, b.observed.table
    detail = ta.format.shows_scheduler and tb.format.shows_scheduler
    weights = ta.format.shows_weight and tb.format.shows_weight
    for key in sorted(set(ta.services) | set(tb.services), key=str):
        sa, sb = ta.services.get(key), tb.services.get(key)
        if _signature(sa, detail, weights) == _signature(sb, detail, weights):
            continue
        exp = a.expected.services.get(key) or b.expected.services.get(key)
        span = exp.span if exp is not None else file_span(a.expected.file)
        yield Finding(codes.TABLES_DIFFER.at(
            span, f"{a.observed.host} and {b.observed.host} run different IPVS tables for "
                  f"{key}: {a.observed.host} has {_describe(sa)}, {b.observed.host} has "
                  f"{_describe(sb)}"), f"{a.observed.host}, {b.observed.host}", str(key),
            f"{a.observed.host}: {_describe(sa)}", f"{b.observed.host}: {_describe(sb)}")


def _signature(service: Service | None, detail: bool, weights: bool) -> object:
    if service is None:
        return None
    dests = frozenset((d.address, d.port, d.weight if weights else None)
                      for d in service.destinations)
    if not detail:
        return dests
    p = service.persistence
    return (service.scheduler, frozenset(service.flags), service.ops,
            None if p is None else (p.timeout, p.netmask), dests)


def _describe(service: Service | None) -> str:
    if service is None:
        return "no such service"
    dests = ", ".join(f"{d.endpoint} w{_shown(d.weight)}" for d in
                      sorted(service.destinations, key=lambda d: (str(d.address), d.port)))
    return f"'{service.scheduler or '?'}' [{dests or 'no real servers'}]"
