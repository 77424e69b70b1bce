"""A bounded fuzz run in the suite (scripts/fuzz.py runs longer campaigns): structured, almost
valid configs with a planted password; every output of every command keeps the invariants."""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings

from tests.hardening.fuzzing import PASSWORD, configs, problems, run_everything

# the distinct failures longer campaigns found (scripts/fuzz.py), kept as regressions
FOUND = [
    f"$PW={PASSWORD}\nglobal_defs {{\n    router_id lb1\n}}\n",
    f"$PW={PASSWORD}\nSSL {{\n    auth_pass\u00a0{PASSWORD}${{PW}}\n}}\n",
    f"SSL {{\n    auth#_pass {PASSWORD}#cut\n}}\n",
    f"SSL {{\n    auth_pass\x07\n{PASSWORD}\n}}\n",
    f"$PW={PASSWORD}\nvirtual_server 10.0.0.2 80 {{\n    lvs_sched rr${{PW}}\n}}\n",
    f"SSL {{\n    auth_pass={PASSWORD}##[group]\n}}\n",
    f"SSL {{\n    pas\u202esword {PASSWORD}\n}}\n",
    f"SSL {{\n    auth_pass}}\n{PASSWORD}\n}}\n",
    f"global_defs {{\n    auth_pass\u00b1\x13\u00a5\n{PASSWORD}\n}}\n",
    f"SSL {{\n    AU\U0001f3fbTH_PASS {PASSWORD}\n}}{{\n",
    f"vrrp_instance VI_1 {{\n    authentication {{ auth_type PASS au>\u00d5vth_pass {PASSWORD} }}\n}}\n",
]


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(configs())
@example(FOUND[0])
@example(FOUND[1])
@example(FOUND[2])
@example(FOUND[3])
@example(FOUND[4])
@example(FOUND[5])
@example(FOUND[6])
@example(FOUND[7])
@example(FOUND[8])
@example(FOUND[9])
@example(FOUND[10])
def test_every_output_keeps_the_invariants(text: str) -> None:
    # a crash anywhere would raise here: reading, rules, every renderer, dump, graph, fmt
    outcome = run_everything(text)
    assert problems(outcome) == [], (text, problems(outcome))


def test_the_github_format_quotes_no_config_line_as_a_command() -> None:
    text = ("vrrp_instance VI_1 {\n    auth_pass " + PASSWORD + "\n"
            "::error file=x::forged\n    ##[error]forged\n}\n")
    github = run_everything(text).outputs["lint --format github"]
    for line in github.splitlines():
        assert line.startswith(("::error ", "::warning ", "::notice ")), line
        assert "##[" not in line and "::error file=x" not in line


def test_the_checker_sees_a_leak() -> None:
    """The fuzz invariants are not vacuous: a planted leak is found."""
    from tests.hardening.fuzzing import Outcome

    leaky = Outcome(1, {"lint --format text": f"auth_pass {PASSWORD}\x1b[2J\n::error x"})
    assert len(problems(leaky)) == 3
