"""Every fixture under cases/<CODE>/ runs its rule alone; the `# expect:` lines at its top are
the exact list of `CODE line:col` findings (`# expect: none` for a quiet case)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kaconf.api import parse_file
from kaconf.lint import lint_document
from kaconf.rules import RULES
from kaconf.settings import Settings

CASES = Path(__file__).resolve().parent / "cases"
EXPECT = re.compile(r"^[#!]\s*expect:\s*(.*)$")


def expectations(path: Path) -> list[str]:
    """`CODE line:col` strings from the leading comment lines of a fixture."""
    out: list[str] = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        m = EXPECT.match(line.strip())
        if m is None:
            if line.lstrip().startswith(("#", "!")):
                continue
            break
        out += [] if m.group(1).strip() == "none" else [w.strip() for w in m.group(1).split(",")]
    return out


def findings(path: Path, code: str) -> list[str]:
    doc = parse_file(path, config_id="lb1")
    rules = [m for m in RULES if m.rule.code == code]
    diags = lint_document(doc, Settings(select=[code]), rules, strict=True)
    return sorted(f"{d.code} {d.span.line}:{d.span.column}" for d in diags if d.code == code)


def mismatch(path: Path, code: str, expected: list[str]) -> str | None:
    got = findings(path, code)
    if got == sorted(expected):
        return None
    return f"{path.name}: expected {sorted(expected)}, got {got}"


def all_cases() -> list[object]:
    return [pytest.param(p, id=f"{p.parent.name}/{p.stem}")
            for p in sorted(CASES.glob("KA*/*.conf"))]


@pytest.mark.parametrize("path", all_cases())
def test_case(path: Path) -> None:
    code = path.parent.name
    expected = expectations(path)
    if path.name.startswith("fires_"):
        assert expected, f"{path.name}: a fires_ case needs '# expect: {code} L:C' lines"
    elif path.name.startswith("quiet_"):
        assert expected == [], f"{path.name}: a quiet_ case expects nothing"
    else:
        pytest.fail(f"{path.name}: case files are named fires_* or quiet_*")
    assert mismatch(path, code, expected) is None, mismatch(path, code, expected)


def test_harness_catches_a_wrong_expectation() -> None:
    fires = sorted(CASES.glob("KA201/fires_*.conf"))[0]
    assert mismatch(fires, "KA201", ["KA201 1:1"]) is not None
    assert mismatch(fires, "KA201", []) is not None
