"""Health checkers inside a real_server."""
from __future__ import annotations

from typing import Literal

from kaconf.model.base import ModelNode


class Checker(ModelNode):
    """What every checker shares (keepalived's common checker keywords)."""

    type: str
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


class TcpCheck(Checker):
    type: Literal["TCP_CHECK"] = "TCP_CHECK"


class Url(ModelNode):
    path: str | None = None
    digest: str | None = None
    status_code: list[str] = []
    virtualhost: str | None = None
    regex: str | None = None


class HttpGet(Checker):
    type: Literal["HTTP_GET", "SSL_GET"] = "HTTP_GET"
    urls: list[Url] = []
    virtualhost: str | None = None
    http_protocol: str | None = None


class SslGet(HttpGet):
    type: Literal["HTTP_GET", "SSL_GET"] = "SSL_GET"


class MiscCheck(Checker):
    type: Literal["MISC_CHECK"] = "MISC_CHECK"
    misc_path: str | None = None
    misc_timeout: int | None = None
    misc_dynamic: bool = False
    user: str | None = None


class SmtpCheck(Checker):
    type: Literal["SMTP_CHECK"] = "SMTP_CHECK"
    helo_name: str | None = None


class DnsCheck(Checker):
    type: Literal["DNS_CHECK"] = "DNS_CHECK"
    name: str | None = None


class UdpCheck(Checker):
    type: Literal["UDP_CHECK"] = "UDP_CHECK"
    payload: str | None = None
    require_reply: str | None = None


class PingCheck(Checker):
    type: Literal["PING_CHECK"] = "PING_CHECK"


class FileCheck(Checker):
    type: Literal["FILE_CHECK"] = "FILE_CHECK"
    track_file: str | None = None


class BfdCheck(Checker):
    type: Literal["BFD_CHECK"] = "BFD_CHECK"
    name: str | None = None
