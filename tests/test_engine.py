"""The lint engine: settings, select/ignore, severities, suppressions, fixes, crash guard."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner

from kaconf.api import lint_paths, parse_text
from kaconf.cli import cli
from kaconf.diagnostics import Severity
from kaconf.lint import RuleCrash, lint_document
from kaconf.rules import RULES
from kaconf.rules.base import Rule, RuleModule
from kaconf.settings import Settings, SettingsError, find_settings_file, load_settings

DUP = dedent("""\
    vrrp_instance web {
        interface eth0
        virtual_router_id 51
    }
    vrrp_instance api {
        interface eth0
        virtual_router_id 51
    }
    """)


def lint_text(text: str, settings: Settings | None = None) -> list[tuple[int, str, str]]:
    doc = parse_text(text, name="k.conf")
    diags = lint_document(doc, settings or Settings(), RULES, strict=True)
    return [(d.span.line, d.code, d.severity.value) for d in diags]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_rules_run_with_reading_diagnostics() -> None:
    assert lint_text(DUP) == [(7, "KA201", "error")]


@pytest.mark.parametrize("settings, expected", [
    pytest.param(Settings(select=["KA1"]), [], id="select-prefix"),
    pytest.param(Settings(select=["duplicate-vrid"]), [(7, "KA201", "error")], id="select-name"),
    pytest.param(Settings(ignore=["KA201"]), [], id="ignore-code"),
    pytest.param(Settings(severity={"duplicate-vrid": Severity.WARNING}),
                 [(7, "KA201", "warning")], id="severity-override"),
])
def test_settings_choose_and_grade(settings: Settings, expected: list[object]) -> None:
    assert lint_text(DUP, settings) == expected


def with_line(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


def test_trailing_suppression_silences_its_line() -> None:
    text = with_line(DUP, 7, "    virtual_router_id 51  # kaconf: disable=KA201")
    assert lint_text(text) == []


def test_own_line_suppression_silences_the_next_line_by_name() -> None:
    text = with_line(DUP, 7, "    ! kaconf: disable=duplicate-vrid\n\n    virtual_router_id 51")
    assert lint_text(text) == []


def test_file_suppression_and_unused_suppression() -> None:
    assert lint_text("# kaconf: disable-file=KA201\n" + DUP) == []
    assert lint_text("global_defs {\n router_id a  # kaconf: disable=KA101\n}\n") == [
        (2, "KA008", "info")]
    assert lint_text("global_defs {\n router_id a  # kaconf: disable=KA1O1\n}\n") == [
        (2, "KA008", "info"), (2, "KA009", "warning")]


def test_a_crashing_rule_becomes_ka901_and_the_others_still_run() -> None:
    def boom(config):  # type: ignore[no-untyped-def]
        raise ValueError("kaboom")
        yield

    broken = RuleModule(Rule(code="KA203", name="boom", summary="x", explanation="x"), boom)
    doc = parse_text(DUP, name="k.conf")
    diags = lint_document(doc, Settings(), (broken, *RULES))
    assert {d.code for d in diags} == {"KA901", "KA201"}
    assert "kaboom" in next(d.message for d in diags if d.code == "KA901")
    with pytest.raises(RuleCrash):
        lint_document(doc, Settings(), (broken,), strict=True)


def test_settings_files_are_found_upward_and_validated(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.kaconf]\nignore = ["KA201"]\nfail-on = "error"\n')
    sub = tmp_path / "lb" / "keepalived"
    sub.mkdir(parents=True)
    (sub / "keepalived.conf").write_text(DUP)
    found = find_settings_file(sub / "keepalived.conf")
    assert found == tmp_path / "pyproject.toml"
    settings = load_settings(found)
    assert settings.ignore == ["KA201"] and settings.fail_on is Severity.ERROR
    assert lint_paths([sub / "keepalived.conf"], settings=settings).diagnostics == []
    (sub / ".kaconf.toml").write_text('selekt = ["KA2"]\n')
    with pytest.raises(SettingsError, match="unknown setting 'selekt'"):
        load_settings(find_settings_file(sub))
    (sub / ".kaconf.toml").write_text('ignore = ["KA777"]\n')
    with pytest.raises(SettingsError, match="unknown rule code or name 'KA777'"):
        load_settings(find_settings_file(sub))


def test_cli_reports_bad_settings_in_one_line(tmp_path: Path) -> None:
    (tmp_path / ".kaconf.toml").write_text('fail-on = "sometimes"\n')
    conf = tmp_path / "keepalived.conf"
    conf.write_text(DUP)
    code, _, err = run("lint", str(conf))
    assert code == 2 and ".kaconf.toml" in err and "fail-on" in err and "Traceback" not in err
    code, _, err = run("lint", "--select", "KA888", "--config", str(tmp_path / "none.toml"), str(conf))
    assert code == 2


def test_cli_select_ignore_and_fail_on(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(DUP)
    assert run("lint", str(conf))[0] == 1
    assert run("lint", "--ignore", "KA201", str(conf))[0] == 0
    assert run("lint", "--select", "KA1,KA0", str(conf))[0] == 0
    code, _, err = run("lint", "--select", "KA777", str(conf))
    assert code == 2 and "KA777" in err


def test_fix_rewrites_safely_and_diff_writes_nothing(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    original = dedent("""\
        virtual_server 10.0.0.1 80 {
            lb_kind dr   # direct routing
            real_server 10.0.0.2 80 {
                TCP_CHECK {
                    nb_get_retry 3
                }
            }
        }
        """)
    conf.write_text(original)
    conf.chmod(0o640)
    # the lb_kind -> lvs_method rename is an info hint: only --fix-all rewrites it
    code, out, _ = run("lint", "--fix-all", "--diff", str(conf))
    assert code == 1 and "-    lb_kind dr   # direct routing" in out
    assert "+    lvs_method DR   # direct routing" in out and "+            retry 3" in out
    assert conf.read_text() == original
    run("lint", "--fix-all", str(conf))
    fixed = conf.read_text()
    assert "lvs_method DR   # direct routing" in fixed and "retry 3" in fixed
    assert conf.stat().st_mode & 0o777 == 0o640
    assert not [d for d in parse_text(fixed).diagnostics if d.code in ("KA103", "KA106")]


def test_rules_and_explain_commands() -> None:
    code, out, _ = run("rules")
    assert code == 0 and "KA201  duplicate-vrid" in out and "KA101  unknown-keyword" in out
    code, out, _ = run("explain", "duplicate-vrid")
    assert code == 0 and out.startswith("KA201 duplicate-vrid (error)") and "## Bad" in out
    assert run("explain", "KA999")[0] == 2


def test_the_readme_settings_example_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / ".kaconf.toml").write_text(example)
    settings = load_settings(tmp_path / ".kaconf.toml")
    assert settings.fail_on is Severity.ERROR and settings.cluster[0].files[0] == "lb1/keepalived.conf"
