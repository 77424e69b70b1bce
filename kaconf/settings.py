"""kaconf's own settings: `[tool.kaconf]` in pyproject.toml or a `.kaconf.toml`, found upward
from the files being checked, then overridden by command-line flags."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kaconf.diagnostics import Severity
from kaconf.keywords import DEFAULT_TARGET, parse_version


class SettingsError(Exception):
    """kaconf's settings are invalid: the message names the file and the key."""


class ClusterGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    files: list[str]
    name: str | None = None


class Settings(BaseModel):
    # defer_build: the schema is built when a settings file is read, not on every start
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    fail_on: Severity = Field(default=Severity.WARNING, alias="fail-on")
    target_version: str = Field(default=DEFAULT_TARGET, alias="target-version")
    per_path_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-path-ignores")
    cluster: list[ClusterGroup] = Field(default_factory=list)
    config_ids: list[str] = Field(default_factory=list, alias="config-ids")
    # where includes may be read from (relative: to the settings file's folder); default: the
    # project root, see kaconf.loader.project_root
    include_root: str | None = Field(default=None, alias="include-root")
    max_file_size: int = Field(default=10 * 1024 * 1024, alias="max-file-size", gt=0)
    # keywords whose arguments are secrets, besides auth_pass, password, key, snmp_community
    secret_keywords: list[str] = Field(default_factory=list, alias="secret-keywords")
    source: str | None = Field(default=None, exclude=True)   # the file they came from

    @field_validator("target_version")
    @classmethod
    def _version(cls, value: str) -> str:
        parse_version(value)
        return value


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
        if pyproject.is_file() and "kaconf" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
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
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(f"{path}: {_explain(exc)}") from None
    settings.source = str(path)
    _check_codes(settings, str(path))
    return settings


def _defaults() -> Settings:
    """Settings with every default, without pydantic validation: pydantic's model_construct
    minus the alias handling these settings do not use."""
    settings = Settings.__new__(Settings)
    data = {name: f.get_default(call_default_factory=True)
            for name, f in Settings.__pydantic_fields__.items()}
    object.__setattr__(settings, "__dict__", data)
    object.__setattr__(settings, "__pydantic_fields_set__", set())
    object.__setattr__(settings, "__pydantic_extra__", None)
    object.__setattr__(settings, "__pydantic_private__", None)
    return settings


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
    # the CLI's own option types already checked the flags' shapes: check the two values,
    # then copy without pydantic validation (which would build the schema on every run)
    try:
        if "fail_on" in update:
            update["fail_on"] = Severity(update["fail_on"])
        if "target_version" in update:
            parse_version(update["target_version"])
    except ValueError as exc:
        raise SettingsError(f"command line: {exc}") from None
    merged = settings.model_copy(update=update)
    merged.source = settings.source
    _check_codes(merged, "command line")
    return merged
