"""Output formats: text, json, sarif, github and junit on the corpus, pinned by snapshots;
SARIF checked against the official 2.1.0 schema; escaping; secrets never printed."""
from __future__ import annotations

import io
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import kaconf
from kaconf.cli import cli
from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.document import Report
from kaconf.render import RENDERERS
from kaconf.render.github import annotation, render_github
from kaconf.render.junit import render_junit
from kaconf.render.sarif import render_sarif
from kaconf.source import Span

REPO = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"
FORMATS = ["text", "json", "sarif", "github", "junit"]
CORPUS = sorted(str(p.relative_to(REPO)) for p in
                [*REPO.glob("corpus/classic-dr/*.conf"), *REPO.glob("corpus/broken/*.conf")])
# The snapshots pin how each format looks, so they run the codes that existed when they were
# taken; what new rules find in the corpus is the corpus census's business, not a format's.
PINNED = "KA0,KA1,KA201,KA203,KA4"
ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,"
                        r"endColumn=\d+,title=KA\d{3} [a-z0-9-]+::[^\r\n]*$")


def lint(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["lint", "--config-id", "lb1", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so the paths in the output are relative."""
    monkeypatch.chdir(REPO)
    return REPO


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def stable_sarif(text: str) -> str:
    """SARIF with the tool version replaced, so a release does not change the snapshot."""
    log = json.loads(text)
    log["runs"][0]["tool"]["driver"]["version"] = "<version>"
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render(fmt: str, report: Report) -> str:
    out = io.StringIO()
    RENDERERS[fmt](report, out)
    return out.getvalue()


def write_config(tmp_path: Path, text: str, name: str = "keepalived.conf") -> str:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return name


TWO_INSTANCES = """\
    vrrp_script chk {
        script "killall -0 haproxy"
    }
    vrrp_instance web {
        interface eth0
        virtual_router_id 51
        authentication {
            auth_type PASS
            auth_pass 1111
        }
        track_script {
            chk
        }
    }
    vrrp_instance api {
        interface eth0
        virtual_router_id 51
        nb_get_retry 3
    }
    virtual_server 192.0.2.10 80 {
        lb_algo rr
    }
    """


def span(line: int, column: int, end: int, file: str = "keepalived.conf") -> Span:
    return Span(file, line, column, line, end)


# -- snapshots ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_corpus_output_matches_snapshot(fmt: str, in_repo: Path, snapshot: Any) -> None:
    code, out = lint("--format", fmt, "--select", PINNED, *CORPUS)
    assert code == 1
    assert "\x1b[" not in out
    assert (stable_sarif(out) if fmt == "sarif" else out) == snapshot


@pytest.mark.parametrize("fmt", FORMATS)
def test_related_places_and_every_severity_match_snapshot(
        fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snapshot: Any) -> None:
    monkeypatch.chdir(tmp_path)
    name = write_config(tmp_path, TWO_INSTANCES)
    code, out = lint("--format", fmt, "--select", PINNED, name)
    assert code == 1
    assert (stable_sarif(out) if fmt == "sarif" else out) == snapshot


# -- sarif ----------------------------------------------------------------------------------
def test_corpus_sarif_is_valid_sarif_2_1_0(in_repo: Path, sarif_validator: Any) -> None:
    code, out = lint("--format", "sarif", *CORPUS)
    log = json.loads(out)
    sarif_validator.validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    # the version `kaconf --version` prints, which is also what pip installed
    assert (run["tool"]["driver"]["name"], run["tool"]["driver"]["version"]) == (
        "kaconf", kaconf.__version__)
    assert run["results"] and code == 1
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("corpus/") and "\\" not in uri


def test_sarif_carries_levels_related_locations_and_rule_help(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sarif_validator: Any) -> None:
    monkeypatch.chdir(tmp_path)
    name = write_config(tmp_path, TWO_INSTANCES)
    _, out = lint("--format", "sarif", name)
    log = json.loads(out)
    sarif_validator.validate(log)
    run = log["runs"][0]
    by_code = {r["ruleId"]: r for r in run["results"]}
    assert {"KA201", "KA401", "KA402", "KA403"} <= set(by_code)
    assert by_code["KA201"]["level"] == "error" and by_code["KA402"]["level"] == "warning"
    related = by_code["KA201"]["relatedLocations"][0]
    assert related["physicalLocation"]["region"]["startLine"] == 6
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "keepalived.conf"
    assert related["message"]["text"] == "web uses it here"
    region = by_code["KA201"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 17, "startColumn": 23, "endLine": 17, "endColumn": 25}
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "## Why it matters" in rules["KA401"]["help"]["markdown"]
    assert rules["KA401"]["defaultConfiguration"]["level"] == "error"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(rules)


def test_sarif_of_a_clean_file_has_no_results(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sarif_validator: Any) -> None:
    monkeypatch.chdir(tmp_path)
    name = write_config(tmp_path, "global_defs {\n    router_id lb1\n}\n")
    code, out = lint("--format", "sarif", name)
    log = json.loads(out)
    sarif_validator.validate(log)
    assert code == 0 and log["runs"][0]["results"] == []


# -- github ---------------------------------------------------------------------------------
def test_github_prints_one_workflow_command_per_diagnostic(in_repo: Path) -> None:
    _, out = lint("--format", "github", *CORPUS)
    _, as_json = lint("--format", "json", *CORPUS)
    lines = out.splitlines()
    assert len(lines) == len(json.loads(as_json))
    for line in lines:
        assert ANNOTATION.match(line), line
    assert "::error file=corpus/broken/vrid-zero.conf,line=6,col=23," in out


def test_github_escapes_data_and_properties() -> None:
    d = Diagnostic(code="KA201", name="duplicate-vrid", severity=Severity.WARNING,
                   span=span(3, 5, 9, file="dir, with: odd%name.conf"),
                   message="100% sure:\r\nline two, still",
                   related=(Related(span=span(1, 1, 2), note="first, here"),))
    assert annotation(d) == (
        "::warning file=dir%2C with%3A odd%25name.conf,line=3,col=5,endLine=3,endColumn=9,"
        "title=KA201 duplicate-vrid::100%25 sure:%0D%0Aline two, still"
        "%0Anote: keepalived.conf:1:1: first, here")


def test_github_maps_info_to_notice() -> None:
    d = Diagnostic(code="KA104", name="deprecated-keyword", severity=Severity.INFO,
                   span=span(2, 5, 12), message="'lb_algo' is deprecated")
    assert annotation(d).startswith("::notice file=keepalived.conf,line=2,")


# -- junit ----------------------------------------------------------------------------------
def test_junit_has_a_failure_per_finding_and_a_passing_case_per_clean_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bad = write_config(tmp_path, TWO_INSTANCES)
    good = write_config(tmp_path, "global_defs {\n    router_id lb1\n}\n", name="good.conf")
    _, out = lint("--format", "junit", bad, good)
    _, as_json = lint("--format", "json", bad, good)
    diags = json.loads(as_json)
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and root.attrib["name"] == "kaconf"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(diags) + 1 == int(suite.attrib["tests"])
    failing = [c for c in cases if c.find("failure") is not None]
    assert len(failing) == sum(d["severity"] != "info" for d in diags)
    assert int(suite.attrib["failures"]) == len(failing)
    clean = [c for c in cases if c.attrib["classname"] == "good.conf"]
    assert [c.attrib["name"] for c in clean] == ["no problems"]
    first = failing[0].find("failure")
    assert first is not None and first.attrib["type"] in ("error", "warning")


def test_junit_escapes_markup_and_drops_characters_xml_cannot_hold() -> None:
    d = Diagnostic(code="KA101", name="unknown-keyword", severity=Severity.ERROR,
                   span=span(1, 1, 4, file="a&b <c>.conf"),
                   message="unknown keyword '<x> & \"y\"\x01'")
    out = io.StringIO()
    render_junit(Report(diagnostics=[d]), out)
    failure = ET.fromstring(out.getvalue()).find("testsuite/testcase/failure")
    assert failure is not None
    # a control character is shown escaped, as in every format (kaconf.secrets)
    assert failure.attrib["message"] == "KA101 unknown keyword '<x> & \"y\"\\x01'"
    assert failure.text is not None and failure.text.startswith("a&b <c>.conf:1:1: error KA101")


# -- all formats ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_prints_a_secret(fmt: str, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = write_config(tmp_path, """\
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            authentication {
                auth_type PASS
                auth_pass Sup3rSecret
            }
        }
        vrrp_instance VI_2 {
            interface eth0
            virtual_router_id 52
            authentication {
                auth_type PASS
                auth_pass "Sup3rSecret" again
            }
        }
        """)
    code, out = lint("--format", fmt, name)
    assert code == 1 and "KA203" in out   # findings point at the auth_pass lines
    assert "Sup3rSecret" not in out and "Sup3rSec" not in out


def positions(fmt: str, text: str) -> list[tuple[str, int, int, str]]:
    """(file, line, column, code) of each finding, in the order a format prints them."""
    if fmt == "sarif":
        out = []
        for r in json.loads(text)["runs"][0]["results"]:
            loc = r["locations"][0]["physicalLocation"]
            out.append((loc["artifactLocation"]["uri"], loc["region"]["startLine"],
                        loc["region"]["startColumn"], r["ruleId"]))
        return out
    if fmt == "github":
        return [(f, int(line), int(col), code) for f, line, col, code in re.findall(
            r"file=([^,]+),line=(\d+),col=(\d+),.*?title=(KA\d+)", text)]
    cases = ET.fromstring(text).iter("testcase")
    return [(c.attrib["file"], int(c.attrib["line"]), int(c.attrib["name"].split(":")[-1]),
             c.attrib["name"].split()[0]) for c in cases]


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit"])
def test_machine_formats_order_by_file_line_column_code(fmt: str) -> None:
    wanted = [("a.conf", 2, 1, "KA101"), ("a.conf", 2, 1, "KA102"), ("a.conf", 2, 7, "KA101"),
              ("a.conf", 10, 1, "KA101"), ("b.conf", 1, 1, "KA101")]
    diags = [Diagnostic(code=code, name="x", severity=Severity.ERROR,
                        span=span(line, col, col + 1, file=file), message=code)
             for file, line, col, code in reversed(wanted)]
    assert positions(fmt, render(fmt, Report(diagnostics=diags))) == wanted


def test_every_format_is_registered() -> None:
    assert set(FORMATS) <= set(RENDERERS)
    for fmt, fn in [("sarif", render_sarif), ("github", render_github), ("junit", render_junit)]:
        out = io.StringIO()
        fn(Report(), out)
        assert out.getvalue() == render(fmt, Report())
