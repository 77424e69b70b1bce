"""The `ip addr` reader: JSON from `ip -j addr` (live and synthetic) and the plain captures."""
from __future__ import annotations

import ipaddress
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kaconf.verify.ipaddr import parse_ip_addr
from kaconf.verify.ipvsadm import ListingError

REAL = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ipvsadm" / "real"

JSON_TWO_LINKS = json.dumps([
    {"ifindex": 1, "ifname": "lo", "flags": ["LOOPBACK", "UP"],
     "addr_info": [{"family": "inet", "local": "127.0.0.1", "prefixlen": 8, "scope": "host",
                    "label": "lo"}]},
    {"ifindex": 2, "ifname": "eth0", "flags": ["BROADCAST", "UP"],
     "addr_info": [{"family": "inet", "local": "10.0.0.5", "prefixlen": 24, "scope": "global"},
                   {"family": "inet", "local": "10.0.0.100", "prefixlen": 32,
                    "scope": "global", "label": "eth0:vip"},
                   {"family": "inet6", "local": "2001:db8::100", "prefixlen": 128}]},
    {"ifindex": 3, "ifname": "eth1", "flags": ["BROADCAST"], "addr_info": []},
])


def test_json_says_which_link_holds_an_address() -> None:
    table = parse_ip_addr(JSON_TWO_LINKS, "lb1/ip-addr.json")
    (vip,) = table.holders(ipaddress.ip_address("10.0.0.100"))
    assert (vip.interface, vip.prefixlen, vip.label, vip.up) == ("eth0", 32, "eth0:vip", True)
    assert table.holds(ipaddress.ip_address("2001:db8::100"))
    assert not table.holds(ipaddress.ip_address("10.0.0.101"))


def test_live_ip_j_addr_output_reads() -> None:
    ip = shutil.which("ip")
    assert ip, "iproute2's ip is required"
    out = subprocess.run([ip, "-j", "addr"], capture_output=True, text=True, check=True).stdout
    table = parse_ip_addr(out)
    assert table.holds(ipaddress.ip_address("127.0.0.1"))


@pytest.mark.parametrize("state", ["initial", "traffic", "after-stop"])
def test_plain_capture_lists_the_vips_on_eth0(state: str) -> None:
    table = parse_ip_addr((REAL / "extended" / "states" / state / "ip-addr.txt").read_text())
    on_eth0 = {str(a.address) for a in table.addresses if a.interface == "eth0"}
    assert {f"203.0.113.{n}" for n in range(20, 26)} | {"2001:db8:113::10"} <= on_eth0
    assert [a.interface for a in table.holders(ipaddress.ip_address("198.51.100.1"))] == ["eth1"]


@pytest.mark.parametrize(("text", "reason"), [
    pytest.param("[{\"ifname\": \"eth0\", \"addr_info\": [{\"local\": \"nope\"}]}]",
                 "not numeric", id="json-bad-address"),
    pytest.param("[{\"ifname\": ", "invalid JSON", id="json-cut"),
    pytest.param("{}", "not a line of", id="json-object-is-not-ip-output"),
    pytest.param("1: eth0: <UP>\n    inet 10.0.0.1/24 scope global eth0\n  garbage here\n",
                 "not a line of", id="plain-garbage"),
])
def test_bad_address_output_is_a_listing_error(text: str, reason: str) -> None:
    with pytest.raises(ListingError, match=reason):
        parse_ip_addr(text, "ip.json")
