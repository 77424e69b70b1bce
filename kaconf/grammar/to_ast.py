"""From the syntax tree to the typed model (kaconf.model).

Values the keyword checks reject become None here; nothing is judged in this module.
Models are built with model.base.construct (no validation): the tree was already checked,
and validation would
cost more than the whole parse on a 100,000-line file.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Any, TypeVar

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
from kaconf.model.base import construct
from kaconf.source import Span
from kaconf.tree import SKIPPED, UNKNOWN, Node

M = TypeVar("M", bound=ModelNode)
UINT = re.compile(r"\+?\d+")
INT = re.compile(r"[-+]?\d+")
TIMER = re.compile(r"\d+\.?\d*|\.\d+")
NOTIFY = ("notify", "notify_master", "notify_backup", "notify_fault", "notify_stop",
          "notify_deleted", "notify_master_rx_lower_pri")
TRACKS = ("track_interface", "track_script", "track_file", "track_process", "track_bfd")
CHECKER_MODELS: dict[str, type[Checker]] = {
    "TCP_CHECK": TcpCheck, "HTTP_GET": HttpGet, "SSL_GET": SslGet, "MISC_CHECK": MiscCheck,
    "SMTP_CHECK": SmtpCheck, "DNS_CHECK": DnsCheck, "UDP_CHECK": UdpCheck,
    "PING_CHECK": PingCheck, "FILE_CHECK": FileCheck, "BFD_CHECK": BfdCheck,
}
ALIASES = {"lb_algo": "lvs_sched", "lb_kind": "lvs_method", "nb_get_retry": "retry"}


# -- reading values ----------------------------------------------------------------------
def last(node: Node, *keywords: str) -> Node | None:
    """The last child written with any of `keywords` (synonyms: the last one wins)."""
    return node.find(*keywords)


def text(node: Node, keyword: str, index: int = 0, *synonyms: str) -> str | None:
    found = last(node, keyword, *synonyms)
    return found.arg(index) if found is not None else None


def as_int(value: str | None, signed: bool = False) -> int | None:
    if value is None or not (INT if signed else UINT).fullmatch(value):
        return None
    return int(value)


def as_float(value: str | None) -> float | None:
    if value is None or not TIMER.fullmatch(value):
        return None
    return float(value)


def flag(node: Node, keyword: str) -> bool:
    return node.find(keyword) is not None


def other(node: Node, known: set[str]) -> list[Directive]:
    """Children the model does not interpret, kept as generic directives."""
    return [directive(c) for c in node.children
            if c.kind not in (UNKNOWN, SKIPPED) and c.keyword not in known
            and ALIASES.get(c.keyword, c.keyword) not in known]


def directive(node: Node) -> Directive:
    block = [directive(c) for c in node.children] if node.is_block else None
    return construct(Directive, keyword=node.keyword, args=[a.value for a in node.args],
                                     span=node.span, block=block)


def make(cls: type[M], node: Node, known: set[str] | None = None, **fields: Any) -> M:
    names = set(cls.model_fields) | (known or set())
    return construct(cls, span=node.span, node=node, other=other(node, names), **fields)


# -- parts -------------------------------------------------------------------------------
def track_entries(node: Node | None) -> list[TrackEntry]:
    """`NAME [weight W [reverse]]` per line; a sync group's `group` lists bare names."""
    out: list[TrackEntry] = []
    for line in node.children if node is not None else []:
        words = [line.keyword] + [a.value for a in line.args]
        spans = [line.span] + [a.span for a in line.args]
        if node is not None and node.keyword == "group":
            out += [construct(TrackEntry, name=w, span=s, weight=None, reverse=False,
                                               noreverse=False)
                    for w, s in zip(words, spans)]
            continue
        weight = None
        if "weight" in words[1:]:
            j = words.index("weight", 1)
            weight = as_int(words[j + 1] if j + 1 < len(words) else None, signed=True)
        out.append(construct(TrackEntry, name=words[0], span=spans[0], weight=weight,
                                              reverse="reverse" in words[1:],
                                              noreverse="noreverse" in words[1:]))
    return out


def vip(line: Node) -> VipAddress:
    words = [a.value for a in line.args]
    first = line.keyword
    addr_text, _, prefix_text = first.partition("/")
    address = family = None
    try:
        ip = ipaddress.ip_address(addr_text)
        address, family = str(ip), ("inet6" if ip.version == 6 else "inet")
    except ValueError:
        pass
    options = dict(zip(words, words[1:] + [""]))
    return construct(VipAddress,
        text=first, span=line.span, address=address, family=family,
        prefix=as_int(prefix_text) if prefix_text else None,
        dev=options.get("dev") or None, scope=options.get("scope") or None,
        label=options.get("label") or None, options=words)


def vips(node: Node | None) -> list[VipAddress]:
    return [vip(line) for line in node.children] if node is not None else []


def unicast_peers(node: Node | None) -> list[UnicastPeer]:
    out: list[UnicastPeer] = []
    for line in node.children if node is not None else []:
        words = [a.value for a in line.args]
        opts = dict(zip(words, words[1:] + [""]))
        out.append(construct(UnicastPeer, address=line.keyword.split("/")[0], span=line.span,
                                               min_ttl=as_int(opts.get("min_ttl")),
                                               max_ttl=as_int(opts.get("max_ttl"))))
    return out


def notifies(node: Node) -> dict[str, str]:
    return {kw: val for kw in NOTIFY if (val := text(node, kw)) is not None}


# -- blocks ------------------------------------------------------------------------------
def authentication(node: Node | None) -> Authentication | None:
    if node is None:
        return None
    return make(Authentication, node, auth_type=text(node, "auth_type"),
                auth_pass=text(node, "auth_pass"))


def vrrp_instance(node: Node) -> VrrpInstance:
    fields: dict[str, Any] = {
        "name": node.arg(0) or "",
        "state": text(node, "state"), "interface": text(node, "interface"),
        "virtual_router_id": as_int(text(node, "virtual_router_id")),
        "priority": as_int(text(node, "priority")),
        "advert_int": as_float(text(node, "advert_int")),
        "version": as_int(text(node, "version")),
        "nopreempt": flag(node, "nopreempt"),
        "preempt_delay": as_float(text(node, "preempt_delay")),
        "accept": flag(node, "accept"), "no_accept": flag(node, "no_accept"),
        "strict_mode": (flag(node, "strict_mode")
                        and text(node, "strict_mode") not in ("off", "false", "no")),
        "use_vmac": flag(node, "use_vmac"), "dont_track_primary": flag(node, "dont_track_primary"),
        "authentication": authentication(last(node, "authentication")),
        "virtual_ipaddress": vips(last(node, "virtual_ipaddress")),
        "virtual_ipaddress_excluded": vips(last(node, "virtual_ipaddress_excluded")),
        "unicast_src_ip": text(node, "unicast_src_ip"),
        "unicast_peer": [p for n in node.find_all("unicast_peer") for p in unicast_peers(n)],
        "mcast_src_ip": text(node, "mcast_src_ip"), "mcast_dst_ip": text(node, "mcast_dst_ip"),
        "notify": notifies(node),
        "garp_master_delay": as_int(text(node, "garp_master_delay")),
    }
    for kw in TRACKS:
        fields[kw] = [e for n in node.find_all(kw) for e in track_entries(n)]
    return make(VrrpInstance, node, set(NOTIFY), **fields)


def vrrp_script(node: Node) -> VrrpScript:
    weight = last(node, "weight")
    return make(VrrpScript, node, {"weight"}, name=node.arg(0) or "",
                script=text(node, "script"),
                interval=as_float(text(node, "interval")), timeout=as_float(text(node, "timeout")),
                weight=as_int(weight.arg(0), signed=True) if weight else None,
                weight_reverse=bool(weight and "reverse" in [a.value for a in weight.args[1:]]),
                rise=as_int(text(node, "rise")), fall=as_int(text(node, "fall")),
                user=text(node, "user"), init_fail=flag(node, "init_fail"))


def weighted(node: Node) -> tuple[int | None, bool]:
    """`weight W [reverse]` of a tracked object's own block."""
    found = last(node, "weight")
    if found is None:
        return None, False
    return as_int(found.arg(0), signed=True), "reverse" in [a.value for a in found.args[1:]]


def track_process(node: Node) -> VrrpTrackProcess:
    weight, reverse = weighted(node)
    return make(VrrpTrackProcess, node, {"weight"}, name=node.arg(0) or "",
                process=text(node, "process"), weight=weight, weight_reverse=reverse,
                quorum=as_int(text(node, "quorum")),
                quorum_max=as_int(text(node, "quorum_max")),
                delay=as_float(text(node, "delay")))


def bfd_instance(node: Node) -> BfdInstance:
    weight, reverse = weighted(node)
    return make(BfdInstance, node, {"weight", "neighbour_ip"}, name=node.arg(0) or "",
                neighbor_ip=text(node, "neighbor_ip", 0, "neighbour_ip"),
                source_ip=text(node, "source_ip"), weight=weight, weight_reverse=reverse,
                multiplier=as_int(text(node, "multiplier")),
                min_rx=as_float(text(node, "min_rx")), min_tx=as_float(text(node, "min_tx")))


def track_file(node: Node) -> TrackFile:
    return make(TrackFile, node, name=node.arg(0) or "", file=text(node, "file"),
                weight=as_int(text(node, "weight"), signed=True),
                init_file=text(node, "init_file"))


def sync_group(node: Node) -> VrrpSyncGroup:
    fields: dict[str, Any] = {kw: [e for n in node.find_all(kw) for e in track_entries(n)]
                              for kw in TRACKS + ("group",)}
    return make(VrrpSyncGroup, node, set(NOTIFY), name=node.arg(0) or "",
                notify=notifies(node),
                sync_group_tracking_weight=flag(node, "sync_group_tracking_weight"), **fields)


def vs_group(node: Node) -> VirtualServerGroup:
    entries = []
    for line in node.children:
        if line.keyword == "fwmark":
            entries.append(construct(VsgEntry, span=line.span, fwmark=as_int(line.arg(0))))
        else:
            entries.append(construct(VsgEntry, span=line.span, address=line.keyword,
                                                    port=as_int(line.arg(0))))
    return make(VirtualServerGroup, node, name=node.arg(0) or "", entries=entries)


def checker(node: Node) -> Checker:
    cls = CHECKER_MODELS[node.keyword]
    fields: dict[str, Any] = {
        "type": node.keyword, "connect_ip": text(node, "connect_ip"),
        "connect_port": as_int(text(node, "connect_port")), "bindto": text(node, "bindto"),
        "bind_port": as_int(text(node, "bind_port")), "bind_if": text(node, "bind_if"),
        "connect_timeout": as_float(text(node, "connect_timeout")),
        "retry": as_int(text(node, "retry", 0, "nb_get_retry")),
        "delay_before_retry": as_float(text(node, "delay_before_retry")),
        "delay_loop": as_float(text(node, "delay_loop")), "warmup": as_float(text(node, "warmup")),
        "fwmark": as_int(text(node, "fwmark")),
    }
    if issubclass(cls, HttpGet):
        fields.update(urls=[url(u) for u in node.find_all("url")],
                      virtualhost=text(node, "virtualhost"),
                      http_protocol=text(node, "http_protocol"))
    elif cls is MiscCheck:
        fields.update(misc_path=text(node, "misc_path"),
                      misc_timeout=as_int(text(node, "misc_timeout")),
                      misc_dynamic=flag(node, "misc_dynamic"), user=text(node, "user"))
    elif cls is SmtpCheck:
        fields.update(helo_name=text(node, "helo_name"))
    elif cls in (DnsCheck, BfdCheck):
        fields.update(name=text(node, "name"))
    elif cls is UdpCheck:
        fields.update(payload=text(node, "payload"), require_reply=text(node, "require_reply"))
    elif cls is FileCheck:
        fields.update(track_file=text(node, "track_file"))
    return make(cls, node, {"url"}, **fields)


def url(node: Node) -> Url:
    codes = [a.value for n in node.find_all("status_code") for a in n.args]
    return make(Url, node, path=text(node, "path"), digest=text(node, "digest"),
                status_code=codes, virtualhost=text(node, "virtualhost"),
                regex=text(node, "regex"))


def real_server(node: Node) -> RealServer:
    return make(RealServer, node, {"notify_up", "notify_down"} | set(CHECKER_MODELS),
                address=(node.arg(0) or ""), port=as_int(node.arg(1)),
                weight=as_int(text(node, "weight")), lvs_method=text(node, "lvs_method"),
                inhibit_on_failure=flag(node, "inhibit_on_failure"),
                notify_up=text(node, "notify_up"), notify_down=text(node, "notify_down"),
                delay_loop=as_float(text(node, "delay_loop")),
                connect_timeout=as_float(text(node, "connect_timeout")),
                retry=as_int(text(node, "retry")),
                delay_before_retry=as_float(text(node, "delay_before_retry")),
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
    sorry = last(node, "sorry_server")
    sorry_model = (construct(SorryServer, span=sorry.span, node=sorry, other=[],
                                               address=sorry.arg(0) or "",
                                               port=as_int(sorry.arg(1)))
                   if sorry is not None else None)
    method = text(node, "lvs_method", 0, "lb_kind")
    sched = text(node, "lvs_sched", 0, "lb_algo")
    persistence = last(node, "persistence_timeout")
    # `persistence_timeout` alone means 360 s (keepalived's default)
    timeout = (as_int(persistence.arg(0)) if persistence is not None and persistence.args
               else 360 if persistence is not None else None)
    return make(VirtualServer, node, {"real_server", "lb_algo", "lb_kind"},
                protocol=text(node, "protocol"), lvs_sched=sched, lvs_method=method,
                persistence_timeout=timeout,
                persistence_granularity=text(node, "persistence_granularity"),
                delay_loop=as_float(text(node, "delay_loop")),
                connect_timeout=as_float(text(node, "connect_timeout")),
                retry=as_int(text(node, "retry")),
                delay_before_retry=as_float(text(node, "delay_before_retry")),
                weight=as_int(text(node, "weight")),
                quorum=as_int(text(node, "quorum")), hysteresis=as_int(text(node, "hysteresis")),
                ha_suspend=flag(node, "ha_suspend"), virtualhost=text(node, "virtualhost"),
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
    sync = last(merged, "lvs_sync_daemon")
    return make(GlobalDefs, merged, router_id=text(merged, "router_id"),
                enable_script_security=flag(merged, "enable_script_security"),
                script_user=text(merged, "script_user"), vrrp_strict=flag(merged, "vrrp_strict"),
                vrrp_version=as_int(text(merged, "vrrp_version")),
                notification_email=emails,
                notification_email_from=text(merged, "notification_email_from"),
                smtp_server=text(merged, "smtp_server"),
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
    lists: dict[str, list[Any]] = {attr: [] for attr, _ in TOP_LEVEL.values()}
    others: list[Directive] = []
    globals_: list[Node] = []
    for node in tree.children:
        if node.kind in (UNKNOWN, SKIPPED):
            continue
        if node.keyword == "global_defs":
            globals_.append(node)
        elif node.keyword in TOP_LEVEL and node.kind in ("block", "values"):
            if node.skipped:
                continue
            attr, fn = TOP_LEVEL[node.keyword]
            lists[attr].append(fn(node))
        else:
            others.append(directive(node))
    span = tree.children[0].span if tree.children else Span(file, 1, 1, 1, 1)
    return construct(Config, span=span, node=tree, other=others, file=file,
                                  global_defs=global_defs(globals_),
                                  missing_includes=list(missing_includes or []), **lists)
