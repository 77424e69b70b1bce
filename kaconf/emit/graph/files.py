"""Writing the picture to a file: atomically, and never over an existing file unless asked."""
from __future__ import annotations

import os
from pathlib import Path

from kaconf.emit.graph.model import GraphError
from kaconf.fileio import create_file, new_file_mode, write_atomic

# what a file name's extension says the picture is (`graph -o cluster.png`)
SUFFIXES = {".svg": "svg", ".png": "png", ".mmd": "mermaid", ".mermaid": "mermaid",
            ".dot": "dot", ".gv": "dot", ".txt": "text"}


def output_format(output: str | os.PathLike[str] | None, fmt: str | None) -> str:
    """The format to draw in: --format, else the extension of -o, else text. Raises GraphError
    when they disagree (`--format text -o g.png`) or nothing says what a file should hold."""
    if output is None:
        if fmt == "png":
            raise GraphError("graph --format png is binary: write it to a file with -o FILE.png")
        return fmt or "text"
    suffix = Path(output).suffix.lower()
    implied = SUFFIXES.get(suffix)
    known = ", ".join(SUFFIXES)
    if fmt is None and implied is None:
        raise GraphError(f"{output}: cannot tell the format from the name; use --format or "
                         f"an extension among {known}")
    if fmt is not None and implied is not None and implied != fmt:
        raise GraphError(f"{output}: a {suffix} file would not hold --format {fmt}; use "
                         f"--format {implied} or another file name")
    return fmt or implied or "text"


def write_new(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Create `path` with `text`, atomically, and never over an existing file: the text goes to a
    temporary file in the same folder, which is then hard-linked into place (link fails if
    the name exists). Raises GraphError."""
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise GraphError(f"{path}: already exists; add --force to overwrite it")
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    try:
        create_file(target, data, new_file_mode(), replace=False)
    except FileExistsError:
        raise GraphError(f"{path}: already exists; add --force to overwrite it") from None
    except OSError as exc:
        raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None


def write_replacing(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write `path` atomically whether or not it exists (`--force`). Raises GraphError."""
    if not os.path.exists(path):
        write_new(path, text)
        return
    try:
        if isinstance(text, bytes):     # png: a new file linked in place of the old one
            tmp = f"{path}.kaconf-new"
            write_new(tmp, text)
            os.replace(tmp, path)
            return
        write_atomic(path, text)
    except OSError as exc:
        raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None

