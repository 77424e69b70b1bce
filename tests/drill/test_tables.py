"""The drill's readers of a director's IPVS table, on ipvsadm listings as ipvsadm prints them."""
from __future__ import annotations

import textwrap

from kaconf.drill.plan import ServicePlan
from kaconf.drill.tables import read_conns, read_table, serving, weights

LISTING = textwrap.dedent("""\
    IP Virtual Server version 1.2.1 (size=4096)
    Prot LocalAddress:Port Scheduler Flags
      -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
    TCP  172.17.13.252:80 rr persistent 50
      -> 172.17.13.142:80             Route   1      0          3
      -> 172.17.13.173:80             Route   0      0          2
    FWM  7 rr
      -> 172.17.13.142:0              Route   1      0          0
    """)
STATS = textwrap.dedent("""\
    IP Virtual Server version 1.2.1 (size=4096)
    Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
      -> RemoteAddress:Port
    TCP  172.17.13.252:80                   40      280        0    16400        0
      -> 172.17.13.142:80                   20      140        0     8200        0
      -> 172.17.13.173:80                   20      140        0     8200        0
    """)
SERVICE = ServicePlan("172.17.13.252", 80, "TCP", "rr", 50, ())


def test_the_table_keeps_address_services_with_each_weight() -> None:
    assert read_table(LISTING, "ds1") == {
        "172.17.13.252:80": {"172.17.13.142": 1, "172.17.13.173": 0}}


def test_connections_per_real_server_of_one_service() -> None:
    assert read_conns(STATS, "172.17.13.252:80", "ds1") == {"172.17.13.142": 20,
                                                            "172.17.13.173": 20}
    assert read_conns(STATS, "172.17.13.252:443", "ds1") == {}


def test_a_real_server_at_weight_zero_does_not_serve() -> None:
    table = read_table(LISTING, "ds1")
    assert serving("172.17.13.252:80", {"172.17.13.142"})(table)
    assert not serving("172.17.13.252:80", {"172.17.13.142", "172.17.13.173"})(table)
    assert weights("172.17.13.173", [SERVICE], present=False)(table)
    assert weights("172.17.13.142", [SERVICE], present=True)(table)
    assert weights("172.17.13.199", [SERVICE], present=False)(table)
