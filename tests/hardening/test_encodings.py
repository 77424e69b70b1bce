"""Every command and output format runs under a strict UTF-8 stdout (PYTHONIOENCODING=utf-8)
and under LANG=C on a file with bytes that are not UTF-8: no crash, no half-written JSON, the
bytes shown escaped."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.hardening.runner import ENVIRONMENTS, LINT_FORMATS, assert_clean, kaconf

LATIN1 = (b"global_defs {\n    router_id caf\xe9\n    notification_email_from a\xff@x\n}\n"
          b"vrrp_instance V\xe9 {\n    interface eth0\n    virtual_router_id 51\n"
          b"    priority 100\n    virtual_ipaddress {\n        10.0.0.1\n    }\n"
          b"    nopreempt \xff\n    unknown_\xfe word\n}\n"
          b"virtual_server 10.0.0.1 80 {\n    lvs_method DR\n    real_server 10.0.1.1 80 {\n"
          b"        weight 1\n    }\n}\n")

COMMANDS = [
    *[pytest.param(("lint", "--format", fmt), id=f"lint-{fmt}") for fmt in LINT_FORMATS],
    pytest.param(("lint", "--diff"), id="lint-diff"),
    pytest.param(("lint", "--fix"), id="lint-fix"),
    pytest.param(("dump",), id="dump"),
    pytest.param(("dump", "--typed"), id="dump-typed"),
    pytest.param(("dump", "--format", "conf"), id="dump-conf"),
    pytest.param(("graph",), id="graph-text"),
    pytest.param(("graph", "--format", "dot"), id="graph-dot"),
    pytest.param(("graph", "--format", "mermaid"), id="graph-mermaid"),
    pytest.param(("graph", "--format", "svg"), id="graph-svg"),
    pytest.param(("graph", "-o", "{dir}/out.svg"), id="graph-output"),
    pytest.param(("fmt", "--check"), id="fmt-check"),
    pytest.param(("fmt", "--diff"), id="fmt-diff"),
    pytest.param(("fmt",), id="fmt-write"),
    pytest.param(("pre-commit",), id="pre-commit"),
    *[pytest.param(("verify", "--format", fmt, "--ipvsadm-output", "{dir}/ipvs.txt",
                    "--config"), id=f"verify-{fmt}") for fmt in ("text", "json", "github")],
]
IPVSADM = b"-A -t 10.0.0.1:80 -s wlc\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -g -w 1\n"


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("args", COMMANDS)
def test_every_command_survives_bytes_that_are_not_utf8(tmp_path: Path, args: tuple[str, ...],
                                                       env: str) -> None:
    assert shutil.which("dot"), "Graphviz's dot is needed (CI installs graphviz)"
    conf = tmp_path / "keepalived.conf"
    conf.write_bytes(LATIN1)
    (tmp_path / "ipvs.txt").write_bytes(IPVSADM)
    run = kaconf(*(a.format(dir=tmp_path) for a in args), conf, env=env, cwd=tmp_path)
    assert_clean(run, codes=(0, 1))
    if args[0] == "lint" and args[1:] == ("--format", "text"):
        assert "unknown_\\xfe" in run.text and "\\xff" in run.text
    if args[-1] in ("json", "sarif") or args == ("dump",):
        json.loads(run.out)     # whole, not half-written
    if args[:1] == ("fmt",) and args[1:] == ():
        assert conf.read_bytes().count(b"\xff") == 2   # the bytes come back as they were


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_stdin_with_bytes_that_are_not_utf8(env: str) -> None:
    formatted = kaconf("fmt", "-", stdin=LATIN1, env=env)
    # `fmt -` prints the configuration itself: its bytes come back as they were written
    assert formatted.code == 0 and formatted.out == LATIN1 and b"Traceback" not in formatted.err
    run = kaconf("lint", "--format", "json", "-", stdin=LATIN1, env=env)
    assert_clean(run, codes=(1,))
    json.loads(run.out)
