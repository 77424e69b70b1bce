"""What the KA3xx LVS rules read alike: addresses as keepalived compares them, the forwarding
method in force, VIPs, and timers that may be written on a checker, its real_server or its
virtual_server."""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from kaconf.model import Config, ModelNode, RealServer, VirtualServer, VrrpInstance, effective
from kaconf.model.vrrp import VipAddress
from kaconf.node_checks import IPV4
from kaconf.source import Span

# a virtual_server_group range or prefix wider than this is not a set of VIPs anyone means
MAX_EXPANSION = 256
# normalise drops a `/LEN` or `-END` suffix and writes IPv6 (with colons) in its normal form:
# an address with none of these characters is IPv4 in its own normal form or no address, so
# normalise(text) is `text` or None, and a rule that keys by `normalise(text) or text` can key
# by `text` without asking (the address of each of ten thousand real servers would only fill
# normalise's cache). The rules test them one by one, with `in`: three tests take less time
# than one call.
SUFFIX_OR_IPV6 = ("/", "-", ":")


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[str, int] | None:
    """The normal form and version of an IP literal, None when it is not one."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    return str(ip), ip.version


@lru_cache(maxsize=1 << 14)      # several rules ask for each real server's address
def normalise(text: str) -> str | None:
    """The address keepalived uses for `text`: a `/LEN` or `-END` suffix on a real_server or
    virtual_server address is silently discarded (semantics §6.14); None when not an IP."""
    if IPV4.fullmatch(text):
        return text         # most addresses: no suffix, and IPv4 is its own normal form
    head = text.split("/")[0]
    if ":" not in head:
        head = head.split("-")[0]
    return ip_normal(head)


def ip_normal(text: str) -> str | None:
    """An IP literal (no suffix) in its normal form, else None."""
    if IPV4.fullmatch(text):
        return text
    found = _parsed(text)
    return found[0] if found is not None else None


def ip_version(text: str) -> int | None:
    """4 or 6 for an IP literal (no suffix), else None."""
    if IPV4.fullmatch(text):
        return 4
    found = _parsed(text)
    return found[1] if found is not None else None


def expand(text: str) -> list[str] | None:
    """Every address a virtual_server_group entry stands for (`IP`, `IP-END` with END the last
    octet, or hex group for IPv6, `NET/LEN`); None when invalid or wider than MAX_EXPANSION."""
    try:
        if "/" in text:
            net = ipaddress.ip_network(text, strict=False)
            return [str(a) for a in net] if net.num_addresses <= MAX_EXPANSION else None
        start_text, _, end_text = text.partition("-")
        start = ipaddress.ip_address(start_text)
        if not end_text:
            return [str(start)]
        width = 16 if start.version == 6 else 8
        last = int(start) & ((1 << width) - 1)
        end = int(end_text, 16 if start.version == 6 else 10)
        if end - last + 1 > MAX_EXPANSION:
            return None
        return [str(ipaddress.ip_address(int(start) + i)) for i in range(end - last + 1)]
    except ValueError:
        return None


def vips(config: Config) -> dict[str, tuple[VrrpInstance, VipAddress]]:
    """Normalised VIP (virtual_ipaddress and _excluded) -> the first instance and line with it."""
    out: dict[str, tuple[VrrpInstance, VipAddress]] = {}
    for inst in config.vrrp_instances:
        for vip in inst.virtual_ipaddress + inst.virtual_ipaddress_excluded:
            if vip.address:
                out.setdefault(vip.address, (inst, vip))
    return out


def method_in_force(vs: VirtualServer, rs: RealServer) -> tuple[str, Span | None]:
    """The real server's own method, else its virtual_server's, else keepalived's NAT."""
    found = effective.rs_method(vs, rs)
    return found.value, found.span


def seconds(block: ModelNode, keyword: str) -> float | None:
    """A seconds value set on this block; None if absent or not a number (the keyword checks
    report that)."""
    value = getattr(block, keyword, None)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return float(value)
