"""Writing the picture to a file: atomically, and never over an existing file unless asked."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kaconf.emit.graph.model import GraphError


def write_new(path: str | os.PathLike[str], text: str) -> None:
    """Create `path` with `text`, atomically, and never over an existing file: the text goes to a
    temporary file in the same folder, which is then hard-linked into place (link fails if
    the name exists). Raises GraphError."""
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise GraphError(f"{path}: already exists; add --force to overwrite it")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".kaconf-tmp")
    except OSError as exc:
        raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        _link_into_place(tmp, target)
    except FileExistsError:
        raise GraphError(f"{path}: already exists; add --force to overwrite it") from None
    except OSError as exc:
        raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _link_into_place(tmp: str, target: Path) -> None:
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: a rename, after the check above
        os.replace(tmp, target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_replacing(path: str | os.PathLike[str], text: str) -> None:
    """Write `path` atomically whether or not it exists (`--force`). Raises GraphError."""
    from kaconf.fileio import write_atomic

    if not os.path.exists(path):
        write_new(path, text)
        return
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None

