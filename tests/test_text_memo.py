"""Text output works out once what many findings show alike (render.text.Memo): each
message, and the excerpt of a line with no secret found by its file's scan, by its text and
columns. Every finding must read as it does worked out on its own."""
from __future__ import annotations

from pathlib import Path

from kaconf import api
from kaconf.render.text import Memo, format_plain
from kaconf.secrets import report_masker

REPO = Path(__file__).resolve().parent.parent

# `x` is a secret only where it follows `auth_pass` (the scan of the file finds it there);
# elsewhere the same line text is shown as written, and each line has a finding
SAME_TEXT = """global_defs {
    router_id r1
    x
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    authentication {
        auth_type PASS
        auth_pass
    x
    }
    virtual_ipaddress {
        192.0.2.1
    }
    x
}
"""


def _report(paths: list[str], texts: dict[str, str] | None = None) -> api.Report:
    report = api.lint_paths(paths, texts=texts)
    api.arrange(report)
    return report


def _same_with_memo(report: api.Report) -> None:
    masker = report_masker(report)
    memo = Memo()
    for d in report.diagnostics:
        assert format_plain(report, d, masker, memo) == format_plain(report, d, masker)


def test_a_secret_line_is_not_shown_as_the_same_text_elsewhere() -> None:
    report = _report(["same.conf"], {"same.conf": SAME_TEXT})
    assert len(report.diagnostics) > 3
    _same_with_memo(report)
    shown = [format_plain(report, d, report_masker(report), Memo())
             for d in report.diagnostics]
    assert any(lines[1].strip() == "x" for lines in shown)          # outside authentication
    assert not any(lines[1].strip() == "x" for lines in shown
                   if lines[0].startswith("same.conf:13:"))


def test_corpus_findings_read_the_same() -> None:
    for folder in sorted((REPO / "corpus").iterdir()):
        report = _report(sorted(str(p) for p in folder.rglob("*.conf")))
        if report.diagnostics:
            _same_with_memo(report)


def test_findings_sharing_line_texts_read_the_same() -> None:
    text = "".join(f"virtual_server 192.0.2.{i} 80 {{\n    lb_algo rr\n    lb_kind DR\n"
                   f"    real_server 198.51.100.{i} 80 {{\n        weight 1\n    }}\n}}\n"
                   for i in range(1, 6))
    report = _report(["many.conf"], {"many.conf": text})
    assert len(report.diagnostics) >= 10
    _same_with_memo(report)
