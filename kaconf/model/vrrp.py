"""VRRP: vrrp_script, track_file, vrrp_sync_group, vrrp_instance and their parts."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from kaconf.model.base import ModelNode
from kaconf.source import Span


class TrackEntry(BaseModel):
    """One line of a track_script / track_interface / track_file / ... block."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    name: str
    span: Span
    weight: int | None = None
    reverse: bool = False
    noreverse: bool = False   # overrides a vrrp_script's own `weight ... reverse`


class VipAddress(BaseModel):
    """One line of virtual_ipaddress (or _excluded): `ADDR[/LEN] [dev IF] [scope S] ...`."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    text: str                 # the address as written, prefix included
    span: Span
    address: str | None       # normalised address without prefix; None when invalid
    prefix: int | None        # prefix length as written, None when absent
    family: str | None        # inet | inet6
    dev: str | None = None
    scope: str | None = None
    label: str | None = None
    options: list[str] = []   # the words after the address, as written


class UnicastPeer(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    address: str
    span: Span
    min_ttl: int | None = None
    max_ttl: int | None = None


class Authentication(ModelNode):
    auth_type: str | None = None
    auth_pass: str | None = None     # only the first 8 characters matter to keepalived


class VrrpScript(ModelNode):
    name: str
    script: str | None = None
    interval: float | None = None
    timeout: float | None = None
    weight: int | None = None
    weight_reverse: bool = False
    rise: int | None = None
    fall: int | None = None
    user: str | None = None
    init_fail: bool = False


class VrrpTrackProcess(ModelNode):
    """`vrrp_track_process NAME { process ...; weight ...; quorum ... }`."""

    name: str
    process: str | None = None
    weight: int | None = None            # keepalived 2.2.7's default is 0 (the man page says 1)
    weight_reverse: bool = False
    quorum: int | None = None
    quorum_max: int | None = None
    delay: float | None = None


class BfdInstance(ModelNode):
    """`bfd_instance NAME { neighbor_ip ...; weight ... }`."""

    name: str
    neighbor_ip: str | None = None       # also written neighbour_ip
    source_ip: str | None = None
    weight: int | None = None
    weight_reverse: bool = False
    multiplier: int | None = None
    min_rx: float | None = None          # milliseconds
    min_tx: float | None = None


class TrackFile(ModelNode):
    name: str
    file: str | None = None
    weight: int | None = None
    init_file: str | None = None


class VrrpSyncGroup(ModelNode):
    name: str
    group: list[TrackEntry] = []
    track_interface: list[TrackEntry] = []
    track_script: list[TrackEntry] = []
    track_file: list[TrackEntry] = []
    track_process: list[TrackEntry] = []
    track_bfd: list[TrackEntry] = []
    notify: dict[str, str] = {}          # notify, notify_master, ... -> script line
    sync_group_tracking_weight: bool = False


class VrrpInstance(ModelNode):
    name: str
    state: str | None = None
    interface: str | None = None
    virtual_router_id: int | None = None
    priority: int | None = None
    advert_int: float | None = None
    version: int | None = None
    nopreempt: bool = False
    preempt_delay: float | None = None
    accept: bool = False
    no_accept: bool = False
    strict_mode: bool = False
    use_vmac: bool = False
    dont_track_primary: bool = False
    authentication: Authentication | None = None
    virtual_ipaddress: list[VipAddress] = []
    virtual_ipaddress_excluded: list[VipAddress] = []
    unicast_src_ip: str | None = None
    unicast_peer: list[UnicastPeer] = []
    mcast_src_ip: str | None = None
    mcast_dst_ip: str | None = None
    track_interface: list[TrackEntry] = []
    track_script: list[TrackEntry] = []
    track_file: list[TrackEntry] = []
    track_process: list[TrackEntry] = []
    track_bfd: list[TrackEntry] = []
    notify: dict[str, str] = {}          # notify, notify_master, ... -> script line
    garp_master_delay: int | None = None

    @property
    def family(self) -> str:
        """inet or inet6: the family of the first VIP (keepalived drops VIPs of the other)."""
        for vip in self.virtual_ipaddress:
            if vip.family:
                return vip.family
        return "inet"

    @property
    def effective_priority(self) -> int:
        """The priority keepalived runs with: the one written when it is valid (1..255), 100
        for an invalid one, and without one 255 for state MASTER, else 100."""
        if self.priority is not None and 1 <= self.priority <= 255:
            return self.priority
        if self.has("priority"):
            return 100
        return 255 if self.state == "MASTER" else 100

    def initial_state(self, strict: bool) -> str:
        """MASTER or BACKUP as keepalived starts the instance: without `state`, MASTER iff
        the priority is 255; in strict mode the state is forced to match being the owner."""
        owner = self.effective_priority == 255
        if self.state is None or (strict and (self.state == "MASTER") != owner):
            return "MASTER" if owner else "BACKUP"
        return "MASTER" if self.state == "MASTER" else "BACKUP"

    @property
    def is_unicast(self) -> bool:
        return bool(self.unicast_peer)
