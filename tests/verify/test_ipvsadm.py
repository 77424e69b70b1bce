"""The ipvsadm reader over every captured sample, and synthetic cases for what no sample shows.

Expected values below were written by reading each sample file, not from the reader's output.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kaconf.verify.ipvsadm import (
    Counters,
    Forward,
    IpvsTable,
    ListingError,
    ListingFormat,
    Persistence,
    parse_ipvsadm,
)

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ipvsadm"
SAMPLES = REFERENCE / "samples"
REAL = REFERENCE / "real"

F = ListingFormat


def rows(table: IpvsTable) -> list[tuple[object, ...]]:
    """service -> (scheduler, flags, persistence, ops, [(dest, forward word, weight, active,
    inactive)]), in key order (ipvsadm's order means nothing)."""
    out = []
    for key in sorted(table.services, key=str):
        s = table.services[key]
        p = s.persistence
        pers = None if p is None else (p.timeout or p.ticks, p.netmask)
        dests = sorted((d.endpoint, d.forward_word, d.weight, d.active_conn, d.inactive_conn)
                       for d in s.destinations)
        out.append((str(key), s.scheduler, s.flags, pers, s.ops, dests))
    return out


def dest_count(table: IpvsTable) -> int:
    return sum(len(s.destinations) for s in table.services.values())


# ---------------------------------------------------------------- samples/ (posted outputs)

READABLE = [
    pytest.param("04-ln-ipv6-dr-keepalived-2342.txt", F.LIST, [
        ("TCP [fd15:4ba5:5a2b:1008:bf28:eb3c:d1e4:1234]:80", "rr", (), None, False,
         [("[fd15:4ba5:5a2b:1008:bf28:eb3c:d1e4:5555]:80", "Route", 1, 0, 2)])], id="04-ipv6"),
    pytest.param("05-ln-fwm-local-route-keepalived-1431.txt", F.LIST, [
        ("FWM 3", "wrr", (), None, False, [("10.0.88.214:0", "Local", 1, 0, 0),
                                           ("10.0.88.215:0", "Route", 1, 0, 0)]),
        ("FWM 7", "wrr", (), None, False, [("10.0.88.214:0", "Local", 1, 0, 0),
                                           ("10.0.88.215:0", "Route", 1, 0, 0)])], id="05-fwm"),
    pytest.param("06-ln-nat-default-masq-keepalived-1757.txt", F.LIST, [
        ("TCP 10.0.2.15:80", "wlc", (), None, False, [("10.0.2.16:80", "Masq", 1, 0, 0)])],
        id="06-nat"),
    pytest.param("07-ln-udp-ops-keepalived-821.txt", F.LIST, [
        ("UDP 172.31.50.6:9999", "rr", (), None, True,
         sorted((f"172.31.50.{n}:9999", "Masq", 1, 0, 0) for n in range(8, 16)))],
        id="07-udp-ops"),
    pytest.param("13-Sn-save-numeric-fullnat-fork-alibaba-lvs-15.txt", F.SAVE, [
        ("TCP 10.10.11.77:80", "rr", (), None, False,
         [("10.10.11.66:80", "(null)", 100, None, None)])], id="13-save-fork-null"),
    pytest.param("20-ln-dr-wrr-collapsed-whitespace-reibang.txt", F.LIST, [
        ("TCP 10.100.5.98:6030", "wrr", (), None, False,
         [("10.100.5.86:6030", "Route", 5, 5, 0), ("10.100.5.87:6030", "Route", 5, 17, 0),
          ("10.100.5.88:6030", "Route", 5, 17, 0)])], id="20-collapsed"),
    pytest.param("26-ln-dr-persistent-5-keepalived-1827.txt", F.LIST, [
        ("TCP 172.16.10.30:3128", "wrr", (), (5, None), False,
         [("172.128.10.31:3128", "Route", 1, 0, 0), ("172.128.10.32:3128", "Route", 1, 3, 0)])],
        id="26-persistent"),
    pytest.param("27-ln-header-trailing-spaces-k8s-community-692.txt", F.LIST, [
        ("TCP 10.102.128.4:3080", "rr", (), None, False,
         [("10.244.0.235:8080", "Masq", 1, 0, 0), ("10.244.2.123:8080", "Masq", 1, 0, 0)])],
        id="27-trailing-title"),
    pytest.param("29-Ln-persistent-conn-persistent-120-UNLINKED.txt", F.PERSISTENT_CONN, [
        ("TCP 10.10.10.11:80", "rr", (), (120, None), False,
         [("192.168.40.23:80", "", 1, 0, 0), ("192.168.40.24:80", "", 1, 0, 2)])],
        id="29-persistent-conn"),
    pytest.param("30-proc-net-ip_vs-hex-UNLINKED.txt", F.PROC, [
        ("TCP 192.168.10.50:80", "wrr", (), None, False,
         [("192.168.10.180:80", "Route", 1, 0, 0), ("192.168.10.188:80", "Route", 1, 0, 0),
          ("192.168.10.202:80", "Route", 1, 0, 0)])], id="30-proc-hex"),
]


@pytest.mark.parametrize(("name", "fmt", "expected"), READABLE)
def test_sample_reads_as_written(name: str, fmt: ListingFormat,
                                 expected: list[tuple[object, ...]]) -> None:
    table = parse_ipvsadm((SAMPLES / name).read_text(), name)
    assert table.format is fmt
    assert rows(table) == expected


# (file, format, services, real servers, a few exact facts)
LARGER = [
    pytest.param("10-ln-sctp-udp-tcp-k8s-81477.txt", F.LIST, 7, 13, id="10-sctp"),
    pytest.param("18-ln-k8s-loopback-nodeports-89923.txt", F.LIST, 4, 9, id="18-k8s"),
    pytest.param("24-ln-persistent-collapsed-whitespace-keepalived-1028.txt", F.LIST, 14, 14,
                 id="24-persistent-1800"),
    pytest.param("25-ln-k8s-persistent-10800-opsnull-251.txt", F.LIST, 7, 14, id="25-k8s"),
    pytest.param("02-ln-stats-kube-router-160.txt", F.STATS, 3, 10, id="02-stats"),
    pytest.param("21-ln-stats-K-M-collapsed-whitespace-reibang.txt", F.STATS, 1, 3,
                 id="21-stats-KM"),
    pytest.param("22-ln-rate-collapsed-whitespace-reibang.txt", F.RATE, 1, 3, id="22-rate"),
]


@pytest.mark.parametrize(("name", "fmt", "services", "dests"), LARGER)
def test_larger_sample_counts(name: str, fmt: ListingFormat, services: int, dests: int) -> None:
    table = parse_ipvsadm((SAMPLES / name).read_text(), name)
    assert (table.format, len(table.services), dest_count(table)) == (fmt, services, dests)


def test_sctp_has_one_space_and_its_own_services() -> None:
    table = parse_ipvsadm((SAMPLES / "10-ln-sctp-udp-tcp-k8s-81477.txt").read_text())
    names = {str(k) for k in table.services}
    assert {"SCTP 10.0.2.15:31514", "SCTP 10.103.164.9:1000", "UDP 10.96.0.10:53",
            "TCP 10.96.0.10:53"} <= names
    assert [d.endpoint for d in table.services[_key(table, "SCTP 10.0.2.15:31514")].destinations
            ] == ["20.20.195.135:1000", "20.20.195.136:1000", "20.20.195.137:1000"]


def test_persistence_and_port_1_in_k8s_sample() -> None:
    table = parse_ipvsadm((SAMPLES / "25-ln-k8s-persistent-10800-opsnull-251.txt").read_text())
    assert table.services[_key(table, "TCP 10.254.0.1:443")].persistence == Persistence(10800)
    assert [d.port for d in table.services[_key(table, "TCP 10.254.20.57:1")].destinations
            ] == [1, 1, 1]


def test_stats_suffixes_are_multiplied_back_and_marked_approximate() -> None:
    table = parse_ipvsadm((SAMPLES / "21-ln-stats-K-M-collapsed-whitespace-reibang.txt").read_text())
    (service,) = table.services.values()
    assert service.stats == Counters(113786, 19495479, 0, 2110 * 10**6, 0, approximate=True)
    first = service.destinations[0]
    assert (first.endpoint, first.stats) == (
        "10.100.5.86:6030", Counters(12883, 1679941, 0, 181747 * 10**3, 0, approximate=True))
    assert service.scheduler is None   # --stats shows no scheduler


def test_stats_without_suffix_are_exact() -> None:
    table = parse_ipvsadm((SAMPLES / "02-ln-stats-kube-router-160.txt").read_text())
    service = table.services[_key(table, "TCP 10.3.0.42:80")]
    assert service.stats == Counters(14209, 111769, 74613, 7207174, 8334358)
    assert table.version == "1.2.1"


def test_rate_sample() -> None:
    table = parse_ipvsadm((SAMPLES / "22-ln-rate-collapsed-whitespace-reibang.txt").read_text())
    (service,) = table.services.values()
    assert service.rate == Counters(0, 2, 0, 193, 0)
    assert [d.rate.in_bytes for d in service.destinations if d.rate] == [54, 65, 73]


UNREADABLE = [
    pytest.param("01-ln-hostnames-truncated-kube-router-415.txt", 4, "has no port", id="01"),
    pytest.param("03-stats-line-K-M-suffix-dpvs-386.txt", 1, "service names", id="03"),
    pytest.param("08-ln-udp-redacted-keepalived-2163.txt", 4, "not a numeric address", id="08"),
    pytest.param("09-lnc-connections-keepalived-1138.txt", 1, "connection table", id="09"),
    pytest.param("11-l-fullnat-fork-alibaba-lvs-15.txt", 4, "service names", id="11"),
    pytest.param("12-S-save-hostnames-fullnat-fork-alibaba-lvs-15.txt", 1, "service names",
                 id="12"),
    pytest.param("14-ln-dpvs-fork-null-fullnat-646.txt", 4, "not a numeric address", id="14"),
    pytest.param("15-ln-dpvs-fork-match-snat-95.txt", 4, "unknown service kind 'MATCH'",
                 id="15"),
    pytest.param("16-ln-mixed-v4-v6-redacted-blanklines-keepalived-341.txt", 1,
                 "'x.x.x.25' is not a numeric address", id="16"),
    pytest.param("17-ln-grep-tunnel-weight-keepalived-187.txt", 1,
                 "real server line before any service", id="17"),
    pytest.param("19-ln-redacted-prefix-kube-vip-781.txt", 4, "not a numeric address", id="19"),
    pytest.param("23-lnc-fullnat-fork-hex-state-alibaba-lvs-29.txt", 1, "connection table",
                 id="23"),
    pytest.param("28-L-persistent-conn-hostnames-UNLINKED.txt", 4, "service names", id="28"),
    pytest.param("31-lc-connections-hostnames-FIN_WAIT-UNLINKED.txt", 1, "connection table",
                 id="31"),
    # the poster appended "<<== removed" to one line: not ipvsadm output
    pytest.param("32-L-persistent-1800-removed-rs-kube-keepalived-vip-117.txt", 9,
                 "expected 4 columns", id="32"),
    pytest.param("33-Lcn-persistence-templates-port0-kube-keepalived-vip-117.txt", 1,
                 "connection table", id="33"),
]


@pytest.mark.parametrize(("name", "line", "reason"), UNREADABLE)
def test_sample_that_cannot_be_compared_is_a_one_line_error(name: str, line: int,
                                                            reason: str) -> None:
    text = (SAMPLES / name).read_text()
    with pytest.raises(ListingError) as err:
        parse_ipvsadm(text, name)
    assert (err.value.source, err.value.line) == (name, line)
    assert reason in str(err.value)
    assert str(err.value).startswith(f"{name}:{line}: ")
    assert text.splitlines()[line - 1].strip() in str(err.value)
    assert "\n" not in str(err.value)


def test_every_sample_is_covered() -> None:
    covered = {p.values[0] for p in READABLE + LARGER + UNREADABLE}
    assert covered == {p.name for p in SAMPLES.glob("*.txt")}


def _key(table: IpvsTable, name: str):  # type: ignore[no-untyped-def]
    return next(k for k in table.services if str(k) == name)


# ---------------------------------------------------------------- real/ (kernel IPVS captures)

# what each state's table holds, read from its ipvsadm-Sn.txt and ipvsadm-Ln.txt:
# service -> (scheduler, flags, (timeout, mask) or None, ops, {dest: (forward word, weight)})
DR_NAT_INITIAL = {
    "TCP 203.0.113.10:80": ("wrr", (), (300, None), False,
                            {"198.51.100.11:80": ("Route", 3), "198.51.100.12:80": ("Route", 1)}),
    "TCP 203.0.113.11:8080": ("wlc", (), None, False,
                              {"198.51.100.11:8080": ("Masq", 2),
                               "198.51.100.12:8080": ("Masq", 1)}),
}
DR_NAT_AFTER_STOP = {**DR_NAT_INITIAL, "TCP 203.0.113.10:80": (
    "wrr", (), (300, None), False, {"198.51.100.11:80": ("Route", 3)})}
EXTENDED_INITIAL = {
    "TCP 203.0.113.20:443": ("sh", ("sh-fallback", "sh-port"), (600, "255.255.255.0"), False,
                             {"198.51.100.21:443": ("Masq", 5), "198.51.100.22:443": ("Masq", 5)}),
    "TCP 203.0.113.22:80": ("mh", ("mh-port",), None, False, {"198.51.100.23:80": ("Tunnel", 1)}),
    "TCP 203.0.113.23:80": ("lc", (), None, False, {"198.51.100.30:80": ("Masq", 1)}),
    "TCP 203.0.113.24:8080": ("nq", (), None, False, {"198.51.100.21:8080": ("Masq", 1)}),
    "TCP 203.0.113.25:8080": ("nq", (), None, False, {"198.51.100.21:8080": ("Masq", 1)}),
    "UDP 203.0.113.21:53": ("rr", (), None, False,
                            {"198.51.100.21:53": ("Masq", 1), "198.51.100.22:53": ("Masq", 1)}),
    "UDP 203.0.113.21:514": ("wrr", (), None, True,
                             {"198.51.100.21:514": ("Masq", 2), "198.51.100.22:514": ("Masq", 1)}),
    "TCP [2001:db8:113::10]:80": ("sed", (), None, False,
                                  {"[2001:db8:51::11]:80": ("Masq", 1),
                                   "[2001:db8:51::12]:80": ("Masq", 2)}),
    "FWM 7": ("wlc", (), (120, None), False, {"198.51.100.21:0": ("Route", 2)}),
}
EXTENDED_AFTER_STOP = {**EXTENDED_INITIAL, "TCP 203.0.113.20:443": (
    "sh", ("sh-fallback", "sh-port"), (600, "255.255.255.0"), False,
    {"198.51.100.21:443": ("Masq", 5), "198.51.100.22:443": ("Masq", 0)})}
STATES = {("dr-nat", "initial"): DR_NAT_INITIAL, ("dr-nat", "traffic"): DR_NAT_INITIAL,
          ("dr-nat", "after-stop"): DR_NAT_AFTER_STOP,
          ("extended", "initial"): EXTENDED_INITIAL, ("extended", "traffic"): EXTENDED_INITIAL,
          ("extended", "after-stop"): EXTENDED_AFTER_STOP}
TABLE_FILES = {"ipvsadm-Sn.txt": F.SAVE, "ipvsadm-Ln.txt": F.LIST,
               "ipvsadm-Ln--stats.txt": F.STATS, "ipvsadm-Ln--stats--exact.txt": F.STATS,
               "ipvsadm-Ln--rate.txt": F.RATE, "ipvsadm-Ln--rate--exact.txt": F.RATE,
               "ipvsadm-Ln--thresholds.txt": F.THRESHOLDS,
               "ipvsadm-Ln--persistent-conn.txt": F.PERSISTENT_CONN,
               "proc-net-ip_vs.txt": F.PROC}
NOT_TABLES = {"ipvsadm-Lnc.txt": "connection table", "ipvsadm-Lnc--persistent-conn.txt":
              "connection table", "ipvsadm-L--timeout.txt": "--timeout",
              "proc-net-ip_vs_conn.txt": "ip_vs_conn", "proc-net-ip_vs_stats.txt": "ip_vs_stats"}


def _real_cases() -> list[object]:
    return [pytest.param(scenario, state, name, id=f"{scenario}-{state}-{name}")
            for (scenario, state) in STATES for name in TABLE_FILES]


@pytest.mark.parametrize(("scenario", "state", "name"), _real_cases())
def test_real_capture_reads_as_the_state_it_shows(scenario: str, state: str, name: str) -> None:
    table = parse_ipvsadm((REAL / scenario / "states" / state / name).read_text(), name)
    fmt = TABLE_FILES[name]
    assert table.format is fmt
    expected = STATES[(scenario, state)]
    assert {str(k) for k in table.services} == set(expected)
    for key, service in table.services.items():
        sched, flags, pers, ops, dests = expected[str(key)]
        assert {d.endpoint for d in service.destinations} == set(dests)
        if fmt.shows_scheduler:
            assert (service.scheduler, service.ops) == (sched, ops)
            got = service.persistence
            assert (got is None) == (pers is None)
            if got is not None and pers is not None:
                assert got.netmask == pers[1]
                # procfs prints jiffies: the captures' kernel runs at HZ=250
                assert (got.timeout if fmt is not F.PROC else (got.ticks or 0) // 250) == pers[0]
        if fmt.shows_sched_flags:
            assert service.flags == flags
        for d in service.destinations:
            if fmt.shows_forward:
                assert d.forward is not None and d.forward.value == dests[d.endpoint][0]
            if fmt.shows_weight:
                assert d.weight == dests[d.endpoint][1]


@pytest.mark.parametrize("name", sorted(NOT_TABLES))
@pytest.mark.parametrize("state", ["initial", "traffic", "after-stop"])
@pytest.mark.parametrize("scenario", ["dr-nat", "extended"])
def test_real_capture_of_another_listing_is_refused(scenario: str, state: str,
                                                    name: str) -> None:
    with pytest.raises(ListingError, match="not the service table"):
        parse_ipvsadm((REAL / scenario / "states" / state / name).read_text(), name)
    assert NOT_TABLES[name]


def test_real_stats_after_traffic_are_exact_counters() -> None:
    table = parse_ipvsadm((REAL / "extended/states/traffic/ipvsadm-Ln--stats.txt").read_text())
    service = table.services[_key(table, "UDP 203.0.113.21:53")]
    assert service.stats == Counters(3, 3, 3, 99, 93)
    assert [d.stats for d in service.destinations] == [Counters(1, 1, 1, 33, 31),
                                                       Counters(2, 2, 2, 66, 62)]


def test_real_tunnel_save_line_keeps_its_tunnel_type() -> None:
    table = parse_ipvsadm((REAL / "extended/states/initial/ipvsadm-Sn.txt").read_text())
    (dest,) = table.services[_key(table, "TCP 203.0.113.22:80")].destinations
    assert (dest.forward, dest.tunnel) == (Forward.TUNNEL, "type=ipip")


def test_real_thresholds() -> None:
    table = parse_ipvsadm((REAL / "extended/states/initial/ipvsadm-Ln--thresholds.txt")
                          .read_text())
    dest = table.services[_key(table, "TCP 203.0.113.20:443")].destinations
    assert {(d.endpoint, d.upper_threshold, d.lower_threshold) for d in dest} == {
        ("198.51.100.21:443", 1000, 100), ("198.51.100.22:443", 0, 0)}


def test_real_daemon_listing_of_dr_nat_is_empty_and_of_extended_is_refused() -> None:
    empty = parse_ipvsadm((REAL / "dr-nat/states/initial/ipvsadm-L--daemon.txt").read_text())
    assert empty.services == {}
    with pytest.raises(ListingError, match="--daemon"):
        parse_ipvsadm((REAL / "extended/states/initial/ipvsadm-L--daemon.txt").read_text())


# ---------------------------------------------------------------- synthetic (no sample shows)

def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


SYNTHETIC = [
    pytest.param(dedent("""
        -A -t 10.0.0.1:80 -s wrr -p 300 ops
        -a -t 10.0.0.1:80 -r 10.0.1.1:80 -g -w 1
        -A -u 10.0.0.1:5060 -s rr -p 60 pe sip
        -a -u 10.0.0.1:5060 -r 10.0.1.2:5060 -m -w 2
        """), F.SAVE_126, [
        ("TCP 10.0.0.1:80", "wrr", (), (300, None), True, [("10.0.1.1:80", "-g", 1, None, None)]),
        ("UDP 10.0.0.1:5060", "rr", (), (60, None), False,
         [("10.0.1.2:5060", "-m", 2, None, None)])], id="synthetic-save-1.26-words"),
    pytest.param(dedent("""
        -A -f 12 -6 -s mh -b mh-fallback,mh-port -p 900 -M 64 --pe sip -o
        -a -f 12 -6 -r [2001:db8::5]:0 -i -w 0 --tun-type gue --tun-port 6080 --tun-nocsum
        -A --sctp-service [2001:db8::1]:3868 -s sed
        -a --sctp-service [2001:db8::1]:3868 -r [2001:db8::6]:3868 -m -w 7
        """), F.SAVE, [
        ("FWM 12 IPv6", "mh", ("mh-fallback", "mh-port"), (900, "64"), True,
         [("[2001:db8::5]:0", "-i", 0, None, None)]),
        ("SCTP [2001:db8::1]:3868", "sed", (), None, False,
         [("[2001:db8::6]:3868", "-m", 7, None, None)])], id="synthetic-save-fwm6-sctp6-gue"),
    pytest.param(dedent("""
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
        TCP  10.0.0.1:443 sh (sh-fallback,sh-port) persistent 600 mask 255.255.255.0 pe sip ops
          -> 10.0.1.1:443                 Masq    0      0          0
        FWM  4294967295 IPv6 wlc (flag-1) persistent 60 mask 64
          -> [2001:db8::7]:0              Tunnel  3      1          2
        UDP  10.0.0.2:53 rr
        """), F.LIST, [
        ("FWM 4294967295 IPv6", "wlc", ("flag-1",), (60, "64"), False,
         [("[2001:db8::7]:0", "Tunnel", 3, 1, 2)]),
        ("TCP 10.0.0.1:443", "sh", ("sh-fallback", "sh-port"), (600, "255.255.255.0"), True,
         [("10.0.1.1:443", "Masq", 0, 0, 0)]),
        ("UDP 10.0.0.2:53", "rr", (), None, False, [])], id="synthetic-flags-mask-pe-fwm6-empty"),
    pytest.param(dedent("""
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn
        TCP  10.0.0.1:80 rr
          -> 10.0.1.1:80                  Tunnel  gue:6080:-c   1      0          0
          -> 10.0.1.2:80                  Masq    n/a           -2     0          0
        """), F.TUN_INFO, [
        ("TCP 10.0.0.1:80", "rr", (), None, False,
         [("10.0.1.1:80", "Tunnel", 1, 0, 0), ("10.0.1.2:80", "Masq", -2, 0, 0)])],
        id="synthetic-tun-info-no-version-line"),
]


@pytest.mark.parametrize(("text", "fmt", "expected"), SYNTHETIC)
def test_synthetic_listing(text: str, fmt: ListingFormat,
                           expected: list[tuple[object, ...]]) -> None:
    table = parse_ipvsadm(text, "synthetic")
    assert table.format is fmt
    assert rows(table) == expected


def test_synthetic_stats_with_g_and_t_suffixes_and_exact_wide_columns() -> None:
    table = parse_ipvsadm(dedent("""
        Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
          -> RemoteAddress:Port
        TCP  10.0.0.1:80                  12345678901 5G 7T 100000000000000 1
          -> 10.0.1.1:80                         1        2        3        4        5
        """))
    (service,) = table.services.values()
    assert service.stats == Counters(12345678901, 5 * 10**9, 7 * 10**12, 10**14, 1,
                                     approximate=True)
    assert service.destinations[0].stats == Counters(1, 2, 3, 4, 5)


def test_synthetic_proc_ipv6_fwmark_and_ops_with_persistence() -> None:
    table = parse_ipvsadm(dedent("""
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port Forward Weight ActiveConn InActConn
        UDP  [2001:0db8:0000:0000:0000:0000:0000:0001]:0035 rr ops persistent 7500 00000040
          -> [2001:0db8:0000:0000:0000:0000:0000:0002]:0035      Masq    1      0          0
        FWM  0000000A wlc persistent 2500 FFFFFF00
          -> 0A000001:0000      Local   1      0          0
        """))
    assert table.format is F.PROC
    assert rows(table) == [
        ("FWM 10", "wlc", (), (2500, "255.255.255.0"), False, [("10.0.0.1:0", "Local", 1, 0, 0)]),
        ("UDP [2001:db8::1]:53", "rr", (), (7500, "64"), True,
         [("[2001:db8::2]:53", "Masq", 1, 0, 0)])]


@pytest.mark.parametrize(("text", "line", "reason"), [
    pytest.param("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.2:80 -r 10.0.1.1:80 -m -w 1\n", 2,
                 "which no -A line above defines", id="save-orphan-real-server"),
    pytest.param("-A -t 10.0.0.1:99999 -s rr\n", 1, "out of range", id="port-range"),
    pytest.param("TCP  10.0.0.1:80 rr\nTCP  10.0.0.1:80 rr\n", 2, "listed twice", id="twice"),
    pytest.param("TCP  10.0.0.1:80 rr bogus\n", 1, "unexpected 'bogus'", id="service-word"),
    pytest.param("TCP  10.0.0.1:80 rr\n  -> 10.0.1.1:80 Masq x 0 0\n", 2, "weight 'x'",
                 id="weight-word"),
    pytest.param("TCP  10.0.0.1:80 rr\x1b]0;pwned\x07\n", 1, "\\x1b]0;pwned\\x07",
                 id="controls-escaped"),
    pytest.param("-A -t 10.0.0.1:80\n", 1, "without -s", id="save-no-scheduler"),
    pytest.param("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -w 1\n", 2,
                 "without a forwarding method", id="save-no-method"),
])
def test_synthetic_bad_text_names_the_line(text: str, line: int, reason: str) -> None:
    with pytest.raises(ListingError) as err:
        parse_ipvsadm(text, "in.txt")
    assert err.value.line == line
    assert reason in str(err.value)
    assert "\x1b" not in str(err.value)


def test_empty_save_output_is_an_empty_table() -> None:
    assert parse_ipvsadm("\n  \n").services == {}
