"""User-visible documentation: `kaconf rules` and `kaconf explain` for every code, pinned."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kaconf.cli import cli
from kaconf.registry import all_codes


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_rules_listing(snapshot) -> None:  # type: ignore[no-untyped-def]
    assert run("rules") == snapshot


@pytest.mark.parametrize("code", list(all_codes()))
def test_explain_page(code: str, snapshot) -> None:  # type: ignore[no-untyped-def]
    page = run("explain", code)
    assert page.startswith(f"{code} {all_codes()[code].name} (")
    assert page == snapshot


@pytest.mark.parametrize("code", list(all_codes()))
def test_explain_accepts_the_name_too(code: str) -> None:
    assert run("explain", all_codes()[code].name) == run("explain", code)
