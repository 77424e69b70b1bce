"""Every fixture under cases/<CODE>/ runs its rule alone and compares the exact findings.

A case is a file (`fires_*.conf`, `quiet_*.conf`) or, for cluster rules, a folder of files
(`fires_*/lb1.conf`, `fires_*/lb2.conf`). Each file's leading comments list what is expected
in that file: `# expect: KA201 9:23` (comma-separated or on several lines) or
`# expect: none`. A single file with `@` lines is read once per config id (`# config-ids:
lb1 lb2`, the default for KA5xx cases) and the results are checked as a cluster.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kaconf.api import parse_file
from kaconf.lint import cluster_findings, lint_document
from kaconf.rules import RULES
from kaconf.settings import Settings

CASES = Path(__file__).resolve().parent / "cases"
EXPECT = re.compile(r"^[#!]\s*expect:\s*(.*)$")
IDS = re.compile(r"^[#!]\s*config-ids:\s*(.*)$")


def header(path: Path) -> tuple[list[str], list[str]]:
    """The expected `CODE line:col` strings and the config ids named in the leading comments."""
    expected: list[str] = []
    ids: list[str] = []
    for line in path.read_text().splitlines():
        text = line.strip()
        if not text:
            continue
        if not text.startswith(("#", "!")):
            break
        if m := EXPECT.match(text):
            body = m.group(1).strip()
            expected += [] if body == "none" else [w.strip() for w in body.split(",")]
        elif m := IDS.match(text):
            ids += m.group(1).split()
    return expected, ids


def case_files(case: Path) -> list[Path]:
    return sorted(case.glob("*.conf")) if case.is_dir() else [case]


def expectations(case: Path) -> list[str]:
    return sorted(f"{f.name} {e}" for f in case_files(case) for e in header(f)[0])


def findings(case: Path, code: str) -> list[str]:
    rules = [m for m in RULES if m.rule.code == code]
    settings = Settings(select=[code])
    files = case_files(case)
    ids = header(files[0])[1] or (["lb1", "lb2"] if code.startswith("KA5") and not case.is_dir()
                                  else ["lb1"])
    docs = [parse_file(f, config_id=cid) for f in files for cid in ids]
    diags = [d for doc in docs for d in lint_document(doc, settings, rules, strict=True)]
    diags += cluster_findings(docs, None, rules, settings, strict=True)[1]
    found = {f"{Path(d.span.file).name} {d.code} {d.span.line}:{d.span.column}"
             for d in diags if d.code == code}
    return sorted(found)


def mismatch(case: Path, code: str, expected: list[str]) -> str | None:
    got = findings(case, code)
    if got == sorted(expected):
        return None
    return f"{case.name}: expected {sorted(expected)}, got {got}"


def all_cases() -> list[object]:
    return [pytest.param(p, id=f"{p.parent.name}/{p.stem}")
            for p in sorted(CASES.glob("KA*/*")) if p.is_dir() or p.suffix == ".conf"]


@pytest.mark.parametrize("case", all_cases())
def test_case(case: Path) -> None:
    code = case.parent.name
    expected = expectations(case)
    if case.name.startswith("fires_"):
        assert expected, f"{case.name}: a fires_ case needs '# expect: {code} L:C' lines"
    elif case.name.startswith("quiet_"):
        assert expected == [], f"{case.name}: a quiet_ case expects nothing"
    else:
        pytest.fail(f"{case.name}: cases are named fires_* or quiet_*")
    problem = mismatch(case, code, expected)
    assert problem is None, problem


def test_harness_catches_a_wrong_expectation() -> None:
    fires = sorted(CASES.glob("KA201/fires_*.conf"))[0]
    assert mismatch(fires, "KA201", [f"{fires.name} KA201 1:1"]) is not None
    assert mismatch(fires, "KA201", []) is not None
