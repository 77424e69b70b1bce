"""Secret values stay secret in every output, also when they are written slightly wrong (which
is when kaconf has something to say about their line); control characters from configs are
shown escaped, and no config line can become a GitHub Actions workflow command."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaconf.secrets import MASK, is_secret_keyword, masker_for
from tests.hardening.runner import ENVIRONMENTS, LINT_FORMATS, Run, assert_clean, kaconf

# one password per way of writing it slightly wrong
WAYS = {
    "one-line block": "    authentication { auth_type PASS auth_pass Aq1LineP }\n",
    "glued with =": "    auth_pass=Bq2GlueP\n",
    "no-break space": "    auth_pass\u00a0Cq3NbspP\n",
    "next line": "    auth_pass\n        Dq4NextP\n",
    "misspelt": "    auth_pas Eq5MissP\n",
    "quoted keyword": '    "auth_pass" Fq6QuotP\n',
    "vertical tab": "    auth_pass\vGq7VtabP\n",
    "parameter": "    authentication {\n        auth_type PASS\n        auth_pass $PW\n    }\n",
    "two words": "    authentication {\n        auth_pass Iq9Word1 Iq9Word2\n    }\n",
    "cut by a comment": "    authentication {\n        auth_pass Jq0Cut#Jq0Rest\n    }\n",
}
PARAMETER = "Hq8ParamP"
SECRETS = ("Aq1LineP", "Bq2GlueP", "Cq3NbspP", "Dq4NextP", "Eq5MissP", "Fq6QuotP", "Gq7VtabP",
           PARAMETER, "Iq9Word1", "Iq9Word2", "Jq0Cut", "Jq0Rest", "Kq1SslPw", "Lq2Commun",
           "Mq3Marked")
HOSTILE = (
    "    router_id ::error title=forged::from the config\n"
    "::warning file=x::forged too\n"
    "    ##[group]forged group\n"
    "    nopreempt \x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b[2J\r\x9b31m caf\udcff\n"
)


def config(tmp_path: Path) -> Path:
    """Every way at once, in a file with an undecodable byte (\\xff), hostile lines and a
    keyword the user marks secret."""
    body = "".join(WAYS.values())
    text = (f"$PW={PARAMETER}\n"
            "global_defs {\n    router_id lb1\n    snmp_community Lq2Commun\n}\n"
            "SSL {\n    password Kq1SslPw\n}\n"
            "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
            "    priority 100\n    virtual_ipaddress {\n        10.0.0.1\n    }\n"
            f"{body}{HOSTILE}    my_token Mq3Marked\n}}\n")
    conf = tmp_path / "keepalived.conf"
    conf.write_bytes(text.encode("utf-8", "surrogateescape"))
    (tmp_path / ".kaconf.toml").write_text('secret-keywords = ["my_token"]\n')
    return conf


def no_workflow_command(run: Run, fmt: str) -> None:
    for line in run.text.splitlines():
        assert "##[" not in line, line
        if fmt == "github":
            assert line.startswith(("::error ", "::warning ", "::notice ")), line
            assert "::error title=forged" not in line and "::warning file=x" not in line
        else:
            assert not line.lstrip().startswith("::"), line


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("fmt", LINT_FORMATS)
def test_no_lint_format_shows_a_secret_or_a_control_character(tmp_path: Path, fmt: str,
                                                              env: str) -> None:
    conf = config(tmp_path)
    run = kaconf("lint", "--format", fmt, conf, env=env, cwd=tmp_path)
    assert_clean(run, codes=(1,), secrets=SECRETS)
    no_workflow_command(run, fmt)
    if fmt == "json":
        assert json.loads(run.out)
    if fmt == "text":
        assert "\\x1b" in run.text and "\\xff" in run.text and "\\x0b" in run.text


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("args", [
    pytest.param(("dump",), id="dump"),
    pytest.param(("dump", "--typed"), id="dump-typed"),
    pytest.param(("dump", "--format", "conf"), id="dump-conf"),
    pytest.param(("graph",), id="graph-text"),
    pytest.param(("graph", "--format", "dot"), id="graph-dot"),
    pytest.param(("graph", "--format", "mermaid"), id="graph-mermaid"),
    pytest.param(("fmt", "--diff"), id="fmt-diff"),
    pytest.param(("fmt", "--check"), id="fmt-check"),
    pytest.param(("lint", "--diff"), id="lint-diff"),
])
def test_no_other_command_shows_a_secret(tmp_path: Path, args: tuple[str, ...],
                                         env: str) -> None:
    conf = config(tmp_path)
    # a fix on a line holding a secret, so the diffs show that line
    with conf.open("a") as fh:
        fh.write("vrrp_instance VI_2 {\n    interface eth0\n    virtual_router_id 52\n"
                 "    authentication {\n        auth_type pass\n        auth_pass Aq1LineP\n"
                 "    }\n}\n")
    run = kaconf(*args, conf, env=env, cwd=tmp_path)
    assert_clean(run, codes=(0, 1), secrets=SECRETS)
    no_workflow_command(run, "text")
    if args[0] != "graph" and args[1:] != ("--check",):
        assert MASK in run.text


def test_the_carets_under_a_masked_secret_do_not_tell_its_length(tmp_path: Path) -> None:
    lengths = {}
    for password in ("abc", "a-much-longer-password"):
        conf = tmp_path / f"{len(password)}.conf"
        conf.write_text("vrrp_instance VI_1 {\n    authentication {\n"
                        f"        auth_pass {password}\n    }}\n}}\n")
        run = kaconf("lint", "--select", "KA203,KA402", conf)
        lines = run.text.splitlines()
        shown = [i for i, line in enumerate(lines) if line.strip() == f"auth_pass {MASK}"]
        assert shown, run.text
        lengths[password] = lines[shown[0] + 1].count("^")
    assert set(lengths.values()) == {len(MASK)}


def test_secret_values_are_found_by_what_they_are() -> None:
    text = "".join(WAYS.values())
    masker = masker_for({"k.conf": f"$PW={PARAMETER}\n{text}"})
    for secret in SECRETS[:10]:
        assert secret in masker.values, secret
    assert masker.text(f"extra argument(s) 'auth_pass' '{SECRETS[0]}'") == (
        f"extra argument(s) 'auth_pass' '{MASK}'")
    for word in ("auth_pass", "AUTH-PASS", '"auth_pass"', "auth_pas", "authpass", "password",
                 "passwd", "key", "snmp_community", "snmp_comunity"):
        assert is_secret_keyword(word), word
    for word in ("auth_type", "passive", "keyword", "interface", "PASS", "priority", "keys"):
        assert not is_secret_keyword(word), word


def test_there_is_one_list_of_secret_keywords() -> None:
    from kaconf import node_checks, secrets

    assert node_checks.SECRETS == frozenset(secrets.SECRET_KEYWORDS)
    assert set(secrets.SECRET_KEYWORDS) == {"auth_pass", "password", "key", "snmp_community"}


# -- the shortcut for lines with no word near a secret keyword ------------------------------
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kaconf.secrets import _NOTHING, _scan, scan_words  # noqa: E402

_PIECES = st.sampled_from([
    "auth_pass", "AUTH_PASS", "auth_pas", "atuh_pass", "password", "passwrd", "key", "kye",
    "snmp_community", "snmp_comunity", "my_secret", "pwd", "passive", "auth_type", "pass",
    "1234", "198.18.0.1", "real_server", "virtual_router_id", "{", "}", "=", ":", '"', "#",
    "!", " ", "\t", "\xa0", "\x0b", "\x1c", "$PW", "${PW}", "abc", "\u200b", "é"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=8), st.sampled_from([(), ("token",)]))
def test_shortcut_agrees_with_the_full_scan(pieces: list[str], extra: tuple[str, ...]) -> None:
    """Whenever the shortcut says a line holds nothing, looking at every word agrees."""
    for line in ("".join(pieces), " ".join(pieces)):
        if _scan(line, extra) is _NOTHING:
            assert scan_words(line, extra)[:3] == ((), False, frozenset()), line
            assert scan_words(line, extra)[3] == frozenset(), line


def test_shortcut_still_finds_secrets() -> None:
    for line in ("auth_pass s3cret", "virtual_server { auth_pas=s3cret }", "passwrd  x"):
        assert _scan(line, ()) is not _NOTHING, line


from kaconf.secrets import _NUMERAL, glued_prefix, names_secret  # noqa: E402


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789abcdefABCDEF.:/-", min_size=1, max_size=24))
def test_numerals_name_no_secret(word: str) -> None:
    """The shortcut for numbers and addresses: looked at in full, such a word names no secret
    keyword, nor does any start of it (what is glued to a value), nor does it start with one."""
    assert _NUMERAL.fullmatch(word)
    assert not any(names_secret(word[:end], ()) for end in range(1, len(word) + 1))
    assert not glued_prefix(word, ())


from kaconf.secrets import _control, has_controls  # noqa: E402


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\t\n\x7f\x85\u200e"
                                                                       "\udcff\u2028 a:#[")))
def test_the_printable_ascii_shortcut_agrees_with_the_pattern(text: str) -> None:
    assert has_controls(text) == (_control().search(text) is not None)


# -- the scan of a whole file looks only at its suspect lines --------------------------------
from kaconf import source  # noqa: E402
from kaconf.secrets import lines_of, scan_lines, scan_text  # noqa: E402

_LINES = st.lists(st.lists(_PIECES, max_size=5).map(" ".join)
                  | st.sampled_from(["", "  ", "auth_pass", "  auth_pass ", "$PW=x y \\",
                                     "$VRRP_PW=s3cret", "auth_pass $PW", "}", "{"]),
                  max_size=12)


def _both(text: str, extra: tuple[str, ...]) -> None:
    fast: set[str] = set()
    full: set[str] = set()
    assert scan_text(text, fast, extra) == scan_lines(enumerate(lines_of(text), start=1),
                                                      text, full, extra)
    assert fast == full


@settings(max_examples=400, deadline=None)
@given(_LINES, st.sampled_from([(), ("token",)]), st.sampled_from([3, 16, 1 << 16]))
@example(["auth_pass", "s3cret"], (), 3)      # a chunk ends on the keyword, its value follows
def test_the_suspect_lines_give_what_every_line_gives(lines: list[str], extra: tuple[str, ...],
                                                      chunk: int) -> None:
    """scan_text, which looks only at suspect lines (chunk by chunk), finds the places and
    values that looking at every line finds, also where a chunk ends on a secret keyword."""
    old, source.CHUNK = source.CHUNK, chunk
    try:
        _both("\n".join(lines), extra)
    finally:
        source.CHUNK = old


def test_the_suspect_lines_of_the_corpus_give_what_every_line_gives() -> None:
    repo = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8", errors="surrogateescape")
             for p in sorted(repo.glob("corpus/**/*.conf")) + sorted(repo.glob("tests/**/*.conf"))]
    assert len(texts) > 100
    for text in texts:
        _both(text, ())
