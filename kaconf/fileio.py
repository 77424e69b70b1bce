"""Bytes in and out of configuration files: decoding that keeps undecodable bytes, and atomic
rewrites that keep the file's mode."""
from __future__ import annotations

import contextlib
import difflib
import errno
import os
import stat
import tempfile
from pathlib import Path

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


class WriteRefused(OSError):
    """kaconf will not rewrite this file; the message says why."""


def write_atomic(path: str | os.PathLike[str], text: str, *, expected: str | None = None,
                 root: str | None = None) -> None:
    """Replace the file at `path` with `text` so that a reader sees the old or the new file,
    never half of one: a temporary file in the same directory, fsync, os.replace. The file keeps
    its permission bits and owner; a symlink keeps pointing at the file it named, which is the
    one rewritten. A file with other hard links, or owned by someone else who cannot be given
    the new file, is rewritten in place after an atomic copy of the old content is made next
    to it (removed once the write succeeded), so the links and the owner stay.

    Refused (WriteRefused): a file the user may not write (its permission bits are checked,
    also for root), one that is not a regular file, one outside `root` or under /proc, /sys or
    /dev, and one whose text is no longer `expected` (changed since kaconf read it). The file
    must exist; other failures raise OSError."""
    from kaconf.loader.files import real_path

    target = real_path(path)
    before = _check_writable(target, root)
    if expected is not None and _current_text(target) != expected:
        raise WriteRefused(errno.EBUSY, "the file changed since kaconf read it; run again")
    if before.st_nlink > 1 or not _may_keep_owner(before):
        _write_in_place(target, text, before)
        return
    folder = os.path.dirname(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.",
                                   suffix=".kaconf-tmp")
    except OSError as exc:      # a read-only folder: say which file could not be written
        raise WriteRefused(exc.errno or errno.EACCES,
                           f"cannot create a temporary file next to it ({exc.strerror})",
                           target) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(encode(text))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(before.st_mode))
        _keep_owner(tmp, before)
        if expected is not None and _current_text(target) != expected:
            raise WriteRefused(errno.EBUSY, "the file changed since kaconf read it; run again")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_directory(folder)


def _check_writable(target: str, root: str | None) -> os.stat_result:
    from kaconf.loader.files import forbidden, inside, real_path

    if forbidden(target) or (root is not None and not inside(target, real_path(root))):
        where = f"the include root '{root}'" if root is not None else "/proc, /sys and /dev"
        raise WriteRefused(errno.EPERM, f"'{target}' is outside {where}; kaconf writes only "
                           "inside it", target)
    before = os.stat(target)
    if not stat.S_ISREG(before.st_mode):
        raise WriteRefused(errno.EPERM, "not a regular file")
    # root may write anything, so os.access says yes to a 0444 file: a file nobody may write
    # is read-only on purpose, and kaconf leaves it alone
    if not os.access(target, os.W_OK) or not before.st_mode & 0o222:
        raise WriteRefused(errno.EACCES, "the file is not writable "
                           f"(mode {stat.S_IMODE(before.st_mode):04o}); kaconf leaves it alone",
                           target)
    return before


def _current_text(target: str) -> str:
    with open(target, "rb") as fh:
        return fh.read().decode("utf-8", errors=ERRORS)


def _may_keep_owner(before: os.stat_result) -> bool:
    """Whether a new file can be given the old file's owner and group."""
    return (before.st_uid, before.st_gid) == (os.geteuid(), os.getegid()) or os.geteuid() == 0


def _write_in_place(target: str, text: str, before: os.stat_result) -> None:
    """Rewrite the file's own inode (its links, owner and mode stay), keeping an atomic copy
    of the old content until the new one is on disk; restore from it if the write fails."""
    folder = os.path.dirname(target)
    fd, backup = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.",
                                  suffix=".kaconf-backup")
    with open(target, "rb") as fh:
        old = fh.read()
    with os.fdopen(fd, "wb") as fh:
        fh.write(old)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        with open(target, "r+b") as fh:
            fh.write(encode(text))
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with open(target, "r+b") as fh:
            fh.write(old)
            fh.truncate()
        raise
    os.unlink(backup)


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


def create_file(target: Path, data: bytes, mode: int, replace: bool) -> None:
    """Write a file kaconf makes (gen-pair's output, a picture): the data goes to a temporary
    file in the same folder, fsync'd, then into place with os.replace (replace=True) or with a
    hard link that fails when the name exists (replace=False; a rename on a file system
    without hard links), so a reader never sees half a file and a file created meanwhile is
    not overwritten. Raises FileExistsError or OSError."""
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".kaconf-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if replace:
            os.replace(tmp, target)
        else:
            _link_into_place(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _link_into_place(tmp: str, target: Path) -> None:
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: a rename, after the caller's check
        os.replace(tmp, target)


def new_file_mode() -> int:
    """The mode a new file gets under the process umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
