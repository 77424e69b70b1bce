"""Health checkers inside a real_server."""
from __future__ import annotations

from kaconf.model.base import ModelNode, computed, items
from kaconf.records import record


@record(frozen=True, slots=True, kw_only=True)
class Checker(ModelNode):
    """What every checker shares (keepalived's common checker keywords)."""

    type: str = computed("")     # the block's keyword: TCP_CHECK, HTTP_GET, ...
    connect_ip: str | None = None
    connect_port: int | None = None
    bindto: str | None = None
    bind_port: int | None = None
    bind_if: str | None = None
    connect_timeout: float | None = None
    retry: int | None = None             # also written nb_get_retry
    delay_before_retry: float | None = None
    delay_loop: float | None = None
    warmup: float | None = None
    fwmark: int | None = None


@record(frozen=True, slots=True, kw_only=True)
class TcpCheck(Checker):
    type: str = computed("TCP_CHECK")


@record(frozen=True, slots=True, kw_only=True)
class Url(ModelNode):
    path: str | None = None
    digest: str | None = None
    status_code: list[str] = items()
    virtualhost: str | None = None
    regex: str | None = None


@record(frozen=True, slots=True, kw_only=True)
class HttpGet(Checker):
    type: str = computed("HTTP_GET")
    virtualhost: str | None = None
    http_protocol: str | None = None
    urls: list[Url] = items()


@record(frozen=True, slots=True, kw_only=True)
class SslGet(HttpGet):
    type: str = computed("SSL_GET")


@record(frozen=True, slots=True, kw_only=True)
class MiscCheck(Checker):
    type: str = computed("MISC_CHECK")
    misc_path: str | None = None
    misc_timeout: int | None = None
    misc_dynamic: bool = False
    user: str | None = None


@record(frozen=True, slots=True, kw_only=True)
class SmtpCheck(Checker):
    type: str = computed("SMTP_CHECK")
    helo_name: str | None = None


@record(frozen=True, slots=True, kw_only=True)
class DnsCheck(Checker):
    type: str = computed("DNS_CHECK")
    name: str | None = None


@record(frozen=True, slots=True, kw_only=True)
class UdpCheck(Checker):
    type: str = computed("UDP_CHECK")
    payload: str | None = None
    require_reply: str | None = None


@record(frozen=True, slots=True, kw_only=True)
class PingCheck(Checker):
    type: str = computed("PING_CHECK")


@record(frozen=True, slots=True, kw_only=True)
class FileCheck(Checker):
    type: str = computed("FILE_CHECK")
    track_file: str | None = None


@record(frozen=True, slots=True, kw_only=True)
class BfdCheck(Checker):
    type: str = computed("BFD_CHECK")
    name: str | None = None



