"""From what was collected to a Report: read each director's configuration and outputs, diff
each one, then the fleet. A director that cannot be read is one KA600 and a failure (exit 2);
the others are checked all the same."""
from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from kaconf.document import Document, Report
from kaconf.loader import LoadError
from kaconf.parse import parse_file, parse_text
from kaconf.verify import codes
from kaconf.verify.checkdata import parse_check_data
from kaconf.verify.diff import Finding, Member, Observed, file_span, fleet_findings, host_findings
from kaconf.verify.expected import ExpectedState, expected_state
from kaconf.verify.hosts import LOCAL, Capture, Collected, HostFailure
from kaconf.verify.ipaddr import parse_ip_addr
from kaconf.verify.ipvsadm import ListingError, parse_ipvsadm
from kaconf.verify.untrusted import escape_controls


@dataclass(frozen=True, slots=True)
class Director:
    """One director to check: what was collected, and the configuration it should run."""

    collected: Collected
    config: str | None = None        # a keepalived.conf path; else the one collected with it
    config_id: str | None = None     # None: the director's own name, as keepalived does


def render_verify(report: Report, fmt: str, out: TextIO) -> None:
    """Render like lint; on a terminal the text format adds the table of configuration
    against live values."""
    from kaconf.render import RENDERERS
    from kaconf.verify.table import render_drift_table

    RENDERERS[fmt](report, out)
    if fmt == "text" and out.isatty() and isinstance(report, VerifyReport):
        render_drift_table(report.findings, out)


@dataclass
class VerifyReport(Report):
    """A Report whose findings also say what was expected and what runs (for the table)."""

    findings: list[Finding] = field(default_factory=list)


def verify_directors(directors: Sequence[Director]) -> VerifyReport:
    report = VerifyReport()
    members: list[Member] = []
    # a fleet often shares one configuration: read it once per (file, config id)
    read: dict[tuple[str, str | None], tuple[Document, ExpectedState]] = {}
    for director in directors:
        member = _member(director, report, read)
        if member is not None:
            members.append(member)
            report.findings.extend(host_findings(member.expected, member.observed))
    report.findings.extend(fleet_findings(members))
    report.findings.sort(key=lambda f: f.diagnostic.sort_key())
    report.diagnostics.extend(f.diagnostic for f in report.findings)
    report.diagnostics.sort(key=lambda d: d.sort_key())
    return report


def _member(director: Director, report: VerifyReport,
            read: dict[tuple[str, str | None], tuple[Document, ExpectedState]]
            ) -> Member | None:
    got = director.collected
    if isinstance(got, HostFailure):
        _unreadable(report, got.host, got.reason, director.config)
        return None
    path = director.config or got.config_path
    key = (path, director.config_id or config_id_of(got)) if path is not None else None
    if key is not None and key in read:
        doc, expected = read[key]
    else:
        found = _document(director, got, report)
        if found is None:
            return None
        doc, expected = found, expected_state(found.config)
        if key is not None:
            read[key] = (doc, expected)
    try:
        table = parse_ipvsadm(got.ipvsadm, got.ipvsadm_source)
        addresses = parse_ip_addr(got.addresses, got.addresses_source) \
            if got.addresses is not None else None
    except ListingError as exc:
        _unreadable(report, got.host, str(exc), doc.path)
        return None
    check = parse_check_data(got.check_data) if got.check_data else None
    return Member(expected, Observed(got.host, table, addresses, check))


def _document(director: Director, got: Capture, report: VerifyReport) -> Document | None:
    cid = director.config_id or config_id_of(got)
    path = director.config or got.config_path
    try:
        if path is not None:
            doc = parse_file(path, cid)
        elif got.config_text is not None:
            doc = parse_text(got.config_text, f"{got.host}:/etc/keepalived/keepalived.conf",
                             cid or "")
        else:
            _unreadable(report, got.host, "no configuration: give --config or HOST=CONFIG",
                        None)
            return None
    except LoadError as exc:
        _unreadable(report, got.host, exc.diagnostic.message, path)
        return None
    report.documents.append(doc)
    report.sources.update(doc.sources)
    return doc


def config_id_of(got: Capture) -> str | None:
    """keepalived's default config id is the host name up to its first dot: the collected
    host name, else the name the director was given (not an address, not `local`)."""
    for name in (got.hostname, got.host):
        if not name or name == LOCAL or name.startswith("ssh://") or "/" in name:
            continue
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return name.split("@")[-1].split(".")[0]
    return None


def _unreadable(report: VerifyReport, host: str, reason: str, config: str | None) -> None:
    name = escape_controls(host, 80)
    report.failures.append(f"{name}: {reason}")
    diagnostic = codes.DIRECTOR_UNREADABLE.at(file_span(config or host),
                                              f"cannot verify {name}: {reason}")
    report.findings.append(Finding(diagnostic, name, "director", "readable", reason))


# ---------------------------------------------------------------- where directors come from

def parse_host_spec(spec: str) -> tuple[str, str | None]:
    """`HOST` or `HOST=CONFIG` (an ssh destination has no `=`)."""
    host, sep, config = spec.partition("=")
    return (host, config or None) if sep else (spec, None)


def from_outputs(config: str | None, ipvsadm: tuple[str, str], addresses: tuple[str, str] | None,
                 config_id: str | None, name: str = "this director") -> list[Director]:
    """One director from saved outputs: (text, where it came from) for ipvsadm and ip addr.
    The ipvsadm text is read here so that bad text stops the run with its file and line."""
    parse_ipvsadm(ipvsadm[0], ipvsadm[1])
    if addresses is not None:
        parse_ip_addr(addresses[0], addresses[1])
    cap = Capture(name, ipvsadm[0], ipvsadm[1],
                  addresses=addresses[0] if addresses else None,
                  addresses_source=addresses[1] if addresses else "")
    return [Director(cap, config, config_id)]


def from_collected(collected: Sequence[Collected], config: str | None,
                   config_id: str | None, configs: dict[str, str | None] | None = None
                   ) -> list[Director]:
    """Directors from --from-dir folders or live hosts: each one's own configuration (the
    folder's keepalived.conf, HOST=CONFIG), else `config`."""
    out = []
    for got in collected:
        own = (configs or {}).get(got.host)
        if own is None and isinstance(got, Capture):
            own = got.config_path
        out.append(Director(got, own or config, config_id))
    return out
