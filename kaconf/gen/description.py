"""The cluster description that `kaconf gen-pair` compiles: a TOML file read into pydantic models.

This is untrusted input written by hand, so the models forbid unknown keys (a typo must not be
ignored) and every error names its key path (`services[0].check.type`) and what is allowed.
The models only shape the data; what a valid shape still must not ask for (a password
keepalived truncates, a service on an address that is no VIP...) is judged in
kaconf.gen.refusals, with the same key paths.
"""
from __future__ import annotations

import ipaddress
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)
from pydantic_core import ErrorDetails

from kaconf.gen import GenError

NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}"
# printable ASCII without blanks, quotes and keepalived's comment characters (# and !
# start a comment even inside a word; semantics V17)
PASS_PATTERN = r"[A-Za-z0-9$%&'()*+,./:;<=>?@\[\]^_`{|}~-]+"
HOST_PATTERN = r"[A-Za-z0-9.-]+"
Scheduler = Literal["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo",
                    "ovf", "mh", "twos"]


class DescriptionError(GenError):
    """The description cannot be compiled: one line per problem, each naming its key path."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__("\n".join(f"{source}: {p}" for p in problems))
        self.source = source
        self.problems = problems


def _ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ValueError(f"'{value}' is not an IPv4 or IPv6 address") from None


def _ip_with_prefix(value: str) -> str:
    address, slash, prefix = value.partition("/")
    try:
        iface = ipaddress.ip_interface(value)
    except ValueError:
        raise ValueError(f"'{value}' is not an address with an optional /prefix "
                         "(192.0.2.10/24, 2001:db8::10/64)") from None
    return f"{iface.ip}/{iface.network.prefixlen}" if slash else str(ipaddress.ip_address(address))


def _absolute_command(value: str) -> str:
    if not value.strip().startswith("/"):
        raise ValueError(f"'{value}' must start with an absolute path: keepalived does not "
                         "search your PATH (/usr/bin/pgrep nginx, not pgrep nginx)")
    if '"' in value:
        raise ValueError("must not contain a double quote: the command is written as one "
                         "quoted word")
    return value


def _matching(regex: str, what: str) -> AfterValidator:
    """A string check whose error says what is allowed in words, not as a regex."""
    pattern = re.compile(regex)

    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise ValueError(f"'{value}' is not {what}")
        return value
    return AfterValidator(check)


def _table_of(key: str, model: type[BaseModel]) -> Any:
    """Accept a bare string where a table with one required key `key` is expected (and say
    so in the JSON Schema)."""
    def convert(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value
    return BeforeValidator(convert, json_schema_input_type=str | model)


Address = Annotated[str, AfterValidator(_ip)]
Name = Annotated[str, _matching(NAME_PATTERN, "a name (letters, digits, _ . -, starting with a "
                                                "letter or digit, at most 32 characters)")]
Command = Annotated[str, AfterValidator(_absolute_command)]
Port = Annotated[int, Field(ge=1, le=65535)]
Seconds = Annotated[int, Field(ge=1, le=3600)]


class Strict(BaseModel):
    # strict: TOML has real types, so port = "80" is a mistake worth naming
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True,
                              use_attribute_docstrings=True)


class TrackScript(Strict):
    """A vrrp_script every director tracks."""

    name: Name
    """vrrp_script name"""
    script: Command
    """the command, starting with an absolute path"""
    interval: Seconds = 2
    """seconds between runs"""
    weight: Annotated[int, Field(ge=-253, le=253)] = -20
    """priority change: negative while failing, positive while succeeding"""
    fall: Annotated[int, Field(ge=1, le=255)] = 2
    """failures before the script counts as failed"""
    rise: Annotated[int, Field(ge=1, le=255)] = 2
    """successes before it counts as succeeding again"""
    timeout: Seconds | None = None


class Vip(Strict):
    address: Annotated[str, AfterValidator(_ip_with_prefix)]
    """ADDRESS[/PREFIX], IPv4 or IPv6"""
    interface: Name | None = None
    """the directors' interface for this VIP (default: their interface)"""

    @property
    def ip(self) -> str:
        return self.address.partition("/")[0]

    @property
    def version(self) -> int:
        return ipaddress.ip_address(self.ip).version


class ClusterSection(Strict):
    name: Name
    """the vrrp_instance name"""
    interface: Name = "eth0"
    """the directors' interface that carries VRRP and the VIPs"""
    virtual_router_id: Annotated[int, Field(ge=1, le=255)]
    """VRID, 1-255, unique per interface on this network"""
    vips: Annotated[list[Annotated[Vip, _table_of("address", Vip)]], Field(min_length=1)]
    """the VIPs: "ADDRESS[/PREFIX]" or tables with address and interface"""
    advert_int: Annotated[float, Field(ge=0.01, le=255)] = 1
    """seconds between VRRP adverts"""
    auth_pass: Annotated[str, _matching(PASS_PATTERN, "a password of printable characters "
                                        "without blanks, quotes, # or !")] | None = None
    unicast: bool = False
    """send adverts to the other directors instead of multicast"""
    vrrp_version: Literal[2, 3] | None = None    # None: 3 for IPv6 VIPs, else 2
    nopreempt: bool = False
    """a recovered director does not take the VIP back (every director starts as BACKUP)"""
    script_user: Name = "keepalived_script"
    """the user scripts run as; it must exist on every director"""
    track_scripts: list[TrackScript] = []

    @property
    def version(self) -> int:
        if self.vrrp_version is not None:
            return self.vrrp_version
        return 3 if self.vips[0].version == 6 else 2


class Director(Strict):
    name: Name
    """its router_id, folder name in OUT/, and @NAME in --single-file output"""
    address: Address
    """its own address on the interface (the unicast source)"""
    interface: Name | None = None
    """when it differs from cluster.interface"""
    priority: Annotated[int, Field(ge=1, le=254)] | None = None
    """1-254; give every director one, or none (kaconf picks them)"""
    state: Literal["MASTER", "BACKUP"] | None = None
    """default: the first director (or the highest priority) is MASTER"""


class CheckTimers(Strict):
    connect_timeout: Seconds = 3
    retry: Annotated[int, Field(ge=0, le=100)] = 3
    delay_before_retry: Seconds = 3
    connect_port: Port | None = None


class TcpCheck(CheckTimers):
    type: Literal["TCP_CHECK"]


class HttpCheck(CheckTimers):
    type: Literal["HTTP_GET", "SSL_GET"]
    path: Annotated[str, _matching(r"/[^\s\"#!]*", "a URL path starting with / (without "
                                   "blanks, quotes, # or !)")] = "/"
    status_code: Annotated[int, Field(ge=100, le=599)] = 200
    virtualhost: Annotated[str, _matching(HOST_PATTERN, "a host name")] | None = None


class MiscCheck(CheckTimers):
    type: Literal["MISC_CHECK"]
    script: Command
    misc_timeout: Seconds | None = None


class DnsCheck(CheckTimers):
    type: Literal["DNS_CHECK"]
    name: Annotated[str, _matching(HOST_PATTERN, "a host name")] = "."


class SmtpCheck(CheckTimers):
    type: Literal["SMTP_CHECK"]
    helo_name: Annotated[str, _matching(HOST_PATTERN, "a host name")] | None = None


class PingCheck(CheckTimers):
    type: Literal["PING_CHECK"]


class UdpCheck(CheckTimers):
    type: Literal["UDP_CHECK"]


Check = Annotated[TcpCheck | HttpCheck | MiscCheck | DnsCheck | SmtpCheck | PingCheck | UdpCheck,
                  Field(discriminator="type")]
CHECK_MODELS: dict[str, type[CheckTimers]] = {
    t: cls for cls in get_args(get_args(Check)[0])
    for t in get_args(cls.model_fields["type"].annotation)}


class RealServer(Strict):
    address: Address
    port: Port | None = None     # None: the service's port
    weight: Annotated[int, Field(ge=0, le=65535)] = 1


class SorryServer(Strict):
    address: Address
    port: Port | None = None


class Service(Strict):
    vip: Address
    """one of cluster.vips"""
    port: Port
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"
    lb_algo: Scheduler = "rr"
    """IPVS scheduler (lvs_sched)"""
    lb_kind: Literal["DR", "NAT", "TUN"] = "DR"
    """forwarding method (lvs_method)"""
    persistence_timeout: Annotated[int, Field(ge=1, le=2678400)] | None = None
    """seconds a client sticks to its real server; leave out for none"""
    delay_loop: Seconds = 6
    """seconds between health checks"""
    check: Check = TcpCheck(type="TCP_CHECK")
    """the health check of every real server"""
    real_servers: Annotated[list[Annotated[RealServer, _table_of("address", RealServer)]],
                            Field(min_length=1)]
    sorry_server: Annotated[SorryServer, _table_of("address", SorryServer)] | None = None


class RealServerSetup(Strict):
    """How the real servers are set up (kaconf-rs.sh)."""

    interface: Name = "eth0"
    """the real servers' interface facing the directors"""
    gateway: Address | None = None
    """NAT: the director-side VIP the real servers route through"""


class Description(Strict):
    """A VRRP cluster of directors and the LVS services they carry."""

    cluster: ClusterSection
    directors: Annotated[list[Director], Field(min_length=2)]
    services: list[Service] = []
    realserver: RealServerSetup = RealServerSetup()


def read_description(path: str | Path) -> Description:
    """Read and validate a description file. Raises DescriptionError (unreadable, not TOML,
    wrong shape) with one problem per line."""
    source = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DescriptionError(source, [f"cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise DescriptionError(source, ["is not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DescriptionError(source, [f"not valid TOML: {exc}"]) from None
    return parse_description(data, source)


def parse_description(data: dict[str, Any], source: str = "<description>") -> Description:
    try:
        return Description.model_validate(data)
    except ValidationError as exc:
        raise DescriptionError(source, [render_error(e) for e in exc.errors()]) from None


def key_path(loc: tuple[int | str, ...]) -> str:
    """`('services', 0, 'check', 'HTTP_GET', 'path')` -> `services[0].check.path` (the tag a
    tagged union adds to the location is not a key the user wrote)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in CHECK_MODELS:
            out += f".{part}" if out else part
    return out or "(top level)"


def render_error(error: ErrorDetails) -> str:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = allowed_keys(loc[:-1])
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"{key_path(loc)}: unknown key{hint}"
    if kind == "missing":
        return f"{key_path(loc)}: required key is missing"
    if kind == "union_tag_not_found":
        return f"{key_path(loc)}.type: required key is missing; allowed: {_check_types()}"
    if kind == "union_tag_invalid":
        return (f"{key_path(loc)}.type: '{error['ctx']['tag']}' is not a check type; "
                f"allowed: {_check_types()}")
    if kind in ("model_type", "dict_type"):
        allowed = allowed_keys(loc)
        keys = f" with keys {', '.join(allowed)}" if allowed else ""
        return f"{key_path(loc)}: expected a table{keys} (got {error.get('input')!r})"
    message = error["msg"].removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    shown = error.get("input")
    if kind.endswith("_type") or kind == "literal_error":
        message += f" (got {shown!r})" if not isinstance(shown, dict | list) else ""
    return f"{key_path(loc)}: {message}"


def _check_types() -> str:
    return ", ".join(CHECK_MODELS)


def allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the table at `loc` accepts, found by walking the models."""
    model: type[BaseModel] | None = Description
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        if part in CHECK_MODELS:
            model = CHECK_MODELS[part]
            continue
        info = model.model_fields.get(part)
        model = _model_in(info.annotation) if info is not None else None
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None or get_args(annotation):
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the description, for editors."""
    schema = Description.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kaconf cluster description"
    return schema
