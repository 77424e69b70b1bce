"""Which files an `include` pattern names: csh braces, glob(3), and what keepalived skips."""
from __future__ import annotations

import fnmatch
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


class TooManyAlternatives(Exception):
    """A `{a,b}` pattern that expands to more alternatives than kaconf's limit."""


def expand_braces(pattern: str, limit: int = 256) -> list[str]:
    """csh-style `{a,b}` alternatives, as glob(3) with GLOB_BRACE does, in order. Iterative
    and bounded: `{a,b}` thirty times on a line would be 2**30 patterns, and thousands of
    nested braces would exhaust Python's stack."""
    depth = deepest = 0
    for ch in pattern:
        depth += (ch == "{") - (ch == "}" and depth > 0)
        deepest = max(deepest, depth)
    if deepest > 32:    # each level costs a pass over the pattern
        raise TooManyAlternatives(
            f"the braces in this include nest {deepest} deep; kaconf reads at most 32")
    out: list[str] = []
    stack = [pattern]
    steps = 0
    while stack:
        current = stack.pop()
        steps += 1
        group = first_group(current)
        if group is None:
            out.append(current)
        else:
            start, end, parts = group
            head, tail = current[:start], current[end + 1:]
            stack.extend(reversed([head + part + tail for part in parts]))
        if len(out) + len(stack) > limit or steps > 10 * limit:
            raise TooManyAlternatives(
                f"the braces in this include expand to more than {limit} alternatives; "
                "kaconf does not read it")
    return out


def first_group(pattern: str) -> tuple[int, int, list[str]] | None:
    """The first balanced `{...}` group: its start, its end and its comma-separated parts."""
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
                return start, i, parts
    return None


def bounded_glob(pattern: str, here: str, limit: int) -> tuple[list[str], bool]:
    """glob(3) of `pattern` relative to `here`, sorted, visiting at most 20 * `limit`
    directory entries (a pattern like `*/*/*/*` over a symlink loop would walk forever):
    the matches, and whether the walk was cut short."""
    dir_only = pattern.endswith("/")
    parts = [p for p in pattern.split("/") if p]
    paths = ["/" if pattern.startswith("/") else ""]
    budget = 20 * limit
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        found: list[str] = []
        for base in paths:
            if not has_magic(part):
                candidate = os.path.join(base, part)
                if os.path.lexists(os.path.join(here, candidate)):
                    found.append(candidate)
                continue
            try:
                names = sorted(os.listdir(os.path.join(here, base) or "."))
            except OSError:
                continue
            budget -= len(names)
            if budget < 0:
                return [], True
            hidden = part.startswith(".")
            found += [os.path.join(base, n) for n in names
                      if (hidden or not n.startswith(".")) and fnmatch.fnmatchcase(n, part)]
        if not last or dir_only:
            found = [f for f in found if os.path.isdir(os.path.join(here, f))]
        paths = found
        if len(paths) > limit:      # only the last part's matches are files to read
            return (sorted(paths)[:limit] if last else []), True
    return sorted(paths) if parts else [], False


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


