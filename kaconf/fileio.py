"""Bytes in and out of configuration files: decoding that keeps undecodable bytes, and atomic
rewrites that keep the file's mode."""
from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile

# keepalived reads bytes; a file in Latin-1 or with a stray byte must come back byte for byte
ERRORS = "surrogateescape"


def decode(data: bytes) -> tuple[str | None, str]:
    """The text of a configuration read as bytes, or None and why it is not text (the same
    test kaconf.loader.read_text applies to files)."""
    if b"\x00" in data:
        return None, "is not a text file (it contains NUL bytes)"
    return data.decode("utf-8", errors=ERRORS), ""


def encode(text: str) -> bytes:
    return text.encode("utf-8", errors=ERRORS)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace the file at `path` with `text` so that a reader sees the old or the new file,
    never half of one: a temporary file in the same directory, fsync, os.replace. The file keeps
    its permission bits (and its owner when we may set it); a symlink keeps pointing at the
    file it named, which is the one rewritten. The file must exist (its mode is copied);
    raises OSError, FileNotFoundError when there is nothing to replace."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    before = os.stat(target)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.",
                               suffix=".kaconf-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(encode(text))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(before.st_mode))
        _keep_owner(tmp, before)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_directory(folder)


def _keep_owner(tmp: str, before: os.stat_result) -> None:
    if (before.st_uid, before.st_gid) == (os.getuid(), os.getgid()):
        return
    # only root (or a member of the group) may hand the new file to the old owner; anyone
    # else gets a file of their own, as an editor's "save" would give them
    with contextlib.suppress(OSError):
        os.chown(tmp, before.st_uid, before.st_gid)


def _sync_directory(folder: str) -> None:
    """Make the rename itself durable; not every file system lets a directory be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def text_diff(before: str, after: str, fromfile: str, tofile: str) -> str:
    """A unified diff of two texts, split on newlines only as keepalived reads them (not on
    the \\v, \\f and Unicode separators str.splitlines would split on), with diff's mark for
    a last line without a newline."""
    lines = [line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
             for line in difflib.unified_diff(_with_ends(before), _with_ends(after),
                                              fromfile, tofile)]
    return "".join(lines)


def _with_ends(text: str) -> list[str]:
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]
