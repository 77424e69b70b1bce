"""Shared fixtures: file trees written under tmp_path."""
from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

WriteTree = Callable[[dict[str, str]], Path]


@pytest.fixture
def write_tree(tmp_path: Path) -> WriteTree:
    """Write {relative path: text} under tmp_path (text is dedented) and return tmp_path."""

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return tmp_path

    return write
