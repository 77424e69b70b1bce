"""The codes `kaconf verify` reports (KA600-KA612), with the page `kaconf explain` shows.

Each explanation's `## Bad` block is a configuration and its `## Live` block the `ipvsadm -Sn`
output of the director; tests/verify/test_codes.py checks that verify reports the code on that
pair and not with the `## Good` configuration.
"""
from __future__ import annotations

from kaconf.diagnostics import Code, Severity

E, W = Severity.ERROR, Severity.WARNING


def _vs(head: str = "10.0.0.10 80", sched: str = "wrr", method: str = "DR",
        persistence: str | None = "300", reals: tuple[tuple[int, int], ...] = ((11, 3), (12, 1))
        ) -> str:
    """An indented virtual_server block for the examples below."""
    port = head.split()[1]
    lines = [f"virtual_server {head} {{", "    protocol TCP", f"    lvs_sched {sched}",
             f"    lvs_method {method}"]
    if persistence is not None:
        lines.append(f"    persistence_timeout {persistence}")
    for host, weight in reals:
        lines += [f"    real_server 10.0.1.{host} {port} {{", f"        weight {weight}", "    }"]
    return "".join(f"    {line}\n" for line in [*lines, "}"])


_VS = _vs()


_PAGES: dict[str, str] = {
    "KA600": """\
`kaconf verify` could not read this director: ssh failed or timed out, a command failed, or
its output is not an ipvsadm listing or `ip -j addr` JSON.

## Why it matters
Nothing is known about this director, so none of its drift can be reported; the other
directors are still checked. The exit status is 2.

## Bad
    ssh: connect to host lb2 port 22: Connection refused

## Good
Make `ssh -o BatchMode=yes lb2 ipvsadm -Sn` work (key, known_hosts, sudo -n), or collect the
files another way and use `--from-dir`.
""",
    "KA601": f"""\
A virtual_server of the configuration has no IPVS service on the director.

## Why it matters
Clients of that address and port get no answer. keepalived does not recreate a service that
was deleted by hand (`ipvsadm -D`) until it restarts (keepalived#1877), and a reload that
failed leaves the old table in place.

## Bad
{_VS}
## Live
    -A -t 10.0.0.20:80 -s rr

## Good
Restart keepalived (or `systemctl reload keepalived` and check its log) so the table matches:

{_vs("10.0.0.20 80", "rr", "NAT", None, ((11, 1),))}
""",
    "KA602": f"""\
The director runs an IPVS service that no virtual_server defines.

## Why it matters
A service left from an old configuration, or added by hand, still takes traffic for its
address and port, with real servers nobody checks any more.

## Bad
{_VS}
## Live
    -A -t 10.0.0.10:80 -s wrr -p 300
    -a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 3
    -a -t 10.0.0.10:80 -r 10.0.1.12:80 -g -w 1
    -A -t 10.0.0.10:8080 -s rr

## Good
Delete the stray service (`ipvsadm -D -t 10.0.0.10:8080`), or add it to the configuration:

{_VS}{_vs("10.0.0.10 8080", "rr", "NAT", None, ((11, 1),))}""",
    "KA603": f"""\
A real_server of the configuration is not a destination of its live service.

## Why it matters
Less capacity than planned. When the real server has a health checker, keepalived removed it
because the check fails (a warning: look at the server); without a checker nothing should ever
remove it (an error: someone ran `ipvsadm -d`, or a reload did not apply). When keepalived's
check data is collected, it decides: a server it holds down is not reported at all, and one it
holds up is an error (it was removed behind keepalived's back).

## Bad
{_VS}
## Live
    -A -t 10.0.0.10:80 -s wrr -p 300
    -a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 3

## Good
{_vs(reals=((11, 3),))}""",
    "KA604": f"""\
The live service has a destination that is neither a real_server nor the sorry_server.

## Why it matters
Traffic goes to a server nobody checks: often one removed from the configuration that a
reload left behind (persistence keeps clients on it), or one added by hand.

## Bad
{_VS}
## Live
    -A -t 10.0.0.10:80 -s wrr -p 300
    -a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 3
    -a -t 10.0.0.10:80 -r 10.0.1.12:80 -g -w 1
    -a -t 10.0.0.10:80 -r 10.0.1.13:80 -g -w 1

## Good
Remove it (`ipvsadm -d -t 10.0.0.10:80 -r 10.0.1.13:80`) or declare it:

{_vs(reals=((11, 3), (12, 1), (13, 1)))}""",
    "KA605": f"""\
A destination's live weight differs from the configured weight.

## Why it matters
Traffic is spread differently than planned. keepalived does not always apply a weight changed
by a reload (keepalived#1354). A weight of 0 under `inhibit_on_failure` means the health check
fails and is not reported; a weight keepalived's check data shows as its effective weight
(dynamic weights) is not reported either.

## Bad
{_VS}
## Live
    -A -t 10.0.0.10:80 -s wrr -p 300
    -a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 5
    -a -t 10.0.0.10:80 -r 10.0.1.12:80 -g -w 1

## Good
{_vs(reals=((11, 5), (12, 1)))}""",
    "KA606": f"""\
The live service uses another scheduler, other scheduler flags (sh-port, mh-fallback, ...)
or another one-packet-scheduling (ops) setting than the configuration.

## Why it matters
Load is balanced by a rule nobody chose: after `ipvsadm -E` by hand, or a reload that did not
apply. Changing the scheduler by hand also drops persistence.

## Bad
{_VS}
## Live
    -A -t 10.0.0.10:80 -s rr -p 300
    -a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 3
    -a -t 10.0.0.10:80 -r 10.0.1.12:80 -g -w 1

## Good
{_vs(sched="rr")}""",
    "KA607": f"""\
A destination is forwarded by another method than its lvs_method (NAT is Masq, DR is Route,
TUN is Tunnel). `Local`, a real server that is an address of the director, matches any method.

## Why it matters
NAT needs the real servers to route replies through the director; DR and TUN need the VIP on
the real servers. With the wrong method, replies are dropped or go the wrong way.

## Bad
{_VS}
## Live
    -A -t 10.0.0.10:80 -s wrr -p 300
    -a -t 10.0.0.10:80 -r 10.0.1.11:80 -m -w 3
    -a -t 10.0.0.10:80 -r 10.0.1.12:80 -m -w 1

## Good
{_vs(method="NAT")}""",
    "KA608": f"""\
The live persistence timeout or netmask (persistence_granularity) differs from the
configuration, or the service is persistent when it should not be, or not when it should.

## Why it matters
Clients stick to a real server for another time than planned. keepalived applied a changed
persistence_timeout only on restart (keepalived#1587); `ipvsadm -E` without `-p` drops it.

## Bad
{_VS}
## Live
    -A -t 10.0.0.10:80 -s wrr -p 60
    -a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 3
    -a -t 10.0.0.10:80 -r 10.0.1.12:80 -g -w 1

## Good
{_vs(persistence="60")}""",
    "KA609": """\
The director that should hold a VIP does not: the MASTER by its state and priority, or this
director alone when it is the MASTER. Another director holds it (a failover happened), or,
checking one director only, the VIP is simply absent.

## Why it matters
The expected MASTER lost its VIP: its tracked interfaces or scripts fail, it cannot see its
peer's adverts, or keepalived is stopped. Traffic may be flowing through the backup.

## Bad
    vrrp_instance VI_1 {
        state MASTER
        interface eth0
        virtual_router_id 51
        priority 150
        virtual_ipaddress {
            10.0.0.10/24
        }
    }

## Good
Find why the MASTER gave up the VIP (keepalived's log), or make the intended holder explicit
with its priority.
""",
    "KA610": """\
The same VIP is up on two or more directors at the same time.

## Why it matters
Split brain, live: both directors answer ARP for the address, so clients and switches flap
between them and connections break. The directors cannot hear each other's adverts
(multicast blocked, unicast peers wrong, different virtual_router_id or authentication).

## Bad
    vrrp_instance VI_1 {
        state MASTER
        interface eth0
        virtual_router_id 51
        priority 150
        virtual_ipaddress {
            10.0.0.10/24
        }
    }

## Good
Let the directors hear each other (allow VRRP, protocol 112, between them; check
`unicast_peer` and `virtual_router_id`), then only the MASTER holds the VIP.
""",
    "KA611": """\
No director holds a VIP of the configuration.

## Why it matters
An outage: every service on that address is unreachable. All directors are in FAULT
(a tracked interface or script fails) or keepalived is stopped everywhere.

## Bad
    vrrp_instance VI_1 {
        state MASTER
        interface eth0
        virtual_router_id 51
        priority 150
        virtual_ipaddress {
            10.0.0.10/24
        }
    }

## Good
Bring the directors out of FAULT (keepalived's log names the failing track), so that one of
them holds the VIP.
""",
    "KA612": """\
Two directors of one cluster (they share a VRRP instance's VIPs) run different IPVS tables.

## Why it matters
keepalived programs the IPVS table on the MASTER and the BACKUP alike, so after a failover
the BACKUP serves with its own table: other real servers, weights or schedulers than the
MASTER's. The configurations differ, or one director drifted.

## Bad
    lb1:  -a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 3
    lb2:  -a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 1

## Good
Give both directors the same virtual_server blocks and reload both; then verify again.
""",
}


DIRECTOR_UNREADABLE = Code("KA600", "director-unreadable", E,
                           "a director whose IPVS table or addresses could not be read",
    explanation=_PAGES["KA600"])
SERVICE_MISSING = Code("KA601", "service-missing", E,
                       "a virtual_server the director's IPVS table does not have",
    explanation=_PAGES["KA601"])
SERVICE_UNEXPECTED = Code("KA602", "service-unexpected", E,
                          "an IPVS service no virtual_server of the configuration defines",
    explanation=_PAGES["KA602"])
REAL_SERVER_MISSING = Code("KA603", "real-server-missing", E,
                           "a real_server absent from the live IPVS service",
    explanation=_PAGES["KA603"])
REAL_SERVER_UNEXPECTED = Code("KA604", "real-server-unexpected", E,
                              "a live IPVS destination the configuration does not list",
    explanation=_PAGES["KA604"])
WEIGHT_MISMATCH = Code("KA605", "weight-mismatch", E,
                       "a live weight that differs from the configured one",
    explanation=_PAGES["KA605"])
SCHEDULER_MISMATCH = Code("KA606", "scheduler-mismatch", E,
                          "a live scheduler, scheduler flags or ops that differ from the "
                          "configuration",
    explanation=_PAGES["KA606"])
FORWARD_MISMATCH = Code("KA607", "forward-mismatch", E,
                        "a live forwarding method (Masq, Route, Tunnel) other than lvs_method",
    explanation=_PAGES["KA607"])
PERSISTENCE_MISMATCH = Code("KA608", "persistence-mismatch", E,
                            "a live persistence timeout or netmask that differs from the "
                            "configuration",
    explanation=_PAGES["KA608"])
VIP_MISSING = Code("KA609", "vip-missing", W,
                   "the director that should hold a VIP (by state and priority) does not",
    explanation=_PAGES["KA609"])
VIP_ON_SEVERAL = Code("KA610", "vip-on-several-directors", E,
                      "one VIP up on two or more directors at once: split brain",
    explanation=_PAGES["KA610"])
VIP_NOWHERE = Code("KA611", "vip-nowhere", E,
                   "a VIP that no director holds: its services are down",
    explanation=_PAGES["KA611"])
TABLES_DIFFER = Code("KA612", "director-tables-differ", W,
                     "the MASTER's and the BACKUP's IPVS tables differ",
    explanation=_PAGES["KA612"])

CODES: tuple[Code, ...] = (
    DIRECTOR_UNREADABLE, SERVICE_MISSING, SERVICE_UNEXPECTED, REAL_SERVER_MISSING,
    REAL_SERVER_UNEXPECTED, WEIGHT_MISMATCH, SCHEDULER_MISMATCH, FORWARD_MISMATCH,
    PERSISTENCE_MISMATCH, VIP_MISSING, VIP_ON_SEVERAL, VIP_NOWHERE, TABLES_DIFFER)



VERIFY_CODES = CODES
