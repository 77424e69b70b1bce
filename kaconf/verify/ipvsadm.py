"""Reader for the IPVS table as ipvsadm (-Ln and its modes, -Sn) or /proc/net/ip_vs print it.

Pure functions: text in, a typed `IpvsTable` out. The format is recognised from the text;
../shared/reference/ipvsadm-output.md (from ipvsadm 1.26 to 1.31 and the kernel) is the
description followed here. Addresses must be numeric: without -n ipvsadm prints names cut at
28 or 33 characters, which cannot be compared with a configuration.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from kaconf.verify import VerifyError
from kaconf.verify.untrusted import escape_controls

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=65536)
def parse_address(text: str) -> IpAddress:
    """A numeric IPv4 or IPv6 address; ValueError otherwise. inet_pton is strict (no `010`,
    no `1.2.3`) and much faster than the ipaddress module's own parser on big tables."""
    try:
        if ":" in text:
            return ipaddress.IPv6Address(int.from_bytes(socket.inet_pton(socket.AF_INET6, text),
                                                        "big"))
        return ipaddress.IPv4Address(int.from_bytes(socket.inet_pton(socket.AF_INET, text),
                                                    "big"))
    except OSError:
        raise ValueError(f"{text!r} is not an IP address") from None


class Protocol(str, Enum):
    TCP = "TCP"
    UDP = "UDP"
    SCTP = "SCTP"
    FWM = "FWM"


class Forward(str, Enum):
    MASQ = "Masq"        # lvs_method NAT
    ROUTE = "Route"      # DR
    TUNNEL = "Tunnel"    # TUN
    LOCAL = "Local"      # the real server is an address of the director, whatever the method
    OTHER = "other"      # forks' FullNat, SNAT, (null)


class ListingFormat(str, Enum):
    LIST = "ipvsadm -Ln"
    STATS = "ipvsadm -Ln --stats"
    RATE = "ipvsadm -Ln --rate"
    THRESHOLDS = "ipvsadm -Ln --thresholds"
    PERSISTENT_CONN = "ipvsadm -Ln --persistent-conn"
    TUN_INFO = "ipvsadm -Ln --tun-info"
    SAVE = "ipvsadm -Sn"
    SAVE_126 = "ipvsadm -Sn (1.26)"
    PROC = "/proc/net/ip_vs"

    @property
    def shows_scheduler(self) -> bool:
        """Whether services carry scheduler, persistence and ops (stats and rate do not)."""
        return self not in (ListingFormat.STATS, ListingFormat.RATE)

    @property
    def shows_forward(self) -> bool:
        return self not in (ListingFormat.STATS, ListingFormat.RATE, ListingFormat.THRESHOLDS,
                            ListingFormat.PERSISTENT_CONN)

    @property
    def shows_weight(self) -> bool:
        return self not in (ListingFormat.STATS, ListingFormat.RATE, ListingFormat.THRESHOLDS)

    @property
    def shows_sched_flags(self) -> bool:
        return self.shows_scheduler and self is not ListingFormat.PROC


@dataclass(frozen=True, slots=True, order=True)
class ServiceKey:
    """What identifies an IPVS service: protocol, address and port, or fwmark and family."""

    protocol: Protocol
    family: int                        # 4 or 6
    address: IpAddress | None = None   # None for a fwmark service
    port: int = 0
    fwmark: int = 0

    def __str__(self) -> str:
        if self.protocol is Protocol.FWM:
            return f"FWM {self.fwmark}" + (" IPv6" if self.family == 6 else "")
        return f"{self.protocol.value} {endpoint(self.address, self.port)}"


def endpoint(address: IpAddress | None, port: int) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return f"[{address}]:{port}"
    return f"{address}:{port}"


@dataclass(frozen=True, slots=True)
class Persistence:
    timeout: int | None          # seconds; None where only kernel ticks are known (procfs)
    netmask: str | None = None   # dotted quad or IPv6 prefix length; None for a host mask
    engine: str | None = None    # `pe sip`
    ticks: int | None = None     # /proc/net/ip_vs prints the timeout in jiffies (HZ unknown)


@dataclass(frozen=True, slots=True)
class Counters:
    """Five --stats (conns, in/out packets, in/out bytes) or --rate (per second) columns."""

    conns: int
    in_packets: int
    out_packets: int
    in_bytes: int
    out_bytes: int
    approximate: bool = False    # a K/M/G/T suffix: ipvsadm divided and truncated


@dataclass(frozen=True, slots=True)
class Destination:
    address: IpAddress
    port: int
    forward: Forward | None = None   # None where the listing does not show it
    forward_word: str = ""           # as printed (FullNat, (null), Masq ...)
    weight: int | None = None
    active_conn: int | None = None
    inactive_conn: int | None = None
    persist_conn: int | None = None
    upper_threshold: int | None = None
    lower_threshold: int | None = None
    tunnel: str | None = None        # ipip, gue:PORT:FLAG, gre:FLAG, n/a
    stats: Counters | None = None
    rate: Counters | None = None
    line: int = 0

    @property
    def endpoint(self) -> str:
        return endpoint(self.address, self.port)


@dataclass(frozen=True, slots=True)
class Service:
    key: ServiceKey
    scheduler: str | None = None     # None where the listing does not show it
    flags: tuple[str, ...] = ()      # sh-fallback, sh-port, mh-port, flag-1 ...
    persistence: Persistence | None = None
    ops: bool = False
    destinations: tuple[Destination, ...] = ()
    stats: Counters | None = None
    rate: Counters | None = None
    line: int = 0

    def destination(self, address: IpAddress, port: int) -> Destination | None:
        return next((d for d in self.destinations if (d.address, d.port) == (address, port)),
                    None)


@dataclass(frozen=True, slots=True)
class IpvsTable:
    format: ListingFormat
    services: dict[ServiceKey, Service] = field(default_factory=dict)
    version: str | None = None       # the kernel IPVS version from the listing's first line
    source: str = "<ipvsadm>"


class ListingError(VerifyError, ValueError):
    """Text that is not an IPVS listing kaconf can read, with where and what."""

    def __init__(self, source: str, line: int, text: str, reason: str) -> None:
        self.source, self.line, self.text, self.reason = source, line, text, reason
        super().__init__(f"{source}:{line}: {reason}: '{escape_controls(text.strip())}'")


_Fail = Callable[[str], ListingError]   # makes the ListingError for the line being read


# ---------------------------------------------------------------- recognising the format

_VERSION = re.compile(r"IP Virtual Server version (\S+) \(size=\d+\)$")
_HEX_V4 = re.compile(r"[0-9A-Fa-f]{8}:[0-9A-Fa-f]{4}$")
_HEX_V6 = re.compile(r"\[(?:[0-9A-Fa-f]{4}:){7}[0-9A-Fa-f]{4}\]:[0-9A-Fa-f]{4}$")
_WORD = re.compile(r"[A-Za-z0-9_-]+$")   # scheduler names are free text, but plain words
_TITLES = (("Conns", ListingFormat.STATS), ("CPS", ListingFormat.RATE),
           ("Uthreshold", ListingFormat.THRESHOLDS), ("PersistConn", ListingFormat.PERSISTENT_CONN))
_NOT_A_TABLE = (
    ("IPVS connection entries", "this is the connection table (ipvsadm -Lnc), not the "
                                "service table; give ipvsadm -Sn or -Ln output"),
    ("pro expire state", "this is the connection table (ipvsadm -Lnc), not the service table"),
    ("Timeout (tcp tcpfin udp)", "this is ipvsadm -L --timeout output, not the service table"),
    ("Pro FromIP", "this is /proc/net/ip_vs_conn (the connection table), not the service "
                   "table; give /proc/net/ip_vs"),
    ("Total Incoming", "this is /proc/net/ip_vs_stats (totals), not the service table"),
    ("master sync daemon", "this is ipvsadm -L --daemon output, not the service table"),
    ("backup sync daemon", "this is ipvsadm -L --daemon output, not the service table"),
)


def parse_ipvsadm(text: str, source: str = "<ipvsadm>") -> IpvsTable:
    """The IPVS table in `text`, whichever listing printed it. Raises ListingError naming the
    source, line number and line when the text is not one of them."""
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), 1) if raw.strip()]
    if not lines:
        return IpvsTable(ListingFormat.SAVE, {}, None, source)
    first_no, first = lines[0]
    for prefix, reason in _NOT_A_TABLE:
        if first.startswith(prefix):
            raise ListingError(source, first_no, first, reason)
    if first.startswith(("-A ", "-a ")):
        return _parse_save(lines, source)
    return _parse_listing(lines, source)


# ---------------------------------------------------------------- ipvsadm -Ln and its modes

@dataclass
class _Builder:
    """Services in the making: the last service line collects the destinations under it."""

    source: str
    fmt: ListingFormat
    services: dict[ServiceKey, Service] = field(default_factory=dict)
    pending: list[tuple[Service, list[Destination]]] = field(default_factory=list)

    def add_service(self, service: Service, no: int, text: str) -> None:
        if service.key in self.services or any(s.key == service.key for s, _ in self.pending):
            raise ListingError(self.source, no, text, f"service {service.key} listed twice")
        self.pending.append((service, []))

    def add_destination(self, dest: Destination, no: int, text: str) -> None:
        if not self.pending:
            raise ListingError(self.source, no, text, "real server line before any service line")
        self.pending[-1][1].append(dest)

    def table(self, version: str | None) -> IpvsTable:
        out = {}
        for service, dests in self.pending:
            out[service.key] = Service(
                service.key, service.scheduler, service.flags, service.persistence, service.ops,
                tuple(dests), service.stats, service.rate, service.line)
        return IpvsTable(self.fmt, out, version, self.source)


def _parse_listing(lines: list[tuple[int, str]], source: str) -> IpvsTable:
    version = None
    fmt = ListingFormat.LIST
    rows = []
    for no, text in lines:
        if m := _VERSION.match(text):
            version = m.group(1)
        elif text.startswith("Prot LocalAddress:Port"):
            fmt = next((f for word, f in _TITLES if word in text.split()), fmt)
        elif text.startswith("-> RemoteAddress:Port"):
            if "TunnelInfo" in text.split():
                fmt = ListingFormat.TUN_INFO
        else:
            rows.append((no, text))
    if rows and _looks_like_proc(rows):
        if fmt is not ListingFormat.LIST:
            no, text = rows[0]
            raise ListingError(source, no, text, "hexadecimal address under a listing title")
        fmt = ListingFormat.PROC
    build = _Builder(source, fmt)
    for no, text in rows:
        if text.startswith("->"):
            build.add_destination(_destination(text, no, fmt, source), no, text)
        else:
            build.add_service(_service(text, no, fmt, source), no, text)
    return build.table(version)


def _looks_like_proc(rows: list[tuple[int, str]]) -> bool:
    """/proc/net/ip_vs prints hex: `TCP  C0A80A32:0050`, `FWM  00000007`, and IPv6 as eight
    4-digit groups with a 4-digit hex port, which inet_ntop (ipvsadm) never prints."""
    for _, text in rows:
        words = text.split()
        if words[0] == "->" or len(words) < 2:
            continue
        if words[0] == "FWM":
            return len(words[1]) == 8 and (words[1].startswith("0") or not words[1].isdigit())
        return bool(_HEX_V4.match(words[1]) or _HEX_V6.match(words[1]))
    return False


def _service(text: str, no: int, fmt: ListingFormat, source: str) -> Service:
    words = text.split()

    def fail(reason: str) -> ListingError:
        return ListingError(source, no, text, reason)

    proto = words[0]
    if proto not in Protocol.__members__:
        raise fail(f"unknown service kind '{escape_controls(proto, 20)}' "
                   "(expected TCP, UDP, SCTP or FWM)")
    if len(words) < 2:
        raise fail("service line without an address")
    rest = words[2:]
    if proto == "FWM":
        mark = _number(words[1], 16 if fmt is ListingFormat.PROC else 10, fail, "fwmark")
        family = 4
        if rest[:1] == ["IPv6"]:
            family, rest = 6, rest[1:]
        key = ServiceKey(Protocol.FWM, family, None, 0, mark)
    else:
        address, port = _address_port(words[1], fmt is ListingFormat.PROC, fail)
        key = ServiceKey(Protocol(proto), address.version, address, port)
    if not fmt.shows_scheduler:
        counters = _counters(rest, fail, raw_first=0)
        if fmt is ListingFormat.STATS:
            return Service(key, stats=counters, line=no)
        return Service(key, rate=counters, line=no)
    return _scheduled_service(key, rest, no, fmt, fail)


def _scheduled_service(key: ServiceKey, rest: list[str], no: int, fmt: ListingFormat,
                       fail: _Fail) -> Service:
    if not rest:
        raise fail("service line without a scheduler")
    scheduler, rest = rest[0], rest[1:]
    if not _WORD.match(scheduler):
        raise fail(f"'{escape_controls(scheduler, 40)}' is not a scheduler name")
    flags: tuple[str, ...] = ()
    persistence: Persistence | None = None
    ops = False
    words = iter(rest)
    for word in words:
        if word.startswith("(") and word.endswith(")") and not flags:
            flags = tuple(f for f in word[1:-1].split(",") if f)
        elif word == "persistent" and persistence is None:
            value = _number(next(words, ""), 10, fail, "persistence timeout")
            if fmt is ListingFormat.PROC:
                mask = _proc_mask(next(words, ""), key.family, fail)
                persistence = Persistence(None, mask, None, ticks=value)
            else:
                persistence = Persistence(value)
        elif word == "mask" and persistence is not None and fmt is not ListingFormat.PROC:
            persistence = Persistence(persistence.timeout, next(words, "") or None,
                                      persistence.engine)
        elif word == "pe" and persistence is not None:
            persistence = Persistence(persistence.timeout, persistence.netmask,
                                      next(words, "") or None, persistence.ticks)
        elif word == "ops" and not ops:
            ops = True
        else:
            raise fail(f"unexpected '{escape_controls(word, 40)}' on a service line")
    return Service(key, scheduler, flags, persistence, ops, line=no)


def _proc_mask(word: str, family: int, fail: _Fail) -> str | None:
    """The kernel prints the netmask as 8 hex digits: an IPv4 mask, or an IPv6 prefix length."""
    value = _number(word, 16, fail, "persistence netmask")
    if family == 6:
        return None if value == 128 else str(value)
    mask = str(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    return None if mask == "255.255.255.255" else mask


def _destination(text: str, no: int, fmt: ListingFormat, source: str) -> Destination:
    words = text.split()[1:]

    def fail(reason: str) -> ListingError:
        return ListingError(source, no, text, reason)

    if not words:
        raise fail("real server line without an address")
    address, port = _address_port(words[0], fmt is ListingFormat.PROC, fail)
    cols = words[1:]
    want = 5 if fmt in (ListingFormat.STATS, ListingFormat.RATE, ListingFormat.TUN_INFO) else 4
    if len(cols) != want:
        raise fail(f"expected {want} columns after the address for {fmt.value}, "
                   f"found {len(cols)}")
    if fmt is ListingFormat.STATS:
        return Destination(address, port, stats=_counters(cols, fail, raw_first=0), line=no)
    if fmt is ListingFormat.RATE:
        # CPS, InPPS and OutPPS of a real server are printed raw, the byte rates abbreviated
        return Destination(address, port, rate=_counters(cols, fail, raw_first=3), line=no)
    active = _number(cols[-2], 10, fail, "ActiveConn")
    inactive = _number(cols[-1], 10, fail, "InActConn")
    if fmt is ListingFormat.THRESHOLDS:
        return Destination(address, port, upper_threshold=_number(cols[0], 10, fail, "Uthreshold"),
                           lower_threshold=_number(cols[1], 10, fail, "Lthreshold"),
                           active_conn=active, inactive_conn=inactive, line=no)
    if fmt is ListingFormat.PERSISTENT_CONN:
        return Destination(address, port, weight=_signed(cols[0], fail),
                           persist_conn=_number(cols[1], 10, fail, "PersistConn"),
                           active_conn=active, inactive_conn=inactive, line=no)
    tunnel = cols[1] if fmt is ListingFormat.TUN_INFO else None
    return Destination(address, port, _forward(cols[0]), cols[0], weight=_signed(cols[-3], fail),
                       active_conn=active, inactive_conn=inactive, tunnel=tunnel, line=no)


def _forward(word: str) -> Forward:
    try:
        return Forward(word)
    except ValueError:
        return Forward.OTHER


# ---------------------------------------------------------------- ipvsadm -Sn (rule format)

_SVC_OPTIONS = {"-t": Protocol.TCP, "-u": Protocol.UDP, "--sctp-service": Protocol.SCTP,
                "--tcp-service": Protocol.TCP, "--udp-service": Protocol.UDP}
_SWITCHES = {"-g": Forward.ROUTE, "-m": Forward.MASQ, "-i": Forward.TUNNEL}


def _parse_save(lines: list[tuple[int, str]], source: str) -> IpvsTable:
    fmt = ListingFormat.SAVE
    build = _Builder(source, fmt)
    for no, text in lines:
        words = text.split()

        def fail(reason: str, no: int = no, text: str = text) -> ListingError:
            return ListingError(source, no, text, reason)

        if words[0] not in ("-A", "-a"):
            raise fail("expected an -A (service) or -a (real server) line of ipvsadm -Sn")
        key, rest = _save_key(words[1:], fail)
        if words[0] == "-A":
            service, old_words = _save_service(key, rest, no, fail)
            fmt = ListingFormat.SAVE_126 if old_words else fmt
            build.add_service(service, no, text)
            continue
        if not build.pending or build.pending[-1][0].key != key:
            raise fail(f"real server of {key}, which no -A line above defines")
        build.add_destination(_save_destination(rest, no, fail), no, text)
    build.fmt = fmt
    return build.table(None)


def _save_key(words: list[str], fail: _Fail) -> tuple[ServiceKey, list[str]]:
    if len(words) < 2:
        raise fail("line without a service (-t, -u, --sctp-service or -f)")
    option, value, rest = words[0], words[1], words[2:]
    if option in ("-f", "--fwmark-service"):
        mark = _number(value, 10, fail, "fwmark")
        if rest[:1] == ["-6"]:
            return ServiceKey(Protocol.FWM, 6, None, 0, mark), rest[1:]
        return ServiceKey(Protocol.FWM, 4, None, 0, mark), rest
    if option not in _SVC_OPTIONS:
        raise fail(f"unknown service option '{escape_controls(option, 30)}'")
    address, port = _address_port(value, False, fail)
    return ServiceKey(_SVC_OPTIONS[option], address.version, address, port), rest


def _save_service(key: ServiceKey, words: list[str], no: int,
                  fail: _Fail) -> tuple[Service, bool]:
    """The service and whether it used 1.26's bare `ops` / `pe NAME` words."""
    scheduler = None
    flags: tuple[str, ...] = ()
    timeout: int | None = None
    mask = engine = None
    ops = old = False
    it = iter(words)
    for word in it:
        if word in ("-s", "--scheduler"):
            scheduler = next(it, None)
        elif word in ("-p", "--persistent"):
            timeout = _number(next(it, ""), 10, fail, "persistence timeout")
        elif word in ("-M", "--netmask"):
            mask = next(it, None)
        elif word in ("--pe", "pe"):
            engine, old = next(it, None), old or word == "pe"
        elif word in ("-o", "--ops", "ops"):
            ops, old = True, old or word == "ops"
        elif word in ("-b", "--sched-flags"):
            flags = tuple(f for f in next(it, "").split(",") if f)
        else:
            raise fail(f"unexpected '{escape_controls(word, 40)}' on a service line")
    if scheduler is None:
        raise fail("service line without -s SCHEDULER")
    if not _WORD.match(scheduler):
        raise fail(f"'{escape_controls(scheduler, 40)}' is not a scheduler name")
    persistence = None
    if timeout is not None:
        persistence = Persistence(timeout, _host_mask_as_none(mask), engine)
    return Service(key, scheduler, flags, persistence, ops, line=no), old


def _host_mask_as_none(mask: str | None) -> str | None:
    return None if mask in (None, "255.255.255.255", "128") else mask


def _save_destination(words: list[str], no: int, fail: _Fail) -> Destination:
    address = port = weight = None
    forward: Forward | None = None
    word_printed = ""
    tunnel: list[str] = []
    it = iter(words)
    for word in it:
        if word in ("-r", "--real-server"):
            address, port = _address_port(next(it, ""), False, fail)
        elif word in _SWITCHES:
            forward, word_printed = _SWITCHES[word], word
        elif word == "(null)":   # forks with a forwarding method upstream does not know
            forward, word_printed = Forward.OTHER, word
        elif word in ("-w", "--weight"):
            weight = _signed(next(it, ""), fail)
        elif word in ("--tun-type", "--tun-port"):
            tunnel.append(f"{word[6:]}={next(it, '')}")
        elif word in ("--tun-nocsum", "--tun-csum", "--tun-remcsum", "-x", "-y"):
            if word in ("-x", "-y"):
                next(it, None)
            else:
                tunnel.append(word[6:])
        else:
            raise fail(f"unexpected '{escape_controls(word, 40)}' on a real server line")
    if address is None or port is None:
        raise fail("real server line without -r ADDRESS:PORT")
    if forward is None:
        raise fail("real server line without a forwarding method (-g, -m or -i)")
    return Destination(address, port, forward, word_printed, weight=weight,
                       tunnel=" ".join(tunnel) or None, line=no)


# ---------------------------------------------------------------- addresses and numbers

def _address_port(word: str, hexadecimal: bool, fail: _Fail) -> tuple[IpAddress, int]:
    """`a.b.c.d:PORT`, `[v6]:PORT`, or the kernel's `C0A80A32:0050` / `[2001:0db8:...]:0050`."""
    if word.startswith("["):
        host, sep, port_text = word[1:].partition("]:")
    else:
        host, sep, port_text = word.rpartition(":")
    if not sep or not host:
        raise fail(f"'{escape_controls(word, 60)}' is not ADDRESS:PORT")
    if port_text and not hexadecimal and not port_text.isdigit():
        raise fail(f"port '{escape_controls(port_text, 30)}' is not a number (ipvsadm printed "
                   "service names; run it with -n)")
    if not port_text:
        raise fail(f"'{escape_controls(word, 60)}' has no port (a name cut short: run "
                   "ipvsadm with -n)")
    port = _number(port_text, 16 if hexadecimal else 10, fail, "port")
    if port > 65535:
        raise fail(f"port {port} is out of range")
    try:
        if hexadecimal and not word.startswith("["):
            return ipaddress.IPv4Address(int(host, 16)), port
        return parse_address(host), port
    except ValueError:
        raise fail(f"'{escape_controls(host, 60)}' is not a numeric address "
                   "(names and redacted addresses cannot be compared; run ipvsadm with -n)"
                   ) from None


_SUFFIX = {"K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}


def _counters(words: list[str], fail: _Fail, raw_first: int) -> Counters:
    """Five counters; print_largenum abbreviates from 10^8 up with a truncating K/M/G/T."""
    if len(words) != 5:
        raise fail(f"expected 5 counters, found {len(words)}")
    values = []
    approximate = False
    for i, word in enumerate(words):
        unit = _SUFFIX.get(word[-1:]) if i >= raw_first else None
        if unit is not None:
            values.append(_number(word[:-1], 10, fail, "counter") * unit)
            approximate = True
        else:
            values.append(_number(word, 10, fail, "counter"))
    conns, in_packets, out_packets, in_bytes, out_bytes = values
    return Counters(conns, in_packets, out_packets, in_bytes, out_bytes, approximate)


def _number(word: str, base: int, fail: _Fail, what: str) -> int:
    digits = "0123456789abcdefABCDEF" if base == 16 else "0123456789"
    if not word or any(c not in digits for c in word):
        raise fail(f"{what} '{escape_controls(word, 40)}' is not a number")
    return int(word, base)


def _signed(word: str, fail: _Fail) -> int:
    if word.startswith("-"):
        return -_number(word[1:], 10, fail, "weight")
    return _number(word, 10, fail, "weight")


def iter_destinations(table: IpvsTable) -> Iterator[tuple[Service, Destination]]:
    for service in table.services.values():
        for dest in service.destinations:
            yield service, dest
