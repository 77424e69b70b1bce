"""kaconf's own settings: `[tool.kaconf]` in pyproject.toml or a `.kaconf.toml`, found upward
from the files being checked, then overridden by command-line flags."""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kaconf.diagnostics import Severity
from kaconf.keywords import DEFAULT_TARGET, parse_version
from kaconf.records import record

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError


class SettingsError(Exception):
    """kaconf's settings are invalid: the message names the file and the key."""


# Plain slotted dataclasses: every run needs settings, and most runs have no settings file.
# pydantic (a third of a short run's time and memory) is imported only to validate a file:
# see _file_schema.

@record(slots=True)
class ClusterGroup:
    files: list[str]
    name: str | None = None


@record(slots=True)
class Settings:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.WARNING                    # fail-on
    target_version: str = DEFAULT_TARGET                    # target-version
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)   # per-path-ignores
    cluster: list[ClusterGroup] = field(default_factory=list)
    config_ids: list[str] = field(default_factory=list)     # config-ids
    # where includes may be read from (relative: to the settings file's folder); default: the
    # project root, see kaconf.loader.project_root
    include_root: str | None = None                         # include-root
    max_file_size: int = 10 * 1024 * 1024                   # max-file-size, > 0
    # keywords whose arguments are secrets, besides auth_pass, password, key, snmp_community
    secret_keywords: list[str] = field(default_factory=list)   # secret-keywords
    source: str | None = None                               # the file they came from


@functools.cache
def _file_schema() -> type[BaseModel]:
    """The pydantic model a settings file is validated with (keys with dashes or
    underscores), built on first use."""
    from pydantic import BaseModel, ConfigDict, Field, field_validator

    class FileCluster(BaseModel):
        model_config = ConfigDict(extra="forbid")

        files: list[str]
        name: str | None = None

    class FileSettings(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)

        select: list[str] | None = None
        ignore: list[str] = Field(default_factory=list)
        severity: dict[str, Severity] = Field(default_factory=dict)
        fail_on: Severity = Field(default=Severity.WARNING, alias="fail-on")
        target_version: str = Field(default=DEFAULT_TARGET, alias="target-version")
        per_path_ignores: dict[str, list[str]] = Field(default_factory=dict,
                                                       alias="per-path-ignores")
        cluster: list[FileCluster] = Field(default_factory=list)
        config_ids: list[str] = Field(default_factory=list, alias="config-ids")
        include_root: str | None = Field(default=None, alias="include-root")
        max_file_size: int = Field(default=10 * 1024 * 1024, alias="max-file-size", gt=0)
        secret_keywords: list[str] = Field(default_factory=list, alias="secret-keywords")

        @field_validator("target_version")
        @classmethod
        def _version(cls, value: str) -> str:
            parse_version(value)
            return value

    return FileSettings


def find_settings_file(start: Path) -> Path | None:
    """The nearest `.kaconf.toml`, or `pyproject.toml` with a [tool.kaconf] table, upward."""
    try:
        here = start.resolve()
    except OSError:             # a link under /proc that cannot be followed
        return None
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / ".kaconf.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if (pyproject.is_file() and _may_have_kaconf_table(pyproject)
                and "kaconf" in _read_toml(pyproject).get("tool", {})):
            return pyproject
    return None


def _may_have_kaconf_table(path: Path) -> bool:
    """Whether a pyproject.toml may have a [tool.kaconf] table: a [tool.kaconf...] header, a
    top-level key tool.kaconf or tool, or a [tool] header and a kaconf key (spaces and quotes
    ignored). A file with none of them (kaconf named only as a dependency or a script) is not
    parsed: tomllib costs a short run 5 ms. Keys spelled with escapes are not recognised."""
    try:
        text = path.read_bytes()
    except OSError:
        return True             # reading it again says why it cannot be read
    if b"kaconf" not in text:
        return False
    tool_table = kaconf_key = False
    for line in text.splitlines():
        words = line.translate(None, b" \t\"'")
        if words.startswith(b"["):
            name = words.lstrip(b"[")
            if name.startswith(b"tool.kaconf") and name[11:12] in (b".", b"]"):
                return True
            tool_table = tool_table or name.startswith(b"tool]")
        elif (words.startswith(b"tool.kaconf") and words[11:12] in (b".", b"=")
              or words.startswith(b"tool=")):
            return True
        elif words.startswith(b"kaconf") and words[6:7] in (b".", b"="):
            kaconf_key = True
    return tool_table and kaconf_key


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # with datetime, 10 ms: only when there is a file to read

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read settings: {exc}") from None


def load_settings(path: Path | None) -> Settings:
    """Settings from a file (a .kaconf.toml or a pyproject.toml); defaults when None."""
    if path is None:
        # defaults need no validation, and skipping it saves building the schema (20 ms of
        # every short run)
        return _defaults()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("kaconf", {})
    from pydantic import ValidationError

    try:
        valid = _file_schema().model_validate(data)
    except ValidationError as exc:
        raise SettingsError(f"{path}: {_explain(exc)}") from None
    values = valid.model_dump()
    groups = [ClusterGroup(**g) for g in values.pop("cluster")]
    settings = Settings(**values, cluster=groups, source=str(path))
    _check_codes(settings, str(path))
    return settings


def _defaults() -> Settings:
    return Settings()


def _explain(exc: ValidationError) -> str:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"])
    if first["type"] == "extra_forbidden":
        return f"unknown setting '{key}'"
    return f"invalid value for '{key}': {first['msg']}"


def _check_codes(settings: Settings, where: str) -> None:
    from kaconf.registry import resolve

    names = list(settings.select or []) + settings.ignore + list(settings.severity)
    names += [c for codes in settings.per_path_ignores.values() for c in codes]
    for name in names:
        if not resolve(name):
            raise SettingsError(f"{where}: unknown rule code or name '{name}'")


def include_root(settings: Settings, path: str | Path) -> str:
    """The folder includes of `path` may be read from: `include-root` (relative to the
    settings file's folder, or absolute from the command line), else the project root."""
    import os

    from kaconf.loader import project_root
    from kaconf.loader.files import real_path

    if settings.include_root is not None:
        base = os.path.dirname(os.path.abspath(settings.source)) if settings.source else "."
        return real_path(os.path.join(base, os.path.expanduser(settings.include_root)))
    if settings.source:
        folder = real_path(os.path.dirname(os.path.abspath(settings.source)))
        named = real_path(os.path.dirname(os.path.abspath(path)))
        if named == folder or named.startswith(folder.rstrip("/") + "/"):
            return folder
    return project_root(path)       # a file outside the settings' project has its own


def merge_cli(settings: Settings, **flags: Any) -> Settings:
    """Command-line flags override the file; None means 'not given'."""
    update = {k: v for k, v in flags.items() if v is not None and v != ()}
    # the CLI's own option types already checked the flags' shapes: check the two values
    try:
        if "fail_on" in update:
            update["fail_on"] = Severity(update["fail_on"])
        if "target_version" in update:
            parse_version(update["target_version"])
    except ValueError as exc:
        raise SettingsError(f"command line: {exc}") from None
    merged = dataclasses.replace(settings, **update)
    _check_codes(merged, "command line")
    return merged
