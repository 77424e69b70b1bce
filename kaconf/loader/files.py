"""Opening configuration files safely: only regular files, never /proc, /sys or /dev, never
more than a size limit, only inside the include root; and naming encodings kaconf cannot read.

kaconf runs in CI on files from pull requests, where what it prints is public: a config that
says `include /etc/shadow` must not make it print the runner's secrets, and one that points at
a FIFO or /dev/zero must not make it hang or eat memory.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from kaconf.records import record

MEGABYTE = 1024 * 1024
# what a configuration file may never be read from, wherever the include root is
FORBIDDEN = ("/proc", "/sys", "/dev")
# a byte order mark names its encoding; keepalived reads bytes and knows none of them
BOMS = ((b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
        (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
        (b"\xfe\xff", "UTF-16 (big-endian)"), (b"\xff\xfe", "UTF-16 (little-endian)"))


@record(frozen=True, slots=True)
class Limits:
    """How much one top-level file may make kaconf read and expand. Past a limit kaconf stops
    and says so with a diagnostic (KA011); it never hangs or runs out of memory."""

    file_bytes: int = 10 * MEGABYTE       # one file
    total_bytes: int = 50 * MEGABYTE      # every file one top-level file includes, together
    include_files: int = 1000             # files read through include, repeats counted
    include_depth: int = 32               # includes inside includes
    glob_matches: int = 1000              # files one include pattern may match
    brace_alternatives: int = 256         # `{a,b}` alternatives one pattern may expand to
    expanded_lines: int = 20_000          # lines made by ~SEQ/~LST and multi-line parameters
    # braces in one file: each costs kaconf about 600 bytes of memory to place and report,
    # and a real configuration has a few thousand
    braces: int = 500_000


DEFAULT_LIMITS = Limits()


class Refused(Exception):
    """A file kaconf will not read; the message says why (and never quotes the file)."""


def real_path(path: str | os.PathLike[str]) -> str:
    """os.path.realpath that never raises: Python 3.11 raises PermissionError for some links
    under /proc (/proc/1/cwd); a path that cannot be resolved stays as written (absolute),
    and opening it fails later with a reason."""
    try:
        return os.path.realpath(path)
    except OSError:
        return os.path.abspath(path)


def forbidden(real: str) -> bool:
    """True for paths under /proc, /sys and /dev: never configuration, often endless or
    secret (/proc/self/environ, /proc/kmsg, /dev/zero)."""
    return any(real == top or real.startswith(top + "/") for top in FORBIDDEN)


def inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip("/") + "/")


def project_root(path: str | Path, settings_file: str | None = None) -> str:
    """The default include root for `path`: the folder of the settings file, else the git work
    tree that holds the file, else the folder of the file."""
    if settings_file:
        return real_path(os.path.dirname(os.path.abspath(settings_file)))
    # where the user named the file, not where a symlink leads: a symlink out of the project
    # must not move the root with it
    folder = real_path(os.path.dirname(os.path.abspath(path)))
    here = folder
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return folder
        here = parent


def read_bytes(path: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. The type is checked on the open
    descriptor (no race with a rename), and O_NONBLOCK keeps a FIFO from blocking the open."""
    real = real_path(path)
    if forbidden(real):
        top = next(t for t in FORBIDDEN if inside(real, t))
        raise Refused(f"is under {top}, which kaconf never reads as configuration")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Refused("no such file") from None
    except OSError as exc:
        raise Refused(exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            inner = os.path.join(path, "keepalived.conf")
            hint = f" (the configuration inside is {inner})" if os.path.isfile(inner) else ""
            raise Refused(f"is a directory, not a file{hint}")
        if not stat.S_ISREG(st.st_mode):
            raise Refused(f"is not a regular file (it is a {_kind(st.st_mode)})")
        if st.st_size > limit:
            raise Refused(too_big(st.st_size, limit))
        chunks = []
        size = 0
        # the whole file in one read (and one buffer: no copy to join) unless it grows
        want = st.st_size + 1
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:       # it grew while being read
                raise Refused(too_big(size, limit))
            want = 1 << 20
        return b"".join(chunks)
    except OSError as exc:
        raise Refused(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def too_big(size: int, limit: int) -> str:
    return (f"is larger than kaconf's limit of {_size(limit)} per file ({_size(size)}); raise "
            "it with max-file-size in the settings if the file is really this big")


def _size(n: int) -> str:
    return f"{n / MEGABYTE:.1f} MB" if n >= MEGABYTE else f"{n} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def encoding_problem(data: bytes) -> str:
    """Why bytes are not a keepalived configuration kaconf can read, or ''."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return (f"is encoded in {name}; keepalived reads bytes as UTF-8 or ASCII: "
                    "convert it to UTF-8")
    if b"\x00" in data:
        guess = _nul_pattern(data)
        if guess:
            return (f"looks like {guess} text without a byte order mark; keepalived reads "
                    "bytes as UTF-8 or ASCII: convert it to UTF-8")
        return "is not a text file (it contains NUL bytes)"
    return ""


def _nul_pattern(data: bytes) -> str:
    """UTF-16/32 without a BOM: ASCII text leaves NUL bytes at regular places."""
    head = data[:400]

    def zeros(start: int, step: int) -> bool:
        part = head[start::step]
        return bool(part) and part.count(0) == len(part)

    if len(head) >= 8 and head[0] and zeros(1, 4) and zeros(2, 4) and zeros(3, 4):
        return "UTF-32 (little-endian)"
    if len(head) >= 8 and head[3] and zeros(0, 4) and zeros(1, 4) and zeros(2, 4):
        return "UTF-32 (big-endian)"
    if len(head) >= 4 and head[0] and zeros(1, 2):
        return "UTF-16 (little-endian)"
    if len(head) >= 4 and head[1] and zeros(0, 2):
        return "UTF-16 (big-endian)"
    return ""


def decode_config(data: bytes) -> tuple[str | None, str]:
    """The text of configuration bytes (undecodable bytes kept as surrogate escapes, so a
    rewrite gives them back), or None and why it is not text kaconf reads."""
    problem = encoding_problem(data)
    if problem:
        return None, problem
    return data.decode("utf-8", errors="surrogateescape"), ""
