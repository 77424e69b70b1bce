"""The printer (model -> keepalived.conf): a fixed point on every corpus and real file, and
keepalived -t agreeing on the printed files wherever it accepted the originals."""
from __future__ import annotations

import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from keepalived_harness import (
    CONDITIONAL,
    CONFIG_IDS,
    _missing_interfaces,
    _run,
    interface_names,
    stand_in_namespace,
)

from kaconf.api import dump, parse_file, parse_text, print_config
from kaconf.cli import cli
from kaconf.model import Config
from kaconf.tools.keepalived_run import keepalived_binary

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KACONF_SHARED", REPO.parent / "shared"))
REAL = SHARED / "corpus" / "real"


def cases(folder: Path, pattern: str) -> list[tuple[Path, str | None]]:
    out: list[tuple[Path, str | None]] = []
    for path in sorted(folder.rglob(pattern)):
        if CONDITIONAL.search(path.read_text(encoding="utf-8", errors="replace")):
            out += [(path, cid) for cid in CONFIG_IDS]
        else:
            out.append((path, None))
    return out


def real_files() -> list[Path]:
    if not (REAL / "ORACLE.tsv").exists():
        pytest.fail(f"the shared corpus is missing at {REAL}: these tests need ../shared "
                    "(set KACONF_SHARED to its folder)")
    return sorted(REAL.glob("*.conf"))


CORPUS = cases(REPO / "corpus", "*.conf")


def round_trip(path: Path, config_id: str | None) -> tuple[Config, Config, str, str]:
    doc = parse_file(path, config_id)
    first = print_config(doc.config, show_secrets=True)
    again = parse_text(first, str(path)).config
    return doc.config, again, first, print_config(again, show_secrets=True)


@pytest.mark.parametrize(("path", "config_id"), CORPUS,
                         ids=[f"{p.relative_to(REPO)}@{c}" if c else str(p.relative_to(REPO))
                              for p, c in CORPUS])
def test_printing_is_a_fixed_point_on_the_corpus(path: Path, config_id: str | None) -> None:
    model, again, first, second = round_trip(path, config_id)
    assert again == model
    assert second == first


def test_printing_is_a_fixed_point_on_every_real_file() -> None:
    files = real_files()
    differ = []
    for path in files:
        model, again, first, second = round_trip(path, None)
        if again != model or second != first:
            differ.append(path.name)
    assert differ == []
    assert len(files) >= 240


def test_dump_conf_of_its_own_output_is_byte_identical(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["dump", "--format", "conf", "--config-id", "lb1",
                                str(REPO / "corpus/templating/conditional-pair.conf")])
    assert first.exit_code == 0, first.output
    assert not re.search(r"^\s*(@|include\b)", first.output, re.M)
    out = tmp_path / "printed.conf"
    out.write_text(first.output)
    second = runner.invoke(cli, ["dump", "--format", "conf", str(out)])
    assert second.output == first.output


def test_dump_conf_masks_passwords_unless_asked() -> None:
    doc = parse_file(REPO / "corpus/classic-dr/master.conf")
    assert "Kx7pQ2vA" not in dump(doc, "conf")
    assert "auth_pass ********" in dump(doc, "conf")
    assert "auth_pass Kx7pQ2vA" in dump(doc, "conf", secrets=True)


def test_commands_keep_their_own_quotes_and_escapes() -> None:
    text = 'vrrp_script chk {\n    script "/bin/sh -c \'test -e /x\'"\n}\n' \
           'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n        HTTP_GET {\n' \
           '            url {\n                path /\n                regex "\\"up\\""\n' \
           '            }\n        }\n    }\n}\n'
    printed = print_config(parse_text(text).config, show_secrets=True)
    assert 'script "/bin/sh -c \'test -e /x\'"' in printed
    assert 'regex "\\"up\\""' in printed


# -- keepalived -t on the printed files ----------------------------------------------------
LINE = re.compile(r"\((?:[^()]*: )?Line \d+\)\s*")
# the printed file has includes inlined, so keepalived has no include to miss
INLINED = re.compile(r"Config files missing")


def messages(text: str, names: list[str]) -> set[str]:
    out = set()
    for line in text.splitlines():
        line = LINE.sub("", line)
        for name in names:
            line = line.replace(name, "FILE")
        if not INLINED.search(line):
            out.add(line.strip())
    return out


def keepalived_pair(path: Path, config_id: str | None) -> tuple[tuple[int, set[str]],
                                                                 tuple[int, set[str]]] | None:
    binary = keepalived_binary()
    assert binary is not None, "keepalived is not installed (apt-get install keepalived)"
    printed = print_config(parse_file(path, config_id).config, show_secrets=True)
    fd, out = tempfile.mkstemp(suffix=".conf")
    with os.fdopen(fd, "w") as fh:
        fh.write(printed)
    ids = ["-i", config_id] if config_id else []
    original = [binary, "-t", "-l", "-f", str(path.resolve()), *ids]
    try:
        with stand_in_namespace(interface_names(path)) as ns:
            assert ns is not None, "network namespaces are needed (run as root)"
            a = _run(ns.command(original), path.parent)
            if a is not None and ns.add(_missing_interfaces(a[1])):
                a = _run(ns.command(original), path.parent)
            b = _run(ns.command([binary, "-t", "-l", "-f", out]), path.parent)
    finally:
        os.unlink(out)
    if a is None or b is None:
        return None
    names = [str(path.resolve()), out]
    return (a[0], messages(a[1], names)), (b[0], messages(b[1], names))


def disagreements(items: list[tuple[Path, str | None]]) -> dict[str, object]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda c: keepalived_pair(*c), items))
    out: dict[str, object] = {}
    for (path, cid), answer in zip(items, answers):
        if answer is None:
            continue
        (rc_a, msgs_a), (rc_b, msgs_b) = answer
        if rc_a == 0 and (rc_b != 0 or msgs_a != msgs_b):
            out[f"{path.name}@{cid}"] = (rc_b, sorted(msgs_a ^ msgs_b))
    return out


def test_keepalived_accepts_every_printed_corpus_file_it_accepted() -> None:
    assert disagreements(CORPUS) == {}


def test_keepalived_accepts_every_printed_real_file_it_accepted() -> None:
    items: list[tuple[Path, str | None]] = [(p, None) for p in real_files()]
    assert disagreements(items) == {}
