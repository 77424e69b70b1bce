"""VRRP: vrrp_script, track_file, vrrp_sync_group, vrrp_instance and their parts."""
from __future__ import annotations

from dataclasses import field

from kaconf.model.base import GENERATED, ModelNode, computed, head, items
from kaconf.records import record
from kaconf.source import Span


@record(frozen=True, slots=True, kw_only=True)
class TrackEntry:
    """One line of a track_script / track_interface / track_file / ... block."""

    name: str
    span: Span = field(default=GENERATED, compare=False)
    weight: int | None = None
    reverse: bool = False
    noreverse: bool = False   # overrides a vrrp_script's own `weight ... reverse`


@record(frozen=True, slots=True, kw_only=True)
class VipAddress:
    """One line of virtual_ipaddress (or _excluded): `ADDR[/LEN] [dev IF] [scope S] ...`."""

    text: str                 # the address as written, prefix included
    span: Span = field(default=GENERATED, compare=False)
    address: str | None = None   # normalised address without prefix; None when invalid
    prefix: int | None = None    # prefix length as written, None when absent
    family: str | None = None    # inet | inet6
    dev: str | None = None
    scope: str | None = None
    label: str | None = None
    options: list[str] = field(default_factory=list)   # the words after the address

    @classmethod
    def of(cls, text: str, *options: str) -> VipAddress:
        """A VIP built in code from the words of its line (`'10.0.0.1/24', 'dev', 'eth0'`)."""
        import ipaddress

        addr_text, _, prefix_text = text.partition("/")
        try:
            ip = ipaddress.ip_address(addr_text)
            address: str | None = str(ip)
            family: str | None = "inet6" if ip.version == 6 else "inet"
        except ValueError:
            address = family = None
        opts = dict(zip(options, [*options[1:], ""]))
        return cls(text=text, address=address, family=family,
                   prefix=int(prefix_text) if prefix_text.isdigit() else None,
                   dev=opts.get("dev") or None, scope=opts.get("scope") or None,
                   label=opts.get("label") or None, options=list(options))


@record(frozen=True, slots=True, kw_only=True)
class UnicastPeer:
    address: str
    span: Span = field(default=GENERATED, compare=False)
    min_ttl: int | None = None
    max_ttl: int | None = None
    options: list[str] = field(default_factory=list)   # the words after the address


@record(frozen=True, slots=True, kw_only=True)
class Authentication(ModelNode):
    auth_type: str | None = None
    auth_pass: str | None = None     # only the first 8 characters matter to keepalived


@record(frozen=True, slots=True, kw_only=True)
class VrrpScript(ModelNode):
    name: str = head("")
    script: str | None = None
    interval: float | None = None
    timeout: float | None = None
    weight: int | None = None
    weight_reverse: bool = computed(False)   # printed with weight
    rise: int | None = None
    fall: int | None = None
    user: str | None = None
    init_fail: bool = False


@record(frozen=True, slots=True, kw_only=True)
class VrrpTrackProcess(ModelNode):
    """`vrrp_track_process NAME { process ...; weight ...; quorum ... }`."""

    name: str = head("")
    process: str | None = None
    weight: int | None = None            # keepalived 2.2.7's default is 0 (the man page says 1)
    weight_reverse: bool = computed(False)
    quorum: int | None = None
    quorum_max: int | None = None
    delay: float | None = None


@record(frozen=True, slots=True, kw_only=True)
class BfdInstance(ModelNode):
    """`bfd_instance NAME { neighbor_ip ...; weight ... }`."""

    name: str = head("")
    neighbor_ip: str | None = None       # also written neighbour_ip
    source_ip: str | None = None
    weight: int | None = None
    weight_reverse: bool = computed(False)
    multiplier: int | None = None
    min_rx: float | None = None          # milliseconds
    min_tx: float | None = None


@record(frozen=True, slots=True, kw_only=True)
class TrackFile(ModelNode):
    name: str = head("")
    file: str | None = None
    weight: int | None = None
    weight_reverse: bool = computed(False)
    init_file: str | None = None


@record(frozen=True, slots=True, kw_only=True)
class VrrpSyncGroup(ModelNode):
    name: str = head("")
    group: list[TrackEntry] = items()
    track_interface: list[TrackEntry] = items()
    track_script: list[TrackEntry] = items()
    track_file: list[TrackEntry] = items()
    track_process: list[TrackEntry] = items()
    track_bfd: list[TrackEntry] = items()
    notify: dict[str, str] = field(default_factory=dict)   # notify, notify_master, ... -> line
    sync_group_tracking_weight: bool = False


@record(frozen=True, slots=True, kw_only=True)
class VrrpInstance(ModelNode):
    name: str = head("")
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
    garp_master_delay: int | None = None
    mcast_src_ip: str | None = None
    mcast_dst_ip: str | None = None
    unicast_src_ip: str | None = None
    unicast_peer: list[UnicastPeer] = items()
    authentication: Authentication | None = None
    virtual_ipaddress: list[VipAddress] = items()
    virtual_ipaddress_excluded: list[VipAddress] = items()
    track_interface: list[TrackEntry] = items()
    track_script: list[TrackEntry] = items()
    track_file: list[TrackEntry] = items()
    track_process: list[TrackEntry] = items()
    track_bfd: list[TrackEntry] = items()
    notify: dict[str, str] = field(default_factory=dict)   # notify, notify_master, ... -> line

    @property
    def family(self) -> str:
        """inet or inet6: the family of the first VIP (keepalived drops VIPs of the other)."""
        for vip in self.virtual_ipaddress:
            if vip.family:
                return vip.family
        return "inet"

    @property
    def is_unicast(self) -> bool:
        return bool(self.unicast_peer)
