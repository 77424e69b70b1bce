"""From the syntax tree to the typed model (kaconf.model).

Values the keyword checks reject become None here; nothing is judged in this module.
Each block's values are read by a `Fields` reader, which also records the words of any
keyword whose typed value does not hold them exactly (the printer writes those back).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

from kaconf.keywords import INT, TIMER, UINT
from kaconf.model import (
    Authentication,
    BfdCheck,
    BfdInstance,
    Checker,
    Config,
    Directive,
    DnsCheck,
    FileCheck,
    GlobalDefs,
    HttpGet,
    MiscCheck,
    ModelNode,
    PingCheck,
    RealServer,
    SmtpCheck,
    SorryServer,
    SslGet,
    TcpCheck,
    TrackEntry,
    TrackFile,
    UdpCheck,
    UnicastPeer,
    Url,
    VipAddress,
    VirtualServer,
    VirtualServerGroup,
    VrrpInstance,
    VrrpScript,
    VrrpSyncGroup,
    VrrpTrackProcess,
    VsgEntry,
)
from kaconf.model.base import CANONICAL, field_names
from kaconf.source import Span
from kaconf.tree import SKIPPED, UNKNOWN, Node

M = TypeVar("M", bound=ModelNode)
NOTIFY = ("notify", "notify_master", "notify_backup", "notify_fault", "notify_stop",
          "notify_deleted", "notify_master_rx_lower_pri")
TRACKS = ("track_interface", "track_script", "track_file", "track_process", "track_bfd")
CHECKER_MODELS: dict[str, type[Checker]] = {
    "TCP_CHECK": TcpCheck, "HTTP_GET": HttpGet, "SSL_GET": SslGet, "MISC_CHECK": MiscCheck,
    "SMTP_CHECK": SmtpCheck, "DNS_CHECK": DnsCheck, "UDP_CHECK": UdpCheck,
    "PING_CHECK": PingCheck, "FILE_CHECK": FileCheck, "BFD_CHECK": BfdCheck,
}


# -- reading values ----------------------------------------------------------------------
def as_int(value: str | None, signed: bool = False) -> int | None:
    if value is None or not (INT if signed else UINT).fullmatch(value):
        return None
    return int(value)


def as_float(value: str | None) -> float | None:
    if value is None or not TIMER.fullmatch(value):
        return None
    return float(value)


SECOND_TOKENIZER = ("regex",)   # besides the keywords whose value rule is "script"


def command_text(found: Node) -> str | None:
    """The rest of the line as written, for a command keyword whose text keepalived tokenizes
    again with quotes and escapes of its own; None when the simple words say it all."""
    script = (found.spec is not None and found.spec.value == "script") or \
        found.keyword in SECOND_TOKENIZER
    if not script or not found.raw:
        return None
    rest = found.raw[found.raw_start + len(found.keyword):].strip()
    return rest if any(c in rest for c in "\"'\\") else None


class Fields:
    """Typed values read from one block, remembering each keyword whose words the typed value
    does not hold exactly (an invalid value, extra words), so the printer writes them back."""

    __slots__ = ("node", "verbatim", "raw_text")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.verbatim: dict[str, list[str]] = {}
        self.raw_text: dict[str, str] = {}

    def found(self, keyword: str, *synonyms: str) -> Node | None:
        return self.node.find(keyword, *synonyms)

    def keep(self, keyword: str, found: Node) -> None:
        self.verbatim[keyword] = [a.value for a in found.args]

    def text(self, keyword: str, *synonyms: str) -> str | None:
        found = self.found(keyword, *synonyms)
        if found is None:
            return None
        if len(found.args) != 1:
            self.keep(keyword, found)
        raw = command_text(found)
        if raw is not None:
            self.raw_text[keyword] = raw
        return found.arg(0)

    def integer(self, keyword: str, *synonyms: str, signed: bool = False) -> int | None:
        found = self.found(keyword, *synonyms)
        if found is None:
            return None
        value = as_int(found.arg(0), signed)
        if value is None or len(found.args) != 1:
            self.keep(keyword, found)
        return value

    def seconds(self, keyword: str) -> float | None:
        found = self.found(keyword)
        if found is None:
            return None
        value = as_float(found.arg(0))
        if value is None or len(found.args) != 1:
            self.keep(keyword, found)
        return value

    def flag(self, keyword: str) -> bool:
        found = self.found(keyword)
        if found is not None and found.args:
            self.keep(keyword, found)
        return found is not None

    def weight(self) -> tuple[int | None, bool]:
        """`weight W [reverse]` of a tracked object's own block."""
        found = self.found("weight")
        if found is None:
            return None, False
        value = as_int(found.arg(0), signed=True)
        rest = [a.value for a in found.args[1:]]
        if value is None or rest not in ([], ["reverse"]):
            self.keep("weight", found)
        return value, "reverse" in rest

    def notifies(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for kw in NOTIFY:
            value = self.text(kw)
            if value is not None:
                out[kw] = value
            elif kw in self.verbatim:
                out[kw] = ""
        return out


def other(node: Node, known: AbstractSet[str]) -> list[Directive]:
    """Children the model does not interpret, kept as generic directives."""
    return [directive(c) for c in node.children
            if c.kind not in (UNKNOWN, SKIPPED) and c.keyword not in known
            and CANONICAL.get(c.keyword, c.keyword) not in known]


def directive(node: Node) -> Directive:
    block = ([directive(c) for c in node.children if c.kind not in (UNKNOWN, SKIPPED)]
             if node.is_block else None)
    return Directive(keyword=node.keyword, args=[a.value for a in node.args], span=node.span,
                     block=block, raw=command_text(node) if block is None else None)


def written(node: Node) -> frozenset[str]:
    return frozenset(CANONICAL.get(c.keyword, c.keyword) for c in node.children
                     if c.kind not in (UNKNOWN, SKIPPED))


def make(cls: type[M], node: Node, reader: Fields | None, known: set[str] | None = None,
         **fields: Any) -> M:
    names = field_names(cls) | (known or set())
    return cls(span=node.span, node=node, other=other(node, names), written=written(node),
               verbatim=reader.verbatim if reader is not None else {},
               raw_text=reader.raw_text if reader is not None else {}, **fields)


# -- parts -------------------------------------------------------------------------------
def track_entries(node: Node | None) -> list[TrackEntry]:
    """`NAME [weight W [reverse]]` per line; a sync group's `group` lists bare names."""
    out: list[TrackEntry] = []
    for line in node.children if node is not None else []:
        words = [line.keyword] + [a.value for a in line.args]
        spans = [line.span] + [a.span for a in line.args]
        if node is not None and node.keyword == "group":
            out += [TrackEntry(name=w, span=s) for w, s in zip(words, spans)]
            continue
        weight = None
        if "weight" in words[1:]:
            j = words.index("weight", 1)
            weight = as_int(words[j + 1] if j + 1 < len(words) else None, signed=True)
        out.append(TrackEntry(name=words[0], span=spans[0], weight=weight,
                              reverse="reverse" in words[1:], noreverse="noreverse" in words[1:]))
    return out


def vip(line: Node) -> VipAddress:
    made = VipAddress.of(line.keyword, *(a.value for a in line.args))
    return dataclasses.replace(made, span=line.span)


def vips(node: Node | None) -> list[VipAddress]:
    return [vip(line) for line in node.children] if node is not None else []


def unicast_peers(node: Node | None) -> list[UnicastPeer]:
    out: list[UnicastPeer] = []
    for line in node.children if node is not None else []:
        words = [a.value for a in line.args]
        opts = dict(zip(words, words[1:] + [""]))
        out.append(UnicastPeer(address=line.keyword.split("/")[0], span=line.span,
                               min_ttl=as_int(opts.get("min_ttl")),
                               max_ttl=as_int(opts.get("max_ttl")), options=words))
    return out


# -- blocks ------------------------------------------------------------------------------
def authentication(node: Node | None) -> Authentication | None:
    if node is None:
        return None
    f = Fields(node)
    return make(Authentication, node, f, auth_type=f.text("auth_type"),
                auth_pass=f.text("auth_pass"))


def vrrp_instance(node: Node) -> VrrpInstance:
    f = Fields(node)
    strict = f.flag("strict_mode")
    fields: dict[str, Any] = {
        "name": node.arg(0) or "",
        "state": f.text("state"), "interface": f.text("interface"),
        "virtual_router_id": f.integer("virtual_router_id"),
        "priority": f.integer("priority"),
        "advert_int": f.seconds("advert_int"),
        "version": f.integer("version"),
        "nopreempt": f.flag("nopreempt"),
        "preempt_delay": f.seconds("preempt_delay"),
        "accept": f.flag("accept"), "no_accept": f.flag("no_accept"),
        "strict_mode": strict and f.verbatim.get("strict_mode", [""])[0] not in ("off", "false",
                                                                                "no"),
        "use_vmac": f.flag("use_vmac"), "dont_track_primary": f.flag("dont_track_primary"),
        "authentication": authentication(node.find("authentication")),
        "virtual_ipaddress": vips(node.find("virtual_ipaddress")),
        "virtual_ipaddress_excluded": vips(node.find("virtual_ipaddress_excluded")),
        "unicast_src_ip": f.text("unicast_src_ip"),
        "unicast_peer": [p for n in node.find_all("unicast_peer") for p in unicast_peers(n)],
        "mcast_src_ip": f.text("mcast_src_ip"), "mcast_dst_ip": f.text("mcast_dst_ip"),
        "notify": f.notifies(),
        "garp_master_delay": f.integer("garp_master_delay"),
    }
    for kw in TRACKS:
        fields[kw] = [e for n in node.find_all(kw) for e in track_entries(n)]
    return make(VrrpInstance, node, f, set(NOTIFY), **fields)


def vrrp_script(node: Node) -> VrrpScript:
    f = Fields(node)
    weight, reverse = f.weight()
    return make(VrrpScript, node, f, {"weight"}, name=node.arg(0) or "",
                script=f.text("script"), interval=f.seconds("interval"),
                timeout=f.seconds("timeout"), weight=weight, weight_reverse=reverse,
                rise=f.integer("rise"), fall=f.integer("fall"), user=f.text("user"),
                init_fail=f.flag("init_fail"))


def track_process(node: Node) -> VrrpTrackProcess:
    f = Fields(node)
    weight, reverse = f.weight()
    return make(VrrpTrackProcess, node, f, {"weight"}, name=node.arg(0) or "",
                process=f.text("process"), weight=weight, weight_reverse=reverse,
                quorum=f.integer("quorum"), quorum_max=f.integer("quorum_max"),
                delay=f.seconds("delay"))


def bfd_instance(node: Node) -> BfdInstance:
    f = Fields(node)
    weight, reverse = f.weight()
    return make(BfdInstance, node, f, {"weight", "neighbour_ip"}, name=node.arg(0) or "",
                neighbor_ip=f.text("neighbor_ip", "neighbour_ip"),
                source_ip=f.text("source_ip"), weight=weight, weight_reverse=reverse,
                multiplier=f.integer("multiplier"), min_rx=f.seconds("min_rx"),
                min_tx=f.seconds("min_tx"))


def track_file(node: Node) -> TrackFile:
    f = Fields(node)
    weight, reverse = f.weight()
    return make(TrackFile, node, f, name=node.arg(0) or "", file=f.text("file"),
                weight=weight, weight_reverse=reverse, init_file=f.text("init_file"))


def sync_group(node: Node) -> VrrpSyncGroup:
    f = Fields(node)
    fields: dict[str, Any] = {kw: [e for n in node.find_all(kw) for e in track_entries(n)]
                              for kw in TRACKS + ("group",)}
    return make(VrrpSyncGroup, node, f, set(NOTIFY), name=node.arg(0) or "",
                notify=f.notifies(),
                sync_group_tracking_weight=f.flag("sync_group_tracking_weight"), **fields)


def vs_group(node: Node) -> VirtualServerGroup:
    entries = []
    for line in node.children:
        words = [a.value for a in line.args]
        if line.keyword == "fwmark":
            entries.append(VsgEntry(span=line.span, fwmark=as_int(line.arg(0)), options=words))
        else:
            entries.append(VsgEntry(span=line.span, address=line.keyword,
                                    port=as_int(line.arg(0)), options=words))
    lines = {c.keyword for c in node.children}   # a value block: every line is an entry
    return make(VirtualServerGroup, node, None, lines, name=node.arg(0) or "", entries=entries)


def checker(node: Node) -> Checker:
    cls = CHECKER_MODELS[node.keyword]
    f = Fields(node)
    fields: dict[str, Any] = {
        "type": node.keyword, "connect_ip": f.text("connect_ip"),
        "connect_port": f.integer("connect_port"), "bindto": f.text("bindto"),
        "bind_port": f.integer("bind_port"), "bind_if": f.text("bind_if"),
        "connect_timeout": f.seconds("connect_timeout"),
        "retry": f.integer("retry", "nb_get_retry"),
        "delay_before_retry": f.seconds("delay_before_retry"),
        "delay_loop": f.seconds("delay_loop"), "warmup": f.seconds("warmup"),
        "fwmark": f.integer("fwmark"),
    }
    if issubclass(cls, HttpGet):
        fields.update(urls=[url(u) for u in node.find_all("url")],
                      virtualhost=f.text("virtualhost"), http_protocol=f.text("http_protocol"))
    elif cls is MiscCheck:
        fields.update(misc_path=f.text("misc_path"), misc_timeout=f.integer("misc_timeout"),
                      misc_dynamic=f.flag("misc_dynamic"), user=f.text("user"))
    elif cls is SmtpCheck:
        fields.update(helo_name=f.text("helo_name"))
    elif cls in (DnsCheck, BfdCheck):
        fields.update(name=f.text("name"))
    elif cls is UdpCheck:
        fields.update(payload=f.text("payload"), require_reply=f.text("require_reply"))
    elif cls is FileCheck:
        fields.update(track_file=f.text("track_file"))
    return make(cls, node, f, {"url"}, **fields)


def url(node: Node) -> Url:
    f = Fields(node)
    codes = [a.value for n in node.find_all("status_code") for a in n.args]
    return make(Url, node, f, path=f.text("path"), digest=f.text("digest"),
                status_code=codes, virtualhost=f.text("virtualhost"), regex=f.text("regex"))


def real_server(node: Node) -> RealServer:
    f = Fields(node)
    return make(RealServer, node, f, {"notify_up", "notify_down"} | set(CHECKER_MODELS),
                address=(node.arg(0) or ""), port=as_int(node.arg(1)),
                weight=f.integer("weight"), lvs_method=f.text("lvs_method"),
                inhibit_on_failure=f.flag("inhibit_on_failure"),
                notify_up=f.text("notify_up"), notify_down=f.text("notify_down"),
                delay_loop=f.seconds("delay_loop"), connect_timeout=f.seconds("connect_timeout"),
                retry=f.integer("retry"), delay_before_retry=f.seconds("delay_before_retry"),
                checkers=[checker(c) for c in node.children
                          if c.keyword in CHECKER_MODELS and c.kind == "block"])


def virtual_server(node: Node) -> VirtualServer:
    first, second = node.arg(0), node.arg(1)
    head: dict[str, Any] = {}
    if first == "fwmark":
        head["fwmark"] = as_int(second)
    elif first == "group":
        head["group"] = second
    else:
        head.update(address=first, port=as_int(second))
    sorry = node.find("sorry_server")
    sorry_model = (SorryServer(span=sorry.span, node=sorry, address=sorry.arg(0) or "",
                               port=as_int(sorry.arg(1)))
                   if sorry is not None else None)
    f = Fields(node)
    persistence = node.find("persistence_timeout")
    # `persistence_timeout` alone means 360 s (keepalived's default)
    timeout = (f.integer("persistence_timeout") if persistence is not None and persistence.args
               else 360 if persistence is not None else None)
    if persistence is not None and not persistence.args:
        f.keep("persistence_timeout", persistence)   # printed back alone
    return make(VirtualServer, node, f, {"real_server", "lb_algo", "lb_kind"},
                protocol=f.text("protocol"), lvs_sched=f.text("lvs_sched", "lb_algo"),
                lvs_method=f.text("lvs_method", "lb_kind"), persistence_timeout=timeout,
                persistence_granularity=f.text("persistence_granularity"),
                delay_loop=f.seconds("delay_loop"), connect_timeout=f.seconds("connect_timeout"),
                retry=f.integer("retry"), delay_before_retry=f.seconds("delay_before_retry"),
                weight=f.integer("weight"), quorum=f.integer("quorum"),
                hysteresis=f.integer("hysteresis"),
                ha_suspend=f.flag("ha_suspend"), virtualhost=f.text("virtualhost"),
                sorry_server=sorry_model,
                real_servers=[real_server(r) for r in node.find_all("real_server")
                              if not r.skipped],
                **head)


def global_defs(nodes: list[Node]) -> GlobalDefs | None:
    if not nodes:
        return None
    merged = Node("global_defs", nodes[0].span, [], "block", "",
                  children=[c for n in nodes for c in n.children])
    emails = [line.keyword for n in merged.find_all("notification_email")
              for line in n.children] + [a.value for n in merged.find_all("notification_email")
                                         for line in n.children for a in line.args]
    sync = merged.find("lvs_sync_daemon")
    f = Fields(merged)
    return make(GlobalDefs, merged, f, router_id=f.text("router_id"),
                enable_script_security=f.flag("enable_script_security"),
                script_user=f.text("script_user"), vrrp_strict=f.flag("vrrp_strict"),
                vrrp_version=f.integer("vrrp_version"),
                notification_email=emails,
                notification_email_from=f.text("notification_email_from"),
                smtp_server=f.text("smtp_server"),
                lvs_sync_daemon=[a.value for a in sync.args] if sync is not None else [])


TOP_LEVEL = {"vrrp_instance": ("vrrp_instances", vrrp_instance),
             "vrrp_script": ("vrrp_scripts", vrrp_script),
             "track_file": ("track_files", track_file),
             "vrrp_track_file": ("track_files", track_file),
             "vrrp_sync_group": ("vrrp_sync_groups", sync_group),
             "vrrp_track_process": ("vrrp_track_processes", track_process),
             "bfd_instance": ("bfd_instances", bfd_instance),
             "virtual_server_group": ("virtual_server_groups", vs_group),
             "virtual_server": ("virtual_servers", virtual_server)}


def build_ast(tree: Node, file: str, missing_includes: list[Span] | None = None) -> Config:
    """The typed model of a parsed file. Blocks keepalived skips whole (a duplicate instance
    name, an invalid virtual_server address) are left out, as keepalived leaves them out."""
    lists: dict[str, Any] = {attr: [] for attr, _ in TOP_LEVEL.values()}
    others: list[Directive] = []
    globals_: list[Node] = []
    order: list[tuple[str, int]] = []
    for node in tree.children:
        if node.kind in (UNKNOWN, SKIPPED):
            continue
        if node.keyword == "global_defs":
            if not globals_:
                order.append(("global_defs", 0))
            globals_.append(node)
        elif node.keyword in TOP_LEVEL and node.kind in ("block", "values"):
            if node.skipped:
                continue
            attr, fn = TOP_LEVEL[node.keyword]
            order.append((attr, len(lists[attr])))
            lists[attr].append(fn(node))
        else:
            order.append(("other", len(others)))
            others.append(directive(node))
    span = tree.children[0].span if tree.children else Span(file, 1, 1, 1, 1)
    return Config(span=span, node=tree, other=others, file=file,
                  global_defs=global_defs(globals_), order=tuple(order),
                  missing_includes=list(missing_includes or []), **lists)
