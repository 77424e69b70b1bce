"""The whole configuration: global_defs and every top-level block, in file order."""
from __future__ import annotations

from kaconf.model.base import ModelNode
from kaconf.model.lvs import VirtualServer, VirtualServerGroup
from kaconf.model.vrrp import (
    BfdInstance,
    TrackFile,
    VrrpInstance,
    VrrpScript,
    VrrpSyncGroup,
    VrrpTrackProcess,
)
from kaconf.source import Span


class GlobalDefs(ModelNode):
    """All global_defs blocks of a file, merged (keepalived merges them too)."""

    router_id: str | None = None
    enable_script_security: bool = False
    script_user: str | None = None
    vrrp_strict: bool = False
    vrrp_version: int | None = None
    notification_email: list[str] = []
    notification_email_from: str | None = None
    smtp_server: str | None = None
    lvs_sync_daemon: list[str] = []


class Config(ModelNode):
    file: str
    global_defs: GlobalDefs | None = None
    vrrp_scripts: list[VrrpScript] = []
    track_files: list[TrackFile] = []
    vrrp_track_processes: list[VrrpTrackProcess] = []
    bfd_instances: list[BfdInstance] = []
    vrrp_sync_groups: list[VrrpSyncGroup] = []
    vrrp_instances: list[VrrpInstance] = []
    virtual_server_groups: list[VirtualServerGroup] = []
    virtual_servers: list[VirtualServer] = []
    # include lines that read nothing: what the config lacks may be in the missing files, so
    # rules that conclude something is absent stand down when this is not empty
    missing_includes: list[Span] = []

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

