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


def test_the_readme_library_example_runs_as_shown(capsys) -> None:  # type: ignore[no-untyped-def]
    import os
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text()
    block = re.search(r"### Library\n.*?```python\n(.*?)```", readme, re.S)
    assert block is not None
    code = block.group(1)
    assert re.findall(r"^from (\S+) import", code, re.M) == ["kaconf.api"]
    here = os.getcwd()
    os.chdir(root)
    try:
        exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(here)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "DR TCP"
    assert lines[1] == "UDP keepalived's default"
    assert "virtual_server 172.17.13.252 80 {" in lines
    assert lines[-1] == "0 {'error': 0, 'warning': 0, 'info': 4}"
