"""Value checks from the keyword table, each pinned to what keepalived 2.2.7 itself says.

Every file under keyword_cases/ states what kaconf reports (`# expect: KA107 4:26`) and what
`keepalived -t` prints about the same line (`# keepalived: ... setting to 1`), or a message
it must not print (`# keepalived-not: ...`). The test runs both: kaconf through the CLI, and
keepalived in a network namespace with stand-in interfaces (tests/keepalived_harness.py).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaconf.cli import cli
from tests.keepalived_harness import Case, keepalived_answer

CASES = Path(__file__).resolve().parent / "keyword_cases"
CODES = "KA005,KA106,KA107"
FINDING = re.compile(r"^[^\s:]+:(\d+):(\d+): \w+ (KA\d+) ", re.MULTILINE)


def header(path: Path, key: str) -> list[str]:
    found = []
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(f"# {key}: "):
            found.append(line[len(key) + 4:].strip())
    return found


def expected(path: Path) -> list[str]:
    (body,) = header(path, "expect")
    return [] if body == "none" else sorted(w.strip() for w in body.split(","))


def cases() -> list[object]:
    return [pytest.param(p, id=p.stem) for p in sorted(CASES.glob("*.conf"))]


@pytest.mark.parametrize("path", cases())
def test_kaconf_reports_the_value_where_keepalived_does(path: Path) -> None:
    result = CliRunner().invoke(cli, ["lint", "--select", CODES, "--fail-on", "info",
                                      str(path)])
    got = sorted(f"{m.group(3)} {m.group(1)}:{m.group(2)}"
                 for m in FINDING.finditer(result.stdout))
    assert got == expected(path), result.stdout
    assert result.exit_code == (1 if got else 0)


@pytest.mark.parametrize("path", cases())
def test_keepalived_says_what_the_fixture_quotes(path: Path) -> None:
    """Fails, not skips, without keepalived: CI installs it (.ci/run)."""
    answer = keepalived_answer(Case(path))
    assert answer is not None, "keepalived -t gave no answer"
    for message in header(path, "keepalived"):
        assert message in answer.text, answer.text
    for message in header(path, "keepalived-not"):
        assert message not in answer.text, answer.text


def test_every_case_says_what_keepalived_prints() -> None:
    for path in CASES.glob("*.conf"):
        assert header(path, "keepalived") or header(path, "keepalived-not"), path.name
        assert header(path, "expect"), path.name
