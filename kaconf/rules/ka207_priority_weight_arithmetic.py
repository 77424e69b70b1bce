"""Track weights that push the priority out of 1..254, or that priority 255 ignores.

## Why it matters
A tracked script, interface, process or bfd with a weight moves the priority: a positive
weight is added while the check succeeds, a negative one subtracted while it fails (`reverse`
flips the sign); a track_script line without a weight uses the vrrp_script's own `weight`.
keepalived keeps the result within 1..254, so the part of a weight beyond that range does
nothing and two directors can end up tied at 254 or 1. On priority 255 (the address owner,
also `state MASTER` without priority) keepalived ignores weighted tracking altogether
(`ignoring tracked script chk with weights due to address_owner`): the check never moves
the VIP. Track files are left out of the sum: their value comes from the file at runtime.

## Bad
    vrrp_script chk_nginx {
        script "/usr/bin/pgrep nginx"
        weight 60
    }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priority 220
        track_script {
            chk_nginx
        }
    }

## Good
    vrrp_script chk_nginx {
        script "/usr/bin/pgrep nginx"
        weight 20
    }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priority 220
        track_script {
            chk_nginx
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config, TrackEntry, VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import OWNER, priority

RULE = Rule(code="KA207", name="priority-weight-arithmetic", severity=Severity.WARNING,
            summary="track weights that leave 1..254 or that priority 255 ignores",
            explanation=__doc__ or "")
Move = tuple[str, TrackEntry, int, int]   # keyword, entry, weight, signed change


def default_weight(config: Config, kw: str, name: str) -> tuple[int | None, bool]:
    """The weight a track line without its own takes from the tracked object's definition."""
    if kw == "track_script":
        script = config.script(name)
        return (script.weight, script.weight_reverse) if script else (None, False)
    found = config.track_process(name) if kw == "track_process" else config.bfd_instance(name)
    if found is None:
        return None, False
    return found.weight, found.weight_reverse


def moves(config: Config, inst: VrrpInstance) -> list[Move]:
    out: list[Move] = []
    for kw in ("track_interface", "track_script", "track_process", "track_bfd"):
        for e in getattr(inst, kw):
            weight, reverse = e.weight, e.reverse
            if weight is None and kw != "track_interface":
                weight, reverse = default_weight(config, kw, e.name)
            if weight and abs(weight) <= 254:  # beyond: KA107, keepalived drops the weight
                out.append((kw, e, weight, -weight if reverse else weight))
    return out


def owner_ignores(config: Config, inst: VrrpInstance, found: list[Move]) -> Iterator[Diagnostic]:
    ignored = [(m[0], m[1], m[2]) for m in found if m[0] != "track_process"]  # 2.2.7 keeps these
    for e in inst.track_file:  # the line's weight, else the track_file's, else 1
        block = next((f.weight for f in config.track_files if f.name == e.name), None)
        weight = e.weight if e.weight is not None else 1 if block is None else block
        ignored += [("track_file", e, weight)] if weight else []
    why = Related(span=inst.arg_span("priority" if inst.priority == OWNER else "state"),
                  note="priority 255" if inst.priority == OWNER
                  else "state MASTER without priority means priority 255")
    for kw, e, weight in ignored:
        yield RULE.at(e.span, f"{kw} {e.name} has weight {weight}, which keepalived ignores: "
                      f"{inst.name} is the address owner (priority 255), whose priority never "
                      "changes; use a priority below 255, or write weight 0 on this line (a "
                      "failure then means FAULT)", related=[why])


def out_of_range(inst: VrrpInstance, base: int, found: list[Move]) -> Iterator[Diagnostic]:
    for sign, limit, verb in ((1, OWNER - 1, "caps it at"), (-1, 1, "stops at")):
        part = [m for m in found if m[3] * sign > 0]
        total = base + sum(m[3] for m in part)
        if (total - limit) * sign > 0:
            yield RULE.at(inst.arg_span("priority"),
                          f"priority {base} of {inst.name} with track weights {total - base:+d} "
                          f"makes {total}, but keepalived {verb} {limit}, so {abs(total - limit)}"
                          " of those points do nothing: keep the sum within 1..254",
                          related=[Related(span=e.span, note=f"{change:+d} while {e.name} is "
                                           f"{'up' if weight > 0 else 'down'}")
                                   for _, e, weight, change in part])


def check(config: Config) -> Iterator[Diagnostic]:
    # without sync_group_tracking_weight keepalived zeroes member weights (another finding)
    synced = {e.name for g in config.vrrp_sync_groups if not g.sync_group_tracking_weight
              for e in g.group}
    for inst in config.vrrp_instances:
        base, found = priority(inst), moves(config, inst)
        if base == OWNER:
            yield from owner_ignores(config, inst, found)
        elif inst.name not in synced:
            yield from out_of_range(inst, base, found)
