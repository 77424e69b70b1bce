"""`kaconf gen-pair --from MASTER.conf --peer NAME=ADDRESS`: the other directors' files derived
from the MASTER's own.

The peer's file is the MASTER's text with a few values replaced in place (so comments, order
and everything not listed stay byte for byte): `state BACKUP`, a lower priority, `router_id
NAME`, and the unicast or multicast source and peers mirrored. Whatever cannot be derived
without guessing is refused with the reason.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from kaconf.gen import GenError
from kaconf.model import Config, VrrpInstance
from kaconf.model import effective as eff
from kaconf.source import Span

CONDITIONAL = re.compile(r"^([ \t]*)@(\^?)(\S*)[ \t]*(.*)$")
GAP = 50


class DeriveError(GenError):
    pass


@dataclass(frozen=True, slots=True)
class Peer:
    name: str
    address: str


@dataclass(frozen=True, slots=True)
class Edit:
    span: Span          # the text replaced (an empty span inserts)
    text: str


def has_conditionals(text: str) -> bool:
    return any(CONDITIONAL.match(line) for line in text.splitlines())


def resolve_conditionals(text: str, config_id: str) -> str:
    """The text as `keepalived --config-id ID` reads it: `@ID rest` keeps `rest`, `@^ID rest`
    keeps it for every other id, a line with nothing after the id is dropped."""
    out = []
    for line in text.split("\n"):
        m = CONDITIONAL.match(line)
        if m is None:
            out.append(line)
            continue
        indent, negate, ident, rest = m.groups()
        if (ident == config_id) != bool(negate) and rest:
            out.append(indent + rest)
    return "\n".join(out)


def parse_peer(text: str) -> Peer:
    name, sep, address = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}", name):
        raise DeriveError(f"--peer '{text}': expected NAME=ADDRESS (lb2=192.0.2.3)")
    try:
        return Peer(name, str(ipaddress.ip_address(address)))
    except ValueError:
        raise DeriveError(f"--peer '{text}': '{address}' is not an IPv4 or IPv6 address") from None


def derive_peer(config: Config, text: str, peer: Peer, rank: int) -> str:
    """The peer's file: `text` (the MASTER's, which `config` was read from) with the edits
    applied. `rank` is 1 for the first peer, 2 for the next, ... Raises DeriveError."""
    edits: list[Edit] = []
    g = config.global_defs
    if g is not None and g.router_id is not None:
        edits.append(Edit(g.arg_span("router_id"), peer.name))
    for inst in config.vrrp_instances:
        edits += instance_edits(config, inst, peer, rank, text)
    for e in edits:
        if e.span.file != config.file:
            raise DeriveError(f"{config.file}: the value to change is in included file "
                              f"{e.span.file}; derive from a single file")
    return apply_edits(text, edits)


def check_master(config: Config, peers: list[Peer]) -> None:
    """Refuse what has no single right answer. Raises DeriveError."""
    if not config.vrrp_instances:
        raise DeriveError(f"{config.file}: no vrrp_instance to derive a peer for")
    sources = {(i.interface, i.unicast_src_ip or i.mcast_src_ip) for i in config.vrrp_instances
               if i.unicast_src_ip or i.mcast_src_ip}
    if len({s for _, s in sources}) > 1:
        listed = ", ".join(f"{src} on {iface}" for iface, src in sorted(sources, key=str))
        raise DeriveError(f"{config.file}: the MASTER uses several source addresses ({listed}); "
                          "--peer gives one address per director, so the peer's address on "
                          "each interface is ambiguous: derive from a file with one interface")
    for inst in config.vrrp_instances:
        _check_instance(config, inst, peers)


def _check_instance(config: Config, inst: VrrpInstance, peers: list[Peer]) -> None:
    where = f"{config.file}:{inst.span.line}: vrrp_instance {inst.name}"
    state = eff.initial_state(config, inst).value
    if state != "MASTER" and not inst.nopreempt:
        raise DeriveError(f"{where} starts as {state}; --from needs the MASTER's file")
    if inst.unicast_peer:
        if inst.unicast_src_ip is None:
            raise DeriveError(f"{where} has unicast_peer but no unicast_src_ip, so the peer "
                              "cannot list the MASTER's address: add unicast_src_ip")
        listed = {p.address for p in inst.unicast_peer}
        for p in peers:
            if p.address not in listed:
                raise DeriveError(f"{where}: --peer {p.name}={p.address} is not in its "
                                  f"unicast_peer ({', '.join(sorted(listed))}), so the MASTER "
                                  "would not send it adverts")
    if not (inst.unicast_peer or inst.mcast_src_ip):
        return   # the peer's address appears nowhere in this instance
    family = "inet6" if inst.family == "inet6" else "inet"
    for p in peers:
        if (ipaddress.ip_address(p.address).version == 6) != (family == "inet6"):
            raise DeriveError(f"{where} is {family}; --peer {p.name}={p.address} is not, so "
                              "it cannot be the instance's source address")


def instance_edits(config: Config, inst: VrrpInstance, peer: Peer, rank: int,
                   text: str) -> list[Edit]:
    edits = []
    prio = eff.priority(inst).value
    mine = prio - gap(config, inst) * rank
    if mine < 1:
        raise DeriveError(f"{config.file}:{inst.span.line}: vrrp_instance {inst.name}: "
                          f"priority {prio} leaves no room below it for peer {peer.name}")
    edits.append(_set(inst, "priority", str(mine)))
    if inst.state is not None or eff.initial_state(config, inst).value == "MASTER":
        edits.append(_set(inst, "state", "BACKUP"))
    for keyword in ("unicast_src_ip", "mcast_src_ip"):
        if getattr(inst, keyword) is not None:
            edits.append(Edit(inst.arg_span(keyword), peer.address))
    master = inst.unicast_src_ip
    for p in inst.unicast_peer:
        if p.address == peer.address and master is not None:
            edits.append(Edit(_first_word(p.span, text), master))
    return edits


def gap(config: Config, inst: VrrpInstance) -> int:
    """Half the smallest track weight (so one failed check moves the VIP), else 50."""
    sizes = []
    for e in inst.track_script:
        script = config.script(e.name)
        w = e.weight if e.weight is not None else script.weight if script else None
        if w:
            sizes.append(abs(w))
    sizes += [abs(e.weight) for e in inst.track_interface if e.weight]
    return max(1, min(sizes) // 2) if sizes else GAP


def _set(inst: VrrpInstance, keyword: str, value: str) -> Edit:
    if inst.has(keyword):
        return Edit(inst.arg_span(keyword), value)
    # not written: a new line right after the block's opening line
    at = Span(inst.span.file, inst.span.line + 1, 1, inst.span.line + 1, 1)
    return Edit(at, f"    {keyword} {value}\n")


def _first_word(span: Span, text: str) -> Span:
    """The address at the start of a unicast_peer line (its options stay)."""
    line = text.split("\n")[span.line - 1]
    word = re.match(r"\S*", line[span.column - 1:])
    length = len(word.group(0)) if word else 0
    return Span(span.file, span.line, span.column, span.line, span.column + length)


def apply_edits(text: str, edits: list[Edit]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    out = text
    for e in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        a = offset(e.span.line, e.span.column)
        b = offset(e.span.end_line, e.span.end_column)
        out = out[:a] + e.text + out[b:]
    return out
