"""A name that refers to nothing keepalived knows at that point of the file.

## Why it matters
keepalived looks up track_script, track_file, track_process and track_bfd names (and a
FILE_CHECK's track_file) while it reads the file, so the vrrp_script, track_file,
vrrp_track_process or bfd_instance must be defined *above* the block that uses it. Otherwise
the entry is dropped (`track script chk not found, ignoring...`) and nothing is tracked: a
failing service never moves the VIP. A sync group member that is no vrrp_instance is
ignored, and a `virtual_server group NAME` without that virtual_server_group is dropped at
startup with nothing but a log line.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        track_script {
            chk_nginx
        }
    }
    vrrp_script chk_nginx {
        script "/usr/bin/pgrep nginx"
    }

## Good
    vrrp_script chk_nginx {
        script "/usr/bin/pgrep nginx"
    }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        track_script {
            chk_nginx
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config, FileCheck, VrrpInstance, VrrpSyncGroup
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import positions
from kaconf.source import Span

RULE = Rule(code="KA205", name="undefined-reference",
            summary="a tracked object, sync-group member or group name that is not defined "
                    "(or only defined further down)", explanation=__doc__ or "")
KINDS = {"track_script": "vrrp_script", "track_file": "track_file",
         "track_process": "vrrp_track_process", "track_bfd": "bfd_instance"}
Defs = dict[str, tuple[Span, int]]   # name -> where the first definition is, its place


def definitions(config: Config, kind: str, pos: dict[Span, int]) -> Defs:
    found = [(s.name, s.span) for s in config.vrrp_scripts if kind == "vrrp_script"]
    found += [(f.name, f.span) for f in config.track_files if kind == "track_file"]
    found += [(p.name, p.span) for p in config.vrrp_track_processes
              if kind == "vrrp_track_process"]
    found += [(b.name, b.span) for b in config.bfd_instances if kind == "bfd_instance"]
    out: Defs = {}
    for name, span in found:
        out.setdefault(name, (span, pos.get(span, -1)))
    return out


def hint(name: str, known: list[str]) -> str:
    """A suggestion only when one known name is clearly the closest (not VI_1 among VI_2..)."""
    import difflib  # imported on use: not paid by every start-up
    close = difflib.get_close_matches(name, known, n=2, cutoff=0.8)
    return f" (did you mean {close[0]}?)" if len(close) == 1 else ""


def resolve(what: str, span: Span, name: str, kind: str, defs: Defs, used_at: int,
            effect: str) -> Iterator[Diagnostic]:
    if name not in defs:
        yield RULE.at(span, f"{what} names no {kind}{hint(name, list(defs))}; keepalived drops "
                      f"it, so {effect}: define {kind} {name} above it or fix the name")
    elif defs[name][1] > used_at:
        yield RULE.at(span, f"{what} refers to {kind} {name}, which is defined further down; "
                      "keepalived only finds definitions above their use and drops it, so "
                      f"{effect}: move {kind} {name} above this block",
                      related=[Related(span=defs[name][0], note="defined here, after its use")])


def check(config: Config) -> Iterator[Diagnostic]:
    if config.missing_includes:
        return  # what looks absent may be in a file the include did not find (KA002)
    # where blocks are only matters between a name's definition and its use: a file that
    # defines none of these names does without the positions of its blocks
    defined = (config.vrrp_scripts or config.track_files or config.vrrp_track_processes
               or config.bfd_instances)
    pos = positions(config) if defined else {}
    defs = {kind: definitions(config, kind, pos) for kind in KINDS.values()}
    owners: list[VrrpInstance | VrrpSyncGroup] = [*config.vrrp_instances,
                                                  *config.vrrp_sync_groups]
    for owner in owners:
        label = "vrrp_instance" if isinstance(owner, VrrpInstance) else "vrrp_sync_group"
        for kw, kind in KINDS.items():
            for e in getattr(owner, kw):
                yield from resolve(f"{kw} {e.name} in {label} {owner.name}", e.span, e.name,
                                   kind, defs[kind], pos.get(owner.span, -1), "nothing is tracked")
    names = [i.name for i in config.vrrp_instances]
    instances = set(names)
    for group in config.vrrp_sync_groups:
        members = {e.name for e in group.group}
        others = [n for n in names if n not in members]
        for e in (e for e in group.group if e.name not in instances):
            yield RULE.at(e.span, f"vrrp_sync_group {group.name} lists {e.name}, which is no "
                          f"vrrp_instance{hint(e.name, others)}; keepalived ignores it, so it "
                          "does not fail over with the group: fix the name")
    groups = [g.name for g in config.virtual_server_groups]
    group_names = set(groups)
    for vs in config.virtual_servers:
        if (vs.group is not None and vs.group not in group_names and vs.node
                and len(vs.node.args) > 1):
            yield RULE.at(vs.node.args[1].span, f"virtual_server group {vs.group} names no "
                          f"virtual_server_group{hint(vs.group, groups)}; keepalived drops this "
                          "virtual server at startup and only logs it: define "
                          f"virtual_server_group {vs.group} or fix the name")
        for rs in vs.real_servers:
            if rs.node is not None and "FILE_CHECK" not in rs.written:
                continue    # its checkers are written in its block, and none is a FILE_CHECK
            for chk in rs.checkers:
                if isinstance(chk, FileCheck) and chk.track_file:
                    yield from resolve(f"FILE_CHECK track_file {chk.track_file}",
                                       chk.arg_span("track_file"), chk.track_file,
                                       "track_file", defs["track_file"],
                                       pos.get(vs.span, -1), "the checker is ignored")
