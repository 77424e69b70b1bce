"""Writing generated files: every file atomically, and none over an existing one unless asked."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kaconf.fileio import create_file
from kaconf.gen import GenError


class OutputError(GenError):
    pass


@dataclass(frozen=True, slots=True)
class OutFile:
    path: str          # relative to the output folder
    text: str
    mode: int = 0o644


def existing(out: Path, files: list[OutFile]) -> list[Path]:
    return [out / f.path for f in files if (out / f.path).exists() or (out / f.path).is_symlink()]


def write_files(out: Path, files: list[OutFile], force: bool) -> list[Path]:
    """Write `files` under `out`. Without `force`, refuse before writing anything when one of
    them exists. Raises OutputError."""
    present = existing(out, files)
    if present and not force:
        names = ", ".join(str(p) for p in present)
        verb = "exists" if len(present) == 1 else "exist"
        raise OutputError(f"{names}: already {verb}; nothing was written; add --force to "
                          "overwrite")
    written = []
    for f in files:
        target = out / f.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{target.parent}: cannot create: {exc.strerror or exc}") from None
        write_one(target, f.text, f.mode, replace=force)
        written.append(target)
    return written


def write_one(target: Path, text: str, mode: int, replace: bool) -> None:
    """Write one generated file atomically (kaconf.fileio.create_file); replace=False never
    overwrites, even a file created meanwhile. Raises OutputError."""
    try:
        create_file(target, text.encode("utf-8"), mode, replace)
    except FileExistsError:
        raise OutputError(f"{target}: already exists; add --force to overwrite") from None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
