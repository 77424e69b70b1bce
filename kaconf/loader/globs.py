"""Which files an `include` pattern names: csh braces, glob(3), and what keepalived skips."""
from __future__ import annotations

import os
import stat


def skipped_because(path: str) -> str:
    """Why keepalived skips a glob match (check_glob_file), or '' if it reads it."""
    try:
        st = os.stat(path)
    except OSError:
        return ""      # let load_file say why it cannot be read
    if stat.S_ISDIR(st.st_mode):
        return "is a directory"
    if not stat.S_ISREG(st.st_mode) or st.st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH):
        return "is not a regular non-executable file"
    return ""


def expand_braces(pattern: str) -> list[str]:
    """csh-style `{a,b}` alternatives, as glob(3) with GLOB_BRACE does."""
    depth = 0
    start = -1
    for i, ch in enumerate(pattern):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                inner = pattern[start + 1:i]
                parts, level, last = [], 0, 0
                for j, c in enumerate(inner):
                    level += c == "{"
                    level -= c == "}"
                    if c == "," and level == 0:
                        parts.append(inner[last:j])
                        last = j + 1
                parts.append(inner[last:])
                head, tail = pattern[:start], pattern[i + 1:]
                return [x for p in parts for x in expand_braces(head + p + tail)]
    return [pattern]


def has_magic(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def literal_dir(pattern: str) -> str:
    """The leading directories of a glob pattern that contain no wildcard."""
    parts = pattern.split("/")
    fixed = []
    for part in parts[:-1]:
        if has_magic(part):
            break
        fixed.append(part)
    return "/".join(fixed) or ("/" if pattern.startswith("/") else ".")


