"""Secrets (VRRP passwords, HMAC keys, SSL passwords) never leave the machine in output."""
from __future__ import annotations

import re
from collections.abc import Iterable

from kaconf.tree import Node

SECRET_KEYWORDS = ("auth_pass", "key", "password")
MASK = "********"
_SECRET_LINE = re.compile(r"(^|[\s{}])(auth_pass|key|password)([ \t]+)(\"[^\"]*\"?|[^\s{}]+)")


def mask_line(line: str) -> str:
    """A source line with the value of any secret keyword replaced by asterisks."""
    return _SECRET_LINE.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}{MASK}", line)


def secret_values(tree: Node) -> set[str]:
    """The secret values a configuration holds (to scrub them from messages)."""
    out: set[str] = set()
    for node in tree.walk():
        if node.keyword in SECRET_KEYWORDS and node.args:
            for arg in node.args:
                if len(arg.value) >= 2:
                    out.add(arg.value)
                    out.add(arg.value[:8])
    return out


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace secret values in text: quoted anywhere, and bare when long enough not to be an
    ordinary word of the message."""
    for value in sorted(secrets, key=len, reverse=True):
        if not value or value not in text:
            continue
        for quoted in (f"'{value}'", f'"{value}"'):
            text = text.replace(quoted, f"'{MASK}'")
        if len(value) >= 6:
            text = text.replace(value, MASK)
    return text
