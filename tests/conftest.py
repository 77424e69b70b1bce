"""Shared fixtures: file trees written under tmp_path."""
from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Generator
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


# Under .ci/run (KACONF_CI=1) every tool a test needs is installed, so a test skipped for a
# missing tool (ruff, mypy, pre-commit, Graphviz, keepalived, namespaces) means a broken CI
# and fails instead. Skips about data stay skips: the shared corpus lives outside the
# repository, and a case a test does not cover is not a failure.
NOT_ABOUT_TOOLS = ("shared corpus", "shared real-world corpus", "does not apply",
                   "cannot be read:", "keepalived gave no answer")


def skip_reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    longrepr = report.longrepr
    return str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)


def fail_skip_in_ci(report: pytest.CollectReport | pytest.TestReport) -> None:
    if os.environ.get("KACONF_CI") != "1" or not report.skipped:
        return
    reason = skip_reason(report)
    if any(words in reason for words in NOT_ABOUT_TOOLS):
        return
    report.outcome = "failed"
    report.longrepr = (f"skipped in CI, where .ci/run installs every tool a test needs: "
                       f"{reason}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    outcome = yield
    fail_skip_in_ci(outcome.get_result())  # type: ignore[attr-defined]


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, None, None]:
    outcome = yield
    fail_skip_in_ci(outcome.get_result())  # type: ignore[attr-defined]
