"""The page `kaconf explain CODE` prints: a rule's explanation, with the cluster rules'
examples shown as the two files a user writes (lb1.conf, lb2.conf) before the one-file form
with `@lb1`/`@lb2` conditional lines."""
from __future__ import annotations

import re

CONDITIONAL = re.compile(r"^(\s*)@(\^?)([A-Za-z0-9_.-]+)(.*)$")
SECTION = re.compile(r"^## (Bad|Good)\s*$")


def for_id(example: list[str], config_id: str) -> list[str]:
    """The lines keepalived -i ID reads: `@ID` lines without their prefix, `@^ID` lines for
    every other id, other lines as they are (keepalived-language §1.3)."""
    out = []
    for line in example:
        m = CONDITIONAL.match(line)
        if m is None:
            out.append(line)
            continue
        lead, negated, cid, rest = m.groups()
        if (cid == config_id) != bool(negated):
            out.append(lead + rest)   # the `@ID` prefix stands in the block's indentation
    return out


def conditional_ids(example: list[str]) -> list[str]:
    found: list[str] = []
    for line in example:
        m = CONDITIONAL.match(line)
        if m and m.group(3) not in found:
            found.append(m.group(3))
    return found


def two_file_form(text: str) -> str:
    """`text` with each Bad/Good example that uses @ID lines preceded by one file per id."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        if not SECTION.match(lines[i]):
            i += 1
            continue
        end = i + 1
        while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
            end += 1
        while end > i + 1 and not lines[end - 1].strip():
            end -= 1
        example = lines[i + 1:end]
        ids = conditional_ids(example)
        if ids:
            for cid in ids:
                out += [f"{cid}.conf:", *for_id(example, cid), ""]
            flags = " ".join(f"--config-id {cid}" for cid in ids)
            out.append(f"or one file with @ lines, read with `kaconf lint {flags}`:")
        out += example
        i = end
    return "\n".join(out)

