"""Build kaconf/data/keywords.tsv from the team reference table (shared/reference/keywords.tsv).

The reference table describes every keepalived keyword in prose-like columns. This script
distils it into the columns kaconf checks against: where a keyword may stand, what kind of
line it is (statement, keyword block, value block), how many arguments it takes, the value
rule, and its status. Run it again when the reference changes; a test compares the result.

    python scripts/build_keywords.py [../shared/reference/keywords.tsv]
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kaconf" / "data" / "keywords.tsv"
DEFAULT_SRC = (Path(__file__).resolve().parent.parent.parent / "shared" / "reference"
               / "keywords.tsv")
COLUMNS = ("block", "keyword", "kind", "min_args", "max_args", "value", "status", "since",
           "replacement", "warns", "header")
UNBOUNDED = "*"


def kind_of(args: str, rule: str) -> str:
    """statement, block (keyword block) or values (value block)."""
    if "{" not in args:
        return "statement"
    if "value block" in rule:
        return "values"
    return "block"


def header_of(args: str) -> str:
    """The part of the argument synopsis that stands before the block."""
    return args.split("{", 1)[0].strip()


def count_args(synopsis: str) -> tuple[int, int | None]:
    """Required and maximum argument counts from a synopsis such as `<IP> [<PORT>]`."""
    synopsis = re.sub(r'\|"[^"]*"', "", synopsis)   # `<SCRIPT>|"<SCRIPT> <ARGS>"` is one word
    if not synopsis:
        return 0, 0
    if " | " in synopsis:       # alternatives of different lengths: at least one word
        return 1, None
    if "..." in synopsis:
        unbounded = True
    else:
        unbounded = False
    depth = 0
    required = optional = 0
    for word in re.findall(r"\[|\]|[^\s\[\]]+", synopsis):
        if word == "[":
            depth += 1
        elif word == "]":
            depth -= 1
        elif depth == 0:
            required += 1
        elif not word.startswith("<") and word in {"|"}:
            continue
        else:
            optional += 1
    return required, (None if unbounded else required + optional)


NUMBER = r"[-+]?\d+(?:\.\d+)?"


def value_of(rule: str, args: str) -> str:
    """A small machine-readable value rule: flag, bool, optbool, uint:a:b, int:a:b,
    timer:a:b, enum:A|B, ip, ifname, string, script, any."""
    r = re.sub(r"^2\.2\.7: ", "", rule.strip())    # the rule of the version kaconf targets
    low = r.lower()
    if low.startswith("flag"):
        return "flag"
    if low.startswith("optional bool"):
        return "optbool"
    if low.startswith("bool"):
        return "bool"
    m = re.match(r"each SECS UINT (\d+)\.\.(\d+)", r)
    if m and "|" in args:     # lvs_timeouts: KEYWORD SECS pairs
        words = "|".join(re.findall(r"(\w+) <SECS>", args))
        return f"pairs:{m.group(1)}:{m.group(2)}:{words}"
    m = re.match(r"SECS UINT (\d+)\.\.(\d+)", r)
    if m and args.startswith("[all]"):
        return f"allsecs:{m.group(1)}:{m.group(2)}"
    m = re.match(rf"VALUE INT \(outside ({NUMBER})\.\.({NUMBER}) warns\)", r)
    if m:
        return f"sensible:{m.group(1)}:{m.group(2)}"
    m = re.match(r"each (\d+)\.\.(\d+), ranges LOW-HIGH", r)
    if m:
        return f"status:{m.group(1)}:{m.group(2)}"
    # keepalived replaces 0 by 1 with an error ("... must be greater than 0, setting to 1")
    zero = ":zero1" if re.search(r"\(0 (?:coerced to|->) 1\b", r) else ""
    m = re.match(r"(optional )?UINT (?:integer seconds )?(\d+)\.\.(\d+)", r)
    if m:
        return f"{'opt' if m.group(1) else ''}uint:{m.group(2)}:{m.group(3)}{zero}"
    if re.match(r"UINT\b", r) or low.startswith("unsigned integer"):
        return f"uint:0:4294967295{zero}"
    if r.startswith("INT32"):
        return "int:-2147483648:2147483647"
    m = re.match(rf"INT ({NUMBER})\.\.\S+ \((\d+) on Linux\)", r)
    if m:
        return f"int:{m.group(1)}:{m.group(2)}"
    if re.match(r"INT(;| \()", r) and "clamped" in low:
        # real-time priorities: clamped to SCHED_RR's 1..99 with an error
        return "int:1:99:clamp"
    m = re.match(rf"(?:W )?INT ({NUMBER})\.\.({NUMBER})", r)
    if m:
        return f"int:{m.group(1)}:{m.group(2)}"
    m = re.match(rf"TIMER ({NUMBER})\.\.({NUMBER})", r)
    if m:
        return f"timer:{m.group(1)}:{m.group(2)}"
    m = re.match(rf"TIMER >= ({NUMBER})", r)
    if m:
        return f"timer:{m.group(1)}:"
    m = re.match(rf"TIMER .*?\bmin(?:imum)? ({NUMBER})", r)
    if m:   # keepalived reads such a timer as decimal seconds up to 4294.967295
        return f"timer:{m.group(1)}:4294.967295"
    if r.startswith("TIMER"):
        return "timer::"
    if "uppercase" in low and "exact" in low and "|" in args:
        words = [w for w in re.split(r"[|\s]+", args.split("[")[0]) if w]
        return "enum:" + "|".join(words)
    if low.startswith("literal") and "|" in args:
        words = [w for w in re.split(r"[|\s]+", args) if w]
        return "enum:" + "|".join(words)
    if low.startswith("case-insensitive") and "|" in args:
        return "ienum:" + "|".join(w for w in re.split(r"[|\s]+", args) if w)
    if r.startswith("synonym of lvs_sched") or low.startswith("rr|wrr"):
        return "sched"
    if r.startswith("SCRIPT") or low.startswith("optional script"):
        return "script"
    if "DNS name" in r or "hostname" in low:
        return "any"
    if r.startswith("IP literal") or r.startswith("IPADDR"):
        return "ip"
    if low.startswith("interface name"):
        return "ifname"
    if r.startswith("STRING") or low.startswith("exactly one word"):
        return "string"
    return "any"


def since_of(changed_in: str) -> str:
    m = re.search(r"added v(\d+\.\d+\.\d+)", changed_in)
    return m.group(1) if m else ""


def warns_of(status: str, changed_in: str) -> str:
    """Whether keepalived -t itself prints a deprecation message for this keyword."""
    if status != "deprecated":
        return ""
    if "CONFIG_GENERAL_ERROR" in changed_in or "CONFIG_DEPRECATED" in changed_in:
        return "yes"
    return ""


def convert(src: Path) -> list[dict[str, str]]:
    rows = []
    sources: list[str] = []
    with src.open(newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            notes = rec["notes"]
            if any(tag in notes for tag in ("line item", "line option", "value row")):
                continue
            block = "" if rec["block_path"] == "(root)" else rec["block_path"]
            args, rule = rec["args"], rec["value_rule"]
            kind = kind_of(args, rule)
            header = header_of(args)
            lo, hi = count_args(header)
            value = value_of(rule, header)
            if value == "flag":
                lo, hi = 0, 0
            if value == "optbool":
                lo, hi = 0, 1
            if value == "script":
                lo, hi = min(lo, 1), None
            if value == "any" and kind == "statement":
                hi = None
            sources.append(rule)
            rows.append({
                "block": block, "keyword": rec["keyword"], "kind": kind,
                "min_args": str(lo), "max_args": UNBOUNDED if hi is None else str(hi),
                "value": value, "status": rec["status"], "since": since_of(rec["changed_in"]),
                "replacement": rec["replacement"].strip(),
                "warns": warns_of(rec["status"], rec["changed_in"]), "header": header,
            })
    # `as vrrp_garp_extra_if`: the value rule of that keyword in the same block
    rules = {(row["block"], row["keyword"]): row["value"] for row in rows}
    for row, rule in zip(rows, sources):
        m = re.match(r"as (\w+)$", rule.strip())
        if m and row["value"] == "any":
            row["value"] = rules.get((row["block"], m.group(1)), "any")
    # a block that has no keyword rows of its own is read as a value block
    paths = {row["block"] for row in rows}
    for row in rows:
        path = f"{row['block']}/{row['keyword']}" if row["block"] else row["keyword"]
        if row["kind"] == "block" and path not in paths:
            row["kind"] = "values"
    return rows


def render(rows: list[dict[str, str]]) -> str:
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(row[c] for c in COLUMNS) for row in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    OUT.write_text(render(convert(src)), encoding="utf-8")
    print(f"wrote {OUT} from {src}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
