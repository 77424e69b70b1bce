"""From the syntax tree to the typed model (kaconf.model).

Values the keyword checks reject become None here; nothing is judged in this module.
Each model class has a `Shape`: which field each keyword sets and how its words are typed.
Reading a block records the words of any keyword whose typed value does not hold them
exactly (the printer writes those back).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any, Generic, TypeVar

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
from kaconf.records import FACTORY, defaults, maker, swapped
from kaconf.source import Span
from kaconf.tree import SKIPPED, UNKNOWN, Node

M = TypeVar("M", bound=ModelNode)
T = TypeVar("T")
NOTIFY = ("notify", "notify_master", "notify_backup", "notify_fault", "notify_stop",
          "notify_deleted", "notify_master_rx_lower_pri")
TRACKS = ("track_interface", "track_script", "track_file", "track_process", "track_bfd")
CHECKER_MODELS: dict[str, type[Checker]] = {
    "TCP_CHECK": TcpCheck, "HTTP_GET": HttpGet, "SSL_GET": SslGet, "MISC_CHECK": MiscCheck,
    "SMTP_CHECK": SmtpCheck, "DNS_CHECK": DnsCheck, "UDP_CHECK": UdpCheck,
    "PING_CHECK": PingCheck, "FILE_CHECK": FileCheck, "BFD_CHECK": BfdCheck,
}


# -- reading values ----------------------------------------------------------------------
@lru_cache(maxsize=4096)
def as_int(value: str | None, signed: bool = False) -> int | None:
    if value is None or not (INT if signed else UINT).fullmatch(value):
        return None
    return int(value)


@lru_cache(maxsize=4096)
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


class Read:
    """Typed values read from one block, and the words of each keyword the typed value does
    not hold exactly (an invalid value, extra words), so the printer writes them back."""

    __slots__ = ("index", "values", "verbatim", "raw_text", "written", "modelled")

    def __init__(self, index: dict[str, tuple[int, Node]]) -> None:
        self.index = index   # the block's keywords: Node.index()
        self.values: dict[str, Any] = {}
        self.verbatim: dict[str, list[str]] = {}
        self.raw_text: dict[str, str] = {}
        self.written: frozenset[str] = frozenset()   # the keywords, by their canonical names
        self.modelled = False     # every keyword of the block sets a field

    def keep(self, key: str, found: Node) -> None:
        self.verbatim[key] = [a.value for a in found.args]


# A reader types the words of the keyword that sets field `key` (the last one written).
Reader = Callable[[Node, str, Read], None]


def text(found: Node, key: str, into: Read) -> None:
    args = found.args
    if len(args) != 1:
        into.keep(key, found)
    raw = command_text(found)
    if raw is not None:
        into.raw_text[key] = raw
    into.values[key] = args[0].value if args else None


def number(convert: Callable[[str], float | None]) -> Reader:
    """A reader of one number; the words are kept when they are not exactly one number."""
    def reader(found: Node, key: str, into: Read) -> None:
        args = found.args
        value = convert(args[0].value) if args else None
        if value is None or len(args) != 1:
            into.keep(key, found)
        into.values[key] = value
    return reader


integer = number(as_int)
seconds = number(as_float)


def flag(found: Node, key: str, into: Read) -> None:
    if found.args:
        into.keep(key, found)
    into.values[key] = True


def weight(found: Node, key: str, into: Read) -> None:
    """`weight W [reverse]` of a tracked object's own block."""
    value = as_int(found.args[0].value, True) if found.args else None
    rest = [a.value for a in found.args[1:]]
    if value is None or rest not in ([], ["reverse"]):
        into.keep(key, found)
    into.values[key] = value
    into.values["weight_reverse"] = "reverse" in rest


def persistence(found: Node, key: str, into: Read) -> None:
    """`persistence_timeout` alone means 360 s (keepalived's default), printed back alone."""
    if found.args:
        integer(found, key, into)
    else:
        into.keep(key, found)
        into.values[key] = 360


Field = tuple[str, Reader] | tuple[str, Reader, tuple[str, ...]]
# the fields every model class starts with (ModelNode's), which Shape.build sets together
BASE_FIELDS = ["span", "node", "other", "written", "verbatim", "raw_text"]
MAX_PLANS = 512      # sets of keywords remembered per shape (a hostile file may make many)
HOT = 256            # blocks Shape.build reads with one plan before it compiles the plan


class Plan:
    """How a block holding a given set of keywords is read (Shape.plan)."""

    __slots__ = ("steps", "written", "modelled", "inline", "uses", "compiled")

    def __init__(self, steps: tuple[tuple[str, str, Reader], ...] | None,
                 written: frozenset[str], modelled: bool,
                 inline: tuple[tuple[str, str, int, Any], ...] | None) -> None:
        # (keyword, field, reader) in field order; None when the block holds two spellings
        # of one field
        self.steps = steps
        self.written = written
        self.modelled = modelled      # every keyword of the block sets a field
        # the steps of Shape.build, (keyword, field, position of the field, reader or
        # Numbers); None when a reader is not one it inlines or a keyword sets no field of
        # the class (a notify line: the caller gathers those)
        self.inline = inline
        self.uses = 0                 # blocks Shape.build has read with the inline steps
        # the inline steps compiled (plan_code), once `uses` reaches HOT
        self.compiled: Callable[..., Any] | None = None


class Numbers(dict[str, Any]):
    """The typed value of each word read, by the word: Shape.build looks a number up here
    rather than calling its converter's cache (a C lookup against a call)."""

    def __init__(self, convert: Callable[[str], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, word: str) -> Any:
        value = self.convert(word)
        if len(self) < MAX_NUMBERS:
            self[word] = value
        return value


MAX_NUMBERS = 4096     # words remembered by each Numbers (a hostile file may write many)
INTEGERS, SECONDS = Numbers(as_int), Numbers(as_float)
# what Shape.build does in place of a reader: type one word by its Numbers, or what text,
# flag or persistence does (a test holds the two ways of reading together)
INLINE: dict[Reader, Any] = {integer: INTEGERS, seconds: SECONDS, text: text, flag: flag,
                             persistence: persistence}
# the kind of each inline step that is not a Numbers, as plan_code writes it
KINDS: dict[Any, str] = {text: "text", flag: "flag", persistence: "persistence"}


class Shape(Generic[M]):
    """How a model class is read from its block: the field each keyword sets (with the other
    spellings of that keyword: the last one written wins) and its reader, in the order the
    fields are read, which is the order `verbatim` and `raw_text` keep. A block is read in one
    pass over the keywords it holds, so a keyword it does not hold costs nothing."""

    __slots__ = ("cls", "readers", "rank", "known", "plans", "new", "defaults", "position",
                 "given", "given_at", "last")

    def __init__(self, cls: type[M], fields: Iterable[Field], known: Iterable[str] = (),
                 given: Sequence[str] = ()) -> None:
        self.cls = cls
        # Shape.build makes the record with new(*values), values in field order
        self.new = maker(cls)
        self.defaults = defaults(cls)[len(BASE_FIELDS):]    # of the fields after ModelNode's
        self.position = {f.name: n for n, f in enumerate(dataclasses.fields(cls))}
        if list(self.position)[:6] != BASE_FIELDS:
            raise TypeError(f"{cls.__name__}'s fields do not start with ModelNode's")
        self.readers: dict[str, tuple[str, Reader, tuple[str, ...]]] = {}
        self.rank: dict[str, int] = {}
        for n, (key, reader, *rest) in enumerate(fields):
            spellings = (key, *(rest[0] if rest else ()))
            self.rank[key] = n
            for kw in spellings:
                self.readers[kw] = (key, reader, tuple(s for s in spellings if s != kw))
        names = field_names(cls) | set(known)
        # keywords the model interprets, every spelling of them included
        self.known = frozenset(names | {a for a, name in CANONICAL.items() if name in names})
        # by the keywords of a block, in order: what reading it takes (Plan)
        self.plans: dict[tuple[str, ...], Plan] = {}
        # the fields the caller of build gives, by position (no keyword of the block sets one)
        self.given = tuple(given)
        self.given_at = tuple(self.position[name] for name in self.given)
        if set(self.given) & set(self.rank):
            raise TypeError(f"{cls.__name__}: a field both given and read")
        # the compiled plan used last, tried first: it answers None for another set of keywords
        self.last: Callable[..., Any] | None = None

    def plan(self, keywords: tuple[str, ...]) -> Plan:
        """The readers of a block holding these keywords, in field order, when no two of them
        are spellings of one field (else which is read depends on where each was written),
        with the block's `written` and `modelled`; worked out once for each set of keywords."""
        plan = self.plans.get(keywords)
        if plan is None:
            readers = self.readers
            steps = sorted(((kw, *readers[kw][:2]) for kw in keywords if kw in readers),
                           key=lambda step: self.rank[step[1]])
            rivals = any(rival in keywords for kw in keywords if kw in readers
                         for rival in readers[kw][2])
            position = self.position
            inline = None if rivals or any(r not in INLINE or key not in position
                                           for _, key, r in steps) else \
                tuple((kw, key, position[key], INLINE[reader]) for kw, key, reader in steps)
            plan = Plan(None if rivals else tuple(steps),
                        frozenset(map(CANONICAL.get, keywords, keywords)),
                        self.known.issuperset(keywords), inline)
            if len(self.plans) < MAX_PLANS:
                self.plans[keywords] = plan
        return plan

    def read(self, node: Node) -> Read:
        into = Read(node.index())
        index = into.index
        plan = self.plan(tuple(index))
        steps, into.written, into.modelled = plan.steps, plan.written, plan.modelled
        if steps is not None:
            for keyword, key, reader in steps:
                reader(index[keyword][1], key, into)
        else:
            self.read_rivals(into)
            if len(into.verbatim) > 1:
                into.verbatim = self.ordered(into.verbatim)
            if len(into.raw_text) > 1:
                into.raw_text = self.ordered(into.raw_text)
        return into

    def read_rivals(self, into: Read) -> None:
        """A block with two spellings of one field: the one written last is read."""
        index = into.index
        readers = self.readers
        for keyword, (position, found) in index.items():
            entry = readers.get(keyword)
            if entry is None:
                continue
            key, reader, rivals = entry
            for rival in rivals:
                hit = index.get(rival)
                if hit is not None and hit[0] > position:
                    break   # another spelling written later wins
            else:
                reader(found, key, into)

    def ordered(self, by_key: dict[str, T]) -> dict[str, T]:
        return {k: by_key[k] for k in sorted(by_key, key=self.rank.__getitem__)}

    def make(self, node: Node, into: Read, **fields: Any) -> M:
        """The model of `node` from what `into` read and the `fields` given."""
        return self.cls(span=node.span, node=node,
                        other=[] if into.modelled else self.other(node), written=into.written,
                        verbatim=into.verbatim, raw_text=into.raw_text, **into.values, **fields)

    def other(self, node: Node) -> list[Directive]:
        """The keywords of `node` the model does not interpret."""
        return [directive(c) for c in node.children
                if c.kind not in (UNKNOWN, SKIPPED) and c.keyword not in self.known]

    def build(self, node: Node, *given: Any) -> M:
        """`make(node, read(node), **fields)` in one call, the fields being `self.given`'s
        with these values: the readers text, integer, seconds, flag and persistence are done
        in place, without a Read, and the record is made from its values by position
        (records.maker); a set of keywords read HOT times is read by its compiled plan from
        then on. A block needing another reader, or holding two spellings of one field, is
        read the general way."""
        index = node._index or node.index()    # the structure builder fills _index
        made: M | None
        if self.last is not None:
            made = self.last(node, index, given)
            if made is not None:
                return made
        keywords = (*index,)
        plan = self.plans.get(keywords) or self.plan(keywords)
        if plan.compiled is not None:
            self.last = plan.compiled
            made = plan.compiled(node, index, given)
            assert made is not None
            return made
        steps = plan.inline
        if steps is None:
            return self.make(node, self.read(node), **dict(zip(self.given, given, strict=True)))
        plan.uses += 1
        if plan.uses == HOT:
            plan.compiled = self.compile(keywords, plan)
        verbatim: dict[str, list[str]] = {}
        raw_text: dict[str, str] = {}
        values = [node.span, node, [] if plan.modelled else self.other(node), plan.written,
                  verbatim, raw_text, *self.defaults]
        for keyword, key, at, how in steps:
            found = index[keyword][1]
            args = found.args
            if how is text:
                if len(args) != 1:
                    verbatim[key] = [a.value for a in args]
                spec = found.spec
                if (spec is not None and spec.value == "script") or keyword in SECOND_TOKENIZER:
                    raw = command_text(found)
                    if raw is not None:
                        raw_text[key] = raw
                values[at] = args[0].value if args else None
            elif how is flag:
                if args:
                    verbatim[key] = [a.value for a in args]
                values[at] = True
            elif how is persistence and not args:
                verbatim[key] = []
                values[at] = 360
            else:
                value = (INTEGERS if how is persistence else how)[args[0].value] if args else None
                if value is None or len(args) != 1:
                    verbatim[key] = [a.value for a in args]
                values[at] = value
        for at, value in zip(self.given_at, given):
            values[at] = value
        return self.new(*values)

    def in_place(self) -> tuple[type, list[str]] | None:
        """How a compiled plan makes the record in place (records.swapped), when it can: every
        field that takes a default_factory's new value is one the caller gives."""
        if any(d is FACTORY for at, d in enumerate(self.defaults, len(BASE_FIELDS))
               if at not in self.given_at):
            return None
        return swapped(self.cls)

    def compile(self, keywords: tuple[str, ...], plan: Plan) -> Callable[..., Any] | None:
        """The inline steps of `plan` as one function `build(node, index, given)`, which
        answers None for a block holding other keywords than these; None when the record
        cannot be made in place."""
        made = self.in_place()
        if made is None:
            return None
        twin, names = made
        # imported here: a small file has no hot plan, and does without the module
        from kaconf.grammar.plan_code import compile_plan, plan_source

        assert plan.inline is not None
        steps = [(kw, key, at, "number" if isinstance(how, Numbers) else KINDS[how],
                  kw in SECOND_TOKENIZER) for kw, key, at, how in plan.inline]
        numbers = {f"_n{n}": INTEGERS if how is persistence else how
                   for n, (_, _, _, how) in enumerate(plan.inline) if how not in (text, flag)}
        source = plan_source(keywords, steps, self.defaults, list(zip(self.given, self.given_at)),
                             plan.modelled, names)
        return compile_plan(source, f"{self.cls.__name__}: {' '.join(keywords)}", {
            "_twin": twin, "_cls": self.cls, "_other": self.other, "_written": plan.written,
            "_command_text": command_text, **numbers,
            **{f"_d{at}": value for at, value in enumerate(self.defaults, len(BASE_FIELDS))}})


def directive(node: Node) -> Directive:
    block = ([directive(c) for c in node.children if c.kind not in (UNKNOWN, SKIPPED)]
             if node.is_block else None)
    return Directive(keyword=node.keyword, args=[a.value for a in node.args], span=node.span,
                     block=block, raw=command_text(node) if block is None else None)


def every(node: Node, keyword: str) -> list[Node]:
    """Every child with this keyword (find_all), without a pass over a block that has none."""
    return node.find_all(keyword) if keyword in node.index() else []


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
NOTIFY_FIELDS: tuple[Field, ...] = tuple((kw, text) for kw in NOTIFY)
AUTHENTICATION = Shape(Authentication, [("auth_type", text), ("auth_pass", text)])
VRRP_INSTANCE = Shape(VrrpInstance, [
    ("strict_mode", flag), ("state", text), ("interface", text),
    ("virtual_router_id", integer), ("priority", integer), ("advert_int", seconds),
    ("version", integer), ("nopreempt", flag), ("preempt_delay", seconds), ("accept", flag),
    ("no_accept", flag), ("use_vmac", flag), ("dont_track_primary", flag),
    ("unicast_src_ip", text), ("mcast_src_ip", text), ("mcast_dst_ip", text), *NOTIFY_FIELDS,
    ("garp_master_delay", integer)], NOTIFY)
VRRP_SCRIPT = Shape(VrrpScript, [
    ("weight", weight), ("script", text), ("interval", seconds), ("timeout", seconds),
    ("rise", integer), ("fall", integer), ("user", text), ("init_fail", flag)], {"weight"},
    given=("name",))
TRACK_PROCESS = Shape(VrrpTrackProcess, [
    ("weight", weight), ("process", text), ("quorum", integer), ("quorum_max", integer),
    ("delay", seconds)], {"weight"}, given=("name",))
BFD_INSTANCE = Shape(BfdInstance, [
    ("weight", weight), ("neighbor_ip", text, ("neighbour_ip",)), ("source_ip", text),
    ("multiplier", integer), ("min_rx", seconds), ("min_tx", seconds)],
    {"weight", "neighbour_ip"}, given=("name",))
TRACK_FILE = Shape(TrackFile, [("weight", weight), ("file", text), ("init_file", text)],
                   given=("name",))
SYNC_GROUP = Shape(VrrpSyncGroup, [*NOTIFY_FIELDS, ("sync_group_tracking_weight", flag)],
                   NOTIFY)
CHECKER_FIELDS: tuple[Field, ...] = (
    ("connect_ip", text), ("connect_port", integer), ("bindto", text), ("bind_port", integer),
    ("bind_if", text), ("connect_timeout", seconds), ("retry", integer, ("nb_get_retry",)),
    ("delay_before_retry", seconds), ("delay_loop", seconds), ("warmup", seconds),
    ("fwmark", integer))
HTTP_FIELDS: tuple[Field, ...] = (("virtualhost", text), ("http_protocol", text))
CHECKER_OWN: dict[type[Checker], tuple[Field, ...]] = {
    HttpGet: HTTP_FIELDS, SslGet: HTTP_FIELDS,
    MiscCheck: (("misc_path", text), ("misc_timeout", integer), ("misc_dynamic", flag),
                ("user", text)),
    SmtpCheck: (("helo_name", text),), DnsCheck: (("name", text),), BfdCheck: (("name", text),),
    UdpCheck: (("payload", text), ("require_reply", text)), FileCheck: (("track_file", text),)}
CHECKERS = {kw: Shape(cls, CHECKER_FIELDS + CHECKER_OWN.get(cls, ()), {"url"},
                      given=("urls",) if issubclass(cls, HttpGet) else ())
            for kw, cls in CHECKER_MODELS.items()}
WITH_URLS = frozenset(kw for kw, cls in CHECKER_MODELS.items() if issubclass(cls, HttpGet))
URL = Shape(Url, [("path", text), ("digest", text), ("virtualhost", text), ("regex", text)],
            given=("status_code",))
REAL_SERVER = Shape(RealServer, [
    ("weight", integer), ("lvs_method", text), ("inhibit_on_failure", flag),
    ("notify_up", text), ("notify_down", text), ("delay_loop", seconds),
    ("connect_timeout", seconds), ("retry", integer), ("delay_before_retry", seconds)],
    {"notify_up", "notify_down"} | set(CHECKER_MODELS), given=("address", "port", "checkers"))
VIRTUAL_SERVER = Shape(VirtualServer, [
    ("persistence_timeout", persistence), ("protocol", text),
    ("lvs_sched", text, ("lb_algo",)), ("lvs_method", text, ("lb_kind",)),
    ("persistence_granularity", text), ("delay_loop", seconds), ("connect_timeout", seconds),
    ("retry", integer), ("delay_before_retry", seconds), ("weight", integer),
    ("quorum", integer), ("hysteresis", integer), ("ha_suspend", flag), ("virtualhost", text)],
    {"real_server", "lb_algo", "lb_kind"},
    given=("address", "port", "fwmark", "group", "sorry_server", "real_servers"))
GLOBAL_DEFS = Shape(GlobalDefs, [
    ("router_id", text), ("enable_script_security", flag), ("script_user", text),
    ("vrrp_strict", flag), ("vrrp_version", integer), ("notification_email_from", text),
    ("smtp_server", text)], given=("notification_email", "lvs_sync_daemon"))


def notifies(into: Read) -> dict[str, str]:
    """The notify lines read, in NOTIFY's order; a line without a command is kept empty."""
    values = into.values
    return {kw: values.pop(kw) or "" for kw in NOTIFY if kw in values}


def tracks(node: Node, keywords: tuple[str, ...]) -> dict[str, list[TrackEntry]]:
    return {kw: [e for n in every(node, kw) for e in track_entries(n)] for kw in keywords}


def last(node: Node, keyword: str) -> Node | None:
    hit = node.index().get(keyword)
    return hit[1] if hit is not None else None


def authentication(node: Node | None) -> Authentication | None:
    if node is None:
        return None
    return AUTHENTICATION.build(node)


def vrrp_instance(node: Node) -> VrrpInstance:
    into = VRRP_INSTANCE.read(node)
    if "strict_mode" in into.values:
        into.values["strict_mode"] = into.verbatim.get("strict_mode", [""])[0] not in (
            "off", "false", "no")
    return VRRP_INSTANCE.make(
        node, into, name=node.arg(0) or "", notify=notifies(into),
        authentication=authentication(last(node, "authentication")),
        virtual_ipaddress=vips(last(node, "virtual_ipaddress")),
        virtual_ipaddress_excluded=vips(last(node, "virtual_ipaddress_excluded")),
        unicast_peer=[p for n in every(node, "unicast_peer") for p in unicast_peers(n)],
        **tracks(node, TRACKS))


def vrrp_script(node: Node) -> VrrpScript:
    return VRRP_SCRIPT.build(node, node.arg(0) or "")


def track_process(node: Node) -> VrrpTrackProcess:
    return TRACK_PROCESS.build(node, node.arg(0) or "")


def bfd_instance(node: Node) -> BfdInstance:
    return BFD_INSTANCE.build(node, node.arg(0) or "")


def track_file(node: Node) -> TrackFile:
    return TRACK_FILE.build(node, node.arg(0) or "")


def sync_group(node: Node) -> VrrpSyncGroup:
    into = SYNC_GROUP.read(node)
    return SYNC_GROUP.make(node, into, name=node.arg(0) or "", notify=notifies(into),
                           **tracks(node, TRACKS + ("group",)))


def vs_group(node: Node) -> VirtualServerGroup:
    entries = []
    for line in node.children:
        words = [a.value for a in line.args]
        if line.keyword == "fwmark":
            entries.append(VsgEntry(span=line.span, fwmark=as_int(line.arg(0)), options=words))
        else:
            entries.append(VsgEntry(span=line.span, address=line.keyword,
                                    port=as_int(line.arg(0)), options=words))
    # a value block: every line is an entry, so nothing is left over as a directive
    return VirtualServerGroup(span=node.span, node=node, other=[],
                              written=frozenset(map(CANONICAL.get, node.index(), node.index())),
                              name=node.arg(0) or "", entries=entries)


def checker(node: Node) -> Checker:
    """The checker of `node`; its `type`, the block's keyword, is its class's default."""
    shape = CHECKERS[node.keyword]
    if node.keyword in WITH_URLS:
        return shape.build(node, [url(u) for u in every(node, "url")])
    # the plan read last first, as Shape.build tries it, without build's frame: a farm's
    # checkers are alike
    made: Checker | None = None
    if shape.last is not None:
        made = shape.last(node, node._index or node.index(), ())
    return made if made is not None else shape.build(node)


def url(node: Node) -> Url:
    codes = [a.value for n in every(node, "status_code") for a in n.args]
    return URL.build(node, codes)


def real_server(node: Node) -> RealServer:
    args = node.args
    checkers = []
    for child in node.children:     # a loop, not a comprehension: one frame less
        if child.keyword in CHECKER_MODELS and child.kind == "block":
            checkers.append(checker(child))
    given = ((args[0].value if args else "") or "",
             INTEGERS[args[1].value] if len(args) > 1 else None, checkers)
    # as in checker: the plan read last first, without Shape.build's frame
    made: RealServer | None = None
    if REAL_SERVER.last is not None:
        made = REAL_SERVER.last(node, node._index or node.index(), given)
    return made if made is not None else REAL_SERVER.build(node, *given)


def virtual_server(node: Node) -> VirtualServer:
    args = node.args
    first = args[0].value if args else None
    second = args[1].value if len(args) > 1 else None
    sorry = last(node, "sorry_server")
    sorry_model = (SorryServer(span=sorry.span, node=sorry, address=sorry.arg(0) or "",
                               port=as_int(sorry.arg(1)))
                   if sorry is not None else None)
    real_servers = []
    for child in node.children:     # a loop, not a comprehension: one frame less
        if child.keyword == "real_server" and child.kind not in (UNKNOWN, SKIPPED) \
                and not child.skipped:
            real_servers.append(real_server(child))
    # given: address, port, fwmark, group, sorry_server, real_servers
    if first == "fwmark":
        return VIRTUAL_SERVER.build(node, None, None, as_int(second), None, sorry_model,
                                    real_servers)
    if first == "group":
        return VIRTUAL_SERVER.build(node, None, None, None, second, sorry_model, real_servers)
    return VIRTUAL_SERVER.build(node, first, as_int(second), None, None, sorry_model,
                                real_servers)


def global_defs(nodes: list[Node]) -> GlobalDefs | None:
    if not nodes:
        return None
    merged = Node("global_defs", nodes[0].span, [], "block", "",
                  children=[c for n in nodes for c in n.children])
    emails = [line.keyword for n in merged.find_all("notification_email")
              for line in n.children] + [a.value for n in merged.find_all("notification_email")
                                         for line in n.children for a in line.args]
    sync = last(merged, "lvs_sync_daemon")
    daemon = [a.value for a in sync.args] if sync is not None else []
    return GLOBAL_DEFS.build(merged, emails, daemon)


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
