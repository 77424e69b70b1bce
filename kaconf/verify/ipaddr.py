"""Reader for `ip -j addr` (JSON) and plain `ip addr` output: which address is on which link.

Pure functions. The JSON form is what `--host` collects; the plain form is what the reference
captures (and many runbooks) hold, so both are read, recognised from the text.
"""
from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field

from kaconf.verify.ipvsadm import IpAddress, ListingError
from kaconf.verify.untrusted import escape_controls


@dataclass(frozen=True, slots=True)
class InterfaceAddress:
    interface: str
    address: IpAddress
    prefixlen: int
    scope: str = ""
    label: str = ""
    up: bool = True          # the link's UP flag


@dataclass(frozen=True, slots=True)
class AddressTable:
    addresses: tuple[InterfaceAddress, ...] = ()
    source: str = "<ip addr>"
    by_address: dict[IpAddress, tuple[InterfaceAddress, ...]] = field(
        default_factory=dict, compare=False, repr=False)

    def holders(self, address: IpAddress) -> tuple[InterfaceAddress, ...]:
        """The interfaces that carry `address`."""
        return self.by_address.get(address, ())

    def holds(self, address: IpAddress) -> bool:
        return bool(self.by_address.get(address))


def address_table(addresses: list[InterfaceAddress], source: str) -> AddressTable:
    index: dict[IpAddress, list[InterfaceAddress]] = {}
    for a in addresses:
        index.setdefault(a.address, []).append(a)
    return AddressTable(tuple(addresses), source, {k: tuple(v) for k, v in index.items()})


def parse_ip_addr(text: str, source: str = "<ip addr>") -> AddressTable:
    """The addresses in `ip -j addr` or `ip addr` output. Raises ListingError (file, line,
    reason) when the text is neither."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        return _parse_json(text, source)
    return _parse_plain(text, source)


def _parse_json(text: str, source: str) -> AddressTable:
    try:
        links = json.loads(text)
    except json.JSONDecodeError as exc:
        line = text.splitlines()[exc.lineno - 1] if text.splitlines() else ""
        raise ListingError(source, exc.lineno, line[:120], f"invalid JSON ({exc.msg})") from None
    if not isinstance(links, list):
        raise ListingError(source, 1, text[:80], "expected a JSON list of links (ip -j addr)")
    out = []
    for link in links:
        if not isinstance(link, dict) or not isinstance(link.get("ifname"), str):
            raise ListingError(source, 1, str(link)[:80], "a link without an ifname")
        name = link["ifname"]
        up = "UP" in (link.get("flags") or [])
        for info in link.get("addr_info") or []:
            out.append(_json_address(name, up, info, source))
    return address_table(out, source)


def _json_address(name: str, up: bool, info: object, source: str) -> InterfaceAddress:
    if not isinstance(info, dict):
        raise ListingError(source, 1, str(info)[:80], f"an address of {name} is not an object")
    try:
        address = ipaddress.ip_address(str(info.get("local")))
        prefixlen = int(info.get("prefixlen", 128 if address.version == 6 else 32))
    except (TypeError, ValueError):
        raise ListingError(source, 1, str(info)[:80],
                           f"an address of {escape_controls(name, 40)} is not numeric") from None
    return InterfaceAddress(name, address, prefixlen, str(info.get("scope", "")),
                            str(info.get("label", "")), up)


_LINK = re.compile(r"\d+: ([^:@\s]+)(?:@\S+)?: <([^>]*)>")
_ADDR = re.compile(r"(inet6?) (\S+?)(?:/(\d+))?(?: peer \S+)?(?: brd \S+)? scope (\S+)(.*)$")


def _parse_plain(text: str, source: str) -> AddressTable:
    out = []
    name: str | None = None
    up = False
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if m := _LINK.match(line):
            name, up = m.group(1), "UP" in m.group(2).split(",")
        elif m := _ADDR.match(line):
            if name is None:
                raise ListingError(source, no, raw, "address before any link line")
            try:
                address = ipaddress.ip_address(m.group(2))
            except ValueError:
                raise ListingError(source, no, raw, "not a numeric address") from None
            plen = int(m.group(3)) if m.group(3) else (32 if address.version == 4 else 128)
            rest = m.group(5).split()
            label = rest[-1] if rest and address.version == 4 and rest[-1] != "secondary" else ""
            out.append(InterfaceAddress(name, address, plen, m.group(4), label, up))
        elif not line.startswith(("link/", "valid_lft", "altname")):
            raise ListingError(source, no, raw, "not a line of `ip addr` output")
    return address_table(out, source)
