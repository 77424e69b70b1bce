"""The code stays as STYLE.md asks: ruff-clean and mypy --strict clean."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "kaconf", "scripts", "bench", "tests", "--output-format",
                 "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    result = run(sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path), "kaconf")
    assert result.returncode == 0, result.stdout + result.stderr
