"""What one node breaks of the keyword table, read word by word: a deprecated keyword, the
number of arguments, values and their ranges, addresses, and a complete block's repeated and
missing keywords (KA104-KA108, KA110). kaconf.checks runs these on each node of a tree."""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import lru_cache

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.keyword_codes import (
    DEPRECATED_KEYWORD,
    DUPLICATE_KEYWORD,
    INVALID_VALUE,
    MISSING_REQUIRED,
    OUT_OF_RANGE,
    WRONG_ARITY,
)
from kaconf.keywords import INT, TIMER, UINT, Keyword, KeywordTable
from kaconf.secrets import SECRET_KEYWORDS
from kaconf.source import Span
from kaconf.tree import BLOCK, STATEMENT, VALUE, VALUES, Node, Word

SECRETS = frozenset(SECRET_KEYWORDS)   # their values are never quoted in a message
BOOLS = ("on", "off", "true", "false", "yes", "no")
SCHEDULERS = ("rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed",
              "nq", "twos")
# keywords a block cannot do without: (block path, keyword, what happens without it)
REQUIRED = (
    ("vrrp_instance", "virtual_router_id", "keepalived rejects the instance and stops checking "
                                           "the VRRP configuration"),
    ("vrrp_instance", "interface", "keepalived 2.2.7 rejects the instance ('Unknown interface!')"),
    ("vrrp_script", "script", "keepalived removes the vrrp_script ('No script set')"),
    ("virtual_server/real_server/HTTP_GET", "url", "keepalived 2.2.7 crashes on it"),
    ("virtual_server/real_server/SSL_GET", "url", "keepalived 2.2.7 crashes on it"),
    ("virtual_server/real_server/HTTP_GET/url", "path", "keepalived ignores the url"),
    ("virtual_server/real_server/SSL_GET/url", "path", "keepalived ignores the url"),
    ("virtual_server/real_server/MISC_CHECK", "misc_path", "keepalived skips the checker"),
    ("vrrp_sync_group", "group", "keepalived removes the sync group"),
    ("vrrp_instance/authentication", "auth_pass", "keepalived ignores the authentication"),
)
REQUIRED_IN: dict[str, list[tuple[str, str]]] = {}
for _block, _keyword, _consequence in REQUIRED:
    REQUIRED_IN.setdefault(_block, []).append((_keyword, _consequence))
REQUIRING = frozenset(block.rsplit("/", 1)[-1] for block in REQUIRED_IN)   # their keywords


def check_node(node: Node, spec: Keyword, table: KeywordTable) -> Iterator[Diagnostic]:
    if spec.status == "deprecated":
        yield deprecated(node, spec, table)
    if node.keyword == "virtual_server" and node.path == "":
        yield from check_virtual_server_header(node, table)
        return
    yield from check_arity(node, spec)
    if node.keyword == "real_server" and node.path == "virtual_server" and node.args:
        yield from check_real_server_header(node)
    elif node.kind in (STATEMENT, BLOCK) and node.args:
        yield from check_value(node, spec)


def check_real_server_header(node: Node) -> Iterator[Diagnostic]:
    """`real_server ADDRESS [PORT]`: keepalived skips the whole real_server when either does
    not parse (`Invalid real server ip address/port 10.0.0.300/80 - skipping`)."""
    address, port = node.args[0], node.args[1] if len(node.args) > 1 else None
    text = address.value
    cut = re.search(r"[-/]", text)
    why = address_problem(text[:cut.start()] if cut else text)
    if why is not None and not text.startswith("$"):
        yield INVALID_VALUE.at(address.span, f"'{text}' is not an IP address ({why}): "
                               "keepalived skips this real_server")
    elif cut is not None:
        yield from check_ip(address, "real_server")
    if port is not None and not (UINT.fullmatch(port.value) and int(port.value) <= 65535):
        yield INVALID_VALUE.at(port.span, f"real_server port '{port.value}' is not 0..65535 "
                               "(0: the virtual_server's port): keepalived skips this "
                               "real_server")


def deprecated(node: Node, spec: Keyword, table: KeywordTable) -> Diagnostic:
    repl = spec.replacement
    simple = repl and " " not in repl and not repl.startswith("(")
    fix = repl if simple and table.lookup(node.path, repl) is not None else None
    use = f"; use '{repl}'" if repl and not repl.startswith("(") else (
        f" {repl}" if repl else "")
    if spec.warns:
        return DEPRECATED_KEYWORD.at(node.span, f"'{node.keyword}' is deprecated and keepalived "
                                     f"warns about it{use}", fix=fix)
    return DEPRECATED_KEYWORD.at(node.span, f"'{node.keyword}' is a deprecated synonym that "
                                 f"keepalived still accepts{use}", severity=Severity.INFO,
                                 fix=fix)


def check_arity(node: Node, spec: Keyword) -> Iterator[Diagnostic]:
    n = len(node.args)
    if n < spec.min_args:
        what = spec.header or "an argument"
        yield WRONG_ARITY.at(node.span, f"'{node.keyword}' needs {what}; keepalived stops "
                             "reading the configuration here" if node.kind == STATEMENT else
                             f"'{node.keyword}' needs {what}")
        return
    if spec.max_args is None or n <= spec.max_args:
        return
    extra = node.args[spec.max_args:]
    span = _join(extra)
    if spec.value == "flag":
        first = extra[0].value
        if first.lower() in ("off", "false", "no", "0", "disable", "disabled"):
            yield WRONG_ARITY.at(span, f"'{node.keyword}' takes no argument; keepalived 2.2.7 "
                                 f"ignores '{first}' and turns {node.keyword} ON: delete the "
                                 "line to turn it off", severity=Severity.WARNING)
        else:   # `alpha 1`: the word is ignored, and the flag is on as the writer meant
            yield WRONG_ARITY.at(span, f"'{node.keyword}' takes no argument; keepalived "
                                 f"ignores '{first}'", severity=Severity.INFO)
        return
    shown = "" if node.keyword in SECRETS else " " + " ".join(f"'{w.value}'" for w in extra)
    hint = (" (quote a value that contains blanks)" if node.keyword in SECRETS
            or spec.value == "string" else "")
    if node.kind in (BLOCK, VALUES):
        yield WRONG_ARITY.at(span, f"'{node.keyword}' takes {spec.max_args} argument(s) before "
                             f"its block; extra{shown} not expected")
        return
    yield WRONG_ARITY.at(span, f"extra argument(s){shown} after '{node.keyword}' are ignored "
                         f"by keepalived{hint}", severity=Severity.WARNING)


def _join(words: list[Word]) -> Span:
    first, last = words[0].span, words[-1].span
    if first.file == last.file and first.line == last.line:
        return Span(first.file, first.line, first.column, last.end_line, last.end_column)
    return first


def check_value(node: Node, spec: Keyword) -> Iterator[Diagnostic]:
    rule = spec.value
    word = node.args[0]
    value = word.value
    kind, _, rest = rule.partition(":")
    kw = node.keyword
    if kw in MULTICAST_KEYWORDS:
        yield from check_multicast(word, kw)
        return
    if kind in WORD_RULES:
        yield from WORD_RULES[kind](node, rest.split(":"))
        return
    if kind in ("uint", "optuint", "int"):
        lo_s, hi_s, *how = rest.split(":")
        pattern = INT if kind == "int" else UINT
        if not pattern.fullmatch(value):
            why = "negative numbers are not accepted" if value.startswith("-") and kind != "int" \
                else "not a whole number"
            yield INVALID_VALUE.at(word.span, f"'{kw}' needs a whole number, got '{value}' ({why})")
            return
        yield from _number(word, kw, int(value), float(lo_s), float(hi_s), how,
                           _refused(node))
    elif kind == "timer":
        lo_s, _, hi_s = rest.partition(":")
        if not TIMER.fullmatch(value):
            yield INVALID_VALUE.at(word.span, f"'{kw}' needs a time in seconds such as 1 or 0.5, "
                                   f"got '{value}'")
            return
        yield from _range(word, kw, float(value), float(lo_s) if lo_s else None,
                          float(hi_s) if hi_s else None, _refused(node))
        yield from _precision(word, kw)
    elif kind in ("enum", "ienum"):
        choices = rest.split("|")
        ok = value in choices if kind == "enum" else value.lower() in [c.lower() for c in choices]
        if not ok:
            yield _bad_choice(word, kw, choices, INSTEAD.get((node.path, kw), ""))
    elif kind == "sched":
        if value not in SCHEDULERS:
            yield _bad_choice(word, kw, list(SCHEDULERS), INSTEAD.get((node.path, kw), ""))
    elif kind in ("bool", "optbool"):
        if value not in BOOLS:
            yield INVALID_VALUE.at(word.span, f"'{kw}' takes on/off, true/false or yes/no "
                                   f"(lower case), got '{value}'; keepalived ignores the line "
                                   "and leaves the setting as it was")
    elif kind == "ip":
        yield from check_ip(word, kw)
    elif kind == "ifname":
        if len(value) >= 16:
            yield INVALID_VALUE.at(word.span, f"interface name '{value}' is {len(value)} "
                                   "characters; Linux allows at most 15")


def _refused(node: Node) -> str:
    """What keepalived does with a global_defs value outside its range: it logs the range
    (`must be in [1, 1000] - ignoring`, `'0' is invalid`) and keeps the setting it had."""
    return "; keepalived ignores the line" if node.path == "global_defs" else ""


def check_pairs(node: Node, rule: list[str]) -> Iterator[Diagnostic]:
    """`lvs_timeouts tcp 900 udp 30`: each number in range (`Invalid lvs_timeout tcp
    (3000000) - ignoring`)."""
    lo, hi, names = float(rule[0]), float(rule[1]), rule[2].split("|")
    words = node.args
    for name, value in zip(words[::2], words[1::2]):
        if name.value not in names:
            yield INVALID_VALUE.at(name.span, f"'{name.value}' is not a timeout of "
                                   f"{node.keyword}; expected {', '.join(names)}")
        elif not UINT.fullmatch(value.value):
            yield INVALID_VALUE.at(value.span, f"{node.keyword} {name.value} needs a whole "
                                   f"number of seconds, got '{value.value}'; keepalived "
                                   "ignores it")
        else:
            yield from _range(value, f"{node.keyword} {name.value}", int(value.value), lo, hi,
                              "; keepalived ignores it")


def check_all_seconds(node: Node, rule: list[str]) -> Iterator[Diagnostic]:
    """`[all] SECS` with `all` anywhere (vrrp_garp_extra_if): the number in range."""
    lo, hi = float(rule[0]), float(rule[1])
    for word in node.args:
        if word.value == "all":
            continue
        if not UINT.fullmatch(word.value):
            yield INVALID_VALUE.at(word.span, f"'{node.keyword}' needs 'all' and a whole number "
                                   f"of seconds, got '{word.value}'")
        else:
            yield from _range(word, node.keyword, int(word.value), lo, hi, _refused(node))


def check_sensible(node: Node, rule: list[str]) -> Iterator[Diagnostic]:
    """track_file init_file: keepalived takes any number but warns outside -254..254 (`init
    value 300 is outside sensible range [-254, 254]`), where a weight cannot use it."""
    lo, hi = float(rule[0]), float(rule[1])
    word = node.args[0]
    if word.value == "overwrite":
        return
    if not INT.fullmatch(word.value):
        yield INVALID_VALUE.at(word.span, f"'{node.keyword}' needs a whole number or "
                               f"'overwrite', got '{word.value}'")
    elif not lo <= int(word.value) <= hi:
        yield OUT_OF_RANGE.at(word.span, f"'{node.keyword}' {word.value} is outside "
                              f"{_num(lo)}..{_num(hi)}: keepalived warns that it is not a "
                              "sensible value", severity=Severity.WARNING)


def check_status_codes(node: Node, rule: list[str]) -> Iterator[Diagnostic]:
    """status_code 200 or 200-299, each 100..599 (`Invalid HTTP_GET status code '700'`)."""
    lo, hi = int(rule[0]), int(rule[1])
    for word in node.args:
        low, dash, high = word.value.partition("-")
        parts = [low, high] if dash else [low]
        ok = all(p.isdigit() and lo <= int(p) <= hi for p in parts) and (
            not dash or int(low) <= int(high))
        if not ok:
            yield INVALID_VALUE.at(word.span, f"'{word.value}' is not an HTTP status code "
                                   f"{lo}..{hi} or a range LOW-HIGH: keepalived refuses it "
                                   "('Invalid HTTP_GET status code')")


WORD_RULES = {"pairs": check_pairs, "allsecs": check_all_seconds, "sensible": check_sensible,
              "status": check_status_codes}


def _range(word: Word, kw: str, number: float, lo: float | None,
           hi: float | None, effect: str = "") -> Iterator[Diagnostic]:
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        bounds = (f"{_num(lo)}..{_num(hi)}" if lo is not None and hi is not None
                  else f"at least {_num(lo)}" if lo is not None else f"at most {_num(hi)}")
        yield OUT_OF_RANGE.at(word.span, f"'{kw}' {word.value} is out of range: keepalived "
                              f"accepts {bounds}{effect}")


def _number(word: Word, kw: str, number: int, lo: float, hi: float,
            how: list[str], effect: str) -> Iterator[Diagnostic]:
    """A whole number in its range, with what keepalived does instead where it does not
    simply refuse the value (verified with keepalived 2.2.7 -t)."""
    if "zero1" in how and number == 0:
        # `smtp_conect_timeout must be greater than 0, setting to 1`
        yield OUT_OF_RANGE.at(word.span, f"'{kw}' 0 is refused: keepalived says it must be "
                              "greater than 0 and uses 1 instead")
    elif "clamp" in how and not lo <= number <= hi:
        bound = _num(lo if number < lo else hi)
        yield OUT_OF_RANGE.at(word.span, f"'{kw}' {word.value} is out of range {_num(lo)}.."
                              f"{_num(hi)}: keepalived uses {bound} instead")
    else:
        yield from _range(word, kw, number, lo, hi, effect)


def _precision(word: Word, kw: str) -> Iterator[Diagnostic]:
    """keepalived reads a time to the microsecond: `number '1.1234567' has too many decimal
    places`, and the digits after the sixth are dropped."""
    decimals = word.value.partition(".")[2]
    if len(decimals) > 6:
        kept = word.value[:len(word.value) - len(decimals) + 6]
        yield INVALID_VALUE.at(word.span, f"'{kw}' {word.value} has more than 6 decimal places: "
                               f"keepalived reads microseconds and uses {kept}",
                               severity=Severity.WARNING)


def _num(x: float | None) -> str:
    assert x is not None
    return str(int(x)) if float(x).is_integer() else f"{x:.6f}".rstrip("0")


# what keepalived 2.2.7 does with a value it does not know, as `keepalived -t` reports it
INSTEAD = {
    ("vrrp_instance", "state"): "keepalived says unknown state and starts the instance as BACKUP",
    ("vrrp_instance/authentication", "auth_type"): "keepalived says unknown authentication "
                                                   "type and sends adverts without any",
    ("virtual_server", "lvs_method"): "keepalived says unknown routing method and falls back "
                                      "to NAT",
    ("virtual_server", "lb_kind"): "keepalived says unknown routing method and falls back to NAT",
    ("virtual_server/real_server", "lvs_method"): "keepalived says unknown routing method and "
                                                  "uses the virtual_server's",
    ("virtual_server", "lvs_sched"): "keepalived ignores it and schedules with wlc",
    ("virtual_server", "lb_algo"): "keepalived ignores it and schedules with wlc",
}


def _bad_choice(word: Word, kw: str, choices: list[str], instead: str = "") -> Diagnostic:
    exact = [c for c in choices if c.lower() == word.value.lower()]
    hint = (f"; values are case-sensitive: write '{exact[0]}'" if exact
            else f"; expected one of {', '.join(choices)}")
    hint = f": {instead}{hint}" if instead else hint
    fix = exact[0] if exact and not word.quoted else None
    return INVALID_VALUE.at(word.span, f"'{word.value}' is not a valid {kw}{hint}", fix=fix)


MULTICAST_KEYWORDS = ("mcast_dst_ip", "vrrp_mcast_group4", "vrrp_mcast_group6")


def check_multicast(word: Word, kw: str) -> Iterator[Diagnostic]:
    """A multicast group: keepalived skips an address that is not one (`mcast_dst_ip
    192.0.2.1 not multicast. Skipping...`) and keeps sending to the default group."""
    try:
        addr = ipaddress.ip_address(word.value)
    except ValueError:
        yield INVALID_VALUE.at(word.span, f"'{word.value}' is not an IP address ({kw} takes a "
                               "multicast group address)")
        return
    if not addr.is_multicast:
        yield INVALID_VALUE.at(word.span, f"{kw} {word.value} is not a multicast address: "
                               "keepalived ignores it and keeps the default group (224.0.0.18 "
                               "or ff02::12)")
    elif kw.endswith("4") and addr.version != 4 or kw.endswith("6") and addr.version != 6:
        yield INVALID_VALUE.at(word.span, f"{kw} needs an IPv{kw[-1]} group, not {word.value}")


def check_ip(word: Word, kw: str) -> Iterator[Diagnostic]:
    problem = ip_problem(word.value)
    if problem is None:
        return
    text = word.value
    if problem == "invalid":
        yield INVALID_VALUE.at(word.span, f"'{text}' is not an IP address ({kw} takes an IPv4 or "
                               "IPv6 literal; host names are not resolved)")
    else:
        yield INVALID_VALUE.at(word.span, f"keepalived silently drops '{problem}' from "
                               f"'{text}' and uses {text[:len(text) - len(problem)]}",
                               severity=Severity.WARNING)


# exactly the strings ipaddress.IPv4Address accepts (four decimal numbers 0-255, no leading
# zero): the common case answered without building an address object
IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}"
                  r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])")


@lru_cache(maxsize=8192)
def ip_problem(text: str) -> str | None:
    """None for a plain IP literal; "invalid"; or the suffix keepalived drops (`/24`, `-20`)."""
    cut = re.search(r"[-/]", text)
    addr = text[:cut.start()] if cut else text
    try:
        if ":" in addr:
            ipaddress.IPv6Address(addr)
        elif not IPV4.fullmatch(addr):
            ipaddress.IPv4Address(addr)
    except ValueError:
        return "invalid"
    return text[cut.start():] if cut else None


def check_addresses(node: Node) -> Iterator[Diagnostic]:
    """Each line's address: keepalived skips a line whose address does not parse (`VRRP
    parsed invalid IP 10.0.0.300/24. skipping IP...`) and uses a full-length prefix for a
    prefix it cannot read (`Invalid address prefix len 33 ... - using 32`)."""
    what = "VIP" if node.keyword.startswith("virtual") else "address"
    for line in node.children:
        text = line.keyword
        if line.kind != VALUE or text.startswith("$"):   # `$NAME`: the loader reports it
            continue
        addr, slash, prefix = text.partition("/")
        why = address_problem(addr)
        if why is not None:
            yield INVALID_VALUE.at(line.span, f"'{text}' is not an IP address ({why}): "
                                   f"keepalived skips this {what}")
            continue
        longest = 128 if ":" in addr else 32
        if slash and not (prefix.isdigit() and int(prefix) <= longest):
            yield INVALID_VALUE.at(line.span, f"prefix length '{prefix}' of {addr} is not "
                                   f"0..{longest}: keepalived uses /{longest} instead",
                                   severity=Severity.WARNING)


def address_problem(text: str) -> str | None:
    """Why `text` is not an IPv4 or IPv6 literal, or None."""
    if IPV4.fullmatch(text):
        return None
    try:
        ipaddress.ip_address(text)
    except ValueError:
        big = [p for p in text.split(".") if p.isdigit() and int(p) > 255]
        if ":" not in text and big:
            return f"{big[0]} is above 255"
        if ":" not in text and text.count(".") != 3:
            return "an IPv4 address has four numbers"
        return "not an IPv4 or IPv6 literal"
    return None


def check_virtual_server_header(node: Node, table: KeywordTable) -> Iterator[Diagnostic]:
    args = node.args
    if not args:
        yield WRONG_ARITY.at(node.span, "'virtual_server' needs an address and port, "
                             "'fwmark N' or 'group NAME'")
        return
    first = args[0].value
    if first in ("fwmark", "group"):
        if len(args) < 2:
            yield WRONG_ARITY.at(args[0].span, f"'virtual_server {first}' needs a "
                                 f"{'mark number' if first == 'fwmark' else 'group name'}")
        elif first == "fwmark" and not UINT.fullmatch(args[1].value):
            yield INVALID_VALUE.at(args[1].span,
                                   f"fwmark '{args[1].value}' is not a decimal number")
        elif first == "fwmark":
            yield from _range(args[1], "fwmark", int(args[1].value), 0, 4294967295)
        return
    yield from check_ip(args[0], "virtual_server")
    if len(args) >= 2:
        port = args[1]
        if not UINT.fullmatch(port.value):
            yield INVALID_VALUE.at(port.span, f"port '{port.value}' is not a number")
        else:
            yield from _range(port, "port", int(port.value), 0, 65535)
    if len(args) > 2:
        yield WRONG_ARITY.at(_join(args[2:]), "extra words after the virtual_server address "
                             "and port", severity=Severity.WARNING)


def check_block(node: Node, repeats: bool = True) -> list[Diagnostic]:
    """Repeated statements (looked for unless `repeats` is False) and missing keywords."""
    out: list[Diagnostic] = []
    seen: dict[str, Node] = {}
    for child in node.children if repeats else ():
        if child.kind != STATEMENT or child.spec is None:
            continue
        first = seen.get(child.keyword)
        if first is None:
            seen[child.keyword] = child
            continue
        if child.keyword in ("notification_email",):
            continue
        out.append(DUPLICATE_KEYWORD.at(
            child.span, f"'{child.keyword}' is already set on line {first.span.line} in this "
            f"{node.keyword}; " + ("keepalived keeps the first script and ignores this one"
                                   if child.spec.value == "script" else "the last value wins")))
    if node.keyword in REQUIRING:
        for keyword, consequence in REQUIRED_IN.get(node.own_path, ()):
            if node.find(keyword) is None:
                name = f" {node.args[0].value}" if node.args else ""
                out.append(MISSING_REQUIRED.at(node.span, f"{node.keyword}{name} has no "
                                               f"'{keyword}'; {consequence}"))
    return out
