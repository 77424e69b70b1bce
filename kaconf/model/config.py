"""The whole configuration: global_defs and every top-level block, in file order."""
from __future__ import annotations

from dataclasses import field

from kaconf.model.base import ModelNode, computed, items
from kaconf.model.lvs import VirtualServer, VirtualServerGroup
from kaconf.model.vrrp import (
    BfdInstance,
    TrackFile,
    VrrpInstance,
    VrrpScript,
    VrrpSyncGroup,
    VrrpTrackProcess,
)
from kaconf.records import record
from kaconf.source import Span


@record(frozen=True, slots=True, kw_only=True)
class GlobalDefs(ModelNode):
    """All global_defs blocks of a file, merged (keepalived merges them too)."""

    router_id: str | None = None
    notification_email: list[str] = items()
    notification_email_from: str | None = None
    smtp_server: str | None = None
    enable_script_security: bool = False
    script_user: str | None = None
    vrrp_strict: bool = False
    vrrp_version: int | None = None
    lvs_sync_daemon: list[str] = items()


@record(frozen=True, slots=True, kw_only=True)
class Config(ModelNode):
    file: str = computed("<generated>")
    global_defs: GlobalDefs | None = None
    vrrp_scripts: list[VrrpScript] = items()
    track_files: list[TrackFile] = items()
    vrrp_track_processes: list[VrrpTrackProcess] = items()
    bfd_instances: list[BfdInstance] = items()
    vrrp_sync_groups: list[VrrpSyncGroup] = items()
    vrrp_instances: list[VrrpInstance] = items()
    virtual_server_groups: list[VirtualServerGroup] = items()
    virtual_servers: list[VirtualServer] = items()
    # include lines that read nothing: what the config lacks may be in the missing files, so
    # rules that conclude something is absent stand down when this is not empty
    missing_includes: list[Span] = field(default_factory=list, compare=False,
                                     metadata={"kind": "skip"})
    # the top-level blocks in file order, as (list attribute, index) with "other" for the
    # unmodelled ones: the printer keeps keepalived's order (a track_script must follow its
    # vrrp_script). Empty for a model built in code: the printer's canonical order is used.
    order: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False,
                                               metadata={"kind": "skip"})

    def instance(self, name: str) -> VrrpInstance | None:
        return next((i for i in self.vrrp_instances if i.name == name), None)

    def script(self, name: str) -> VrrpScript | None:
        return next((s for s in self.vrrp_scripts if s.name == name), None)

    def track_process(self, name: str) -> VrrpTrackProcess | None:
        return next((p for p in self.vrrp_track_processes if p.name == name), None)

    def bfd_instance(self, name: str) -> BfdInstance | None:
        return next((b for b in self.bfd_instances if b.name == name), None)

    def vips(self) -> list[tuple[VrrpInstance, str]]:
        """Every (instance, address) pair of the VRRP VIPs, excluded ones included."""
        out = []
        for inst in self.vrrp_instances:
            for vip in inst.virtual_ipaddress + inst.virtual_ipaddress_excluded:
                if vip.address:
                    out.append((inst, vip.address))
        return out
