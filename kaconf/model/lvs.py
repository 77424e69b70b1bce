"""LVS: virtual_server_group, virtual_server, real_server and sorry_server."""
from __future__ import annotations

from dataclasses import field

from kaconf.model.base import GENERATED, ModelNode, head, items
from kaconf.model.checkers import Checker
from kaconf.records import record
from kaconf.source import Span


@record(frozen=True, slots=True, kw_only=True)
class VsgEntry:
    """One line of a virtual_server_group: `IP[-END|/LEN] [PORT]` or `fwmark N`."""

    span: Span = field(default=GENERATED, compare=False)
    address: str | None = None       # as written, range or prefix included
    port: int | None = None
    fwmark: int | None = None
    options: list[str] = field(default_factory=list)   # words as written after the first


@record(frozen=True, slots=True, kw_only=True)
class VirtualServerGroup(ModelNode):
    name: str = head("")
    entries: list[VsgEntry] = items()


@record(frozen=True, slots=True, kw_only=True)
class SorryServer(ModelNode):
    address: str = head("")
    port: int | None = head()


@record(frozen=True, slots=True, kw_only=True)
class RealServer(ModelNode):
    address: str = head("")
    port: int | None = head()
    weight: int | None = None
    lvs_method: str | None = None
    inhibit_on_failure: bool = False
    notify_up: str | None = None
    notify_down: str | None = None
    delay_loop: float | None = None          # checker defaults for this real server
    connect_timeout: float | None = None
    retry: int | None = None
    delay_before_retry: float | None = None
    checkers: list[Checker] = items()


@record(frozen=True, slots=True, kw_only=True)
class VirtualServer(ModelNode):
    """`virtual_server IP PORT`, `virtual_server fwmark N` or `virtual_server group NAME`."""

    address: str | None = head()
    port: int | None = head()
    fwmark: int | None = head()
    group: str | None = head()
    delay_loop: float | None = None
    lvs_sched: str | None = None     # also written lb_algo
    lvs_method: str | None = None    # also written lb_kind
    protocol: str | None = None
    persistence_timeout: int | None = None
    persistence_granularity: str | None = None
    connect_timeout: float | None = None     # checker defaults for every real server
    retry: int | None = None
    delay_before_retry: float | None = None
    weight: int | None = None                # default real server weight
    quorum: int | None = None
    hysteresis: int | None = None
    ha_suspend: bool = False
    virtualhost: str | None = None
    sorry_server: SorryServer | None = None
    real_servers: list[RealServer] = items()

    @property
    def family(self) -> str | None:
        if self.address is None:
            return None
        return "inet6" if ":" in self.address else "inet"

    @property
    def label(self) -> str:
        """How keepalived names it: [IP]:PORT, FWM N or group NAME."""
        if self.fwmark is not None:
            return f"fwmark {self.fwmark}"
        if self.group is not None:
            return f"group {self.group}"
        return f"{self.address}:{self.port if self.port is not None else 0}"
