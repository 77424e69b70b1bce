"""Meta-tests on the rule set: identities, documentation, fixtures, and docs that cannot lie."""
from __future__ import annotations

from pathlib import Path

import pytest

from kaconf.api import parse_text
from kaconf.lint import cluster_findings, lint_document
from kaconf.registry import all_codes, code_modules, explanation
from kaconf.rules import RULES
from kaconf.rules.base import section
from kaconf.settings import Settings
from kaconf.verify.codes import VERIFY_CODES

CASES = Path(__file__).resolve().parent / "cases"
# reading codes whose examples need other files, or that no snippet can show; verify's codes
# need a live table too (tests/verify/test_codes.py checks their examples)
FILE_EXAMPLES = {"KA002", "KA003", "KA004", "KA901"} | {c.code for c in VERIFY_CODES}


def test_codes_and_names_are_unique() -> None:
    codes = all_codes()
    names = [c.name for c in codes.values()]
    assert len(set(names)) == len(names)
    assert len({m.rule.code for m in RULES}) == len(RULES)


def test_every_rule_has_firing_and_quiet_fixtures() -> None:
    for mod in RULES:
        folder = CASES / mod.rule.code
        assert list(folder.glob("fires_*")), f"{mod.rule.code} has no fires_ case"
        assert list(folder.glob("quiet_*")), f"{mod.rule.code} has no quiet_ case"


def test_every_fixture_folder_belongs_to_a_rule() -> None:
    codes = {m.rule.code for m in RULES}
    assert {p.name for p in CASES.iterdir() if p.is_dir()} <= codes


def test_every_code_is_explained() -> None:
    for code in all_codes():
        text = explanation(code)
        assert text.strip(), f"{code} has no explanation"
        assert "## Why it matters" in text, f"{code} explanation lacks 'Why it matters'"


def declared_codes() -> dict[str, set[str]]:
    """module -> names of the Code (or Rule) objects it declares at its top level, found by
    reading the source, so a module nobody registered is found too."""
    import ast

    root = Path(__file__).resolve().parents[2] / "kaconf"
    out: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        names = {t.id for node in ast.parse(path.read_text()).body
                 if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                 and getattr(node.value.func, "id", None) in ("Code", "Rule")
                 for t in node.targets if isinstance(t, ast.Name)}
        if names:
            module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
            out[module.removesuffix(".__init__")] = names
    return out


def test_every_module_that_declares_a_code_is_registered() -> None:
    registered = {m.__name__ for m in code_modules()} | {m.module for m in RULES}
    assert set(declared_codes()) <= registered
    for module in code_modules():
        declared = {getattr(module, n).code for n in declared_codes()[module.__name__]}
        assert declared == {c.code for c in module.CODES}, module.__name__


def test_codes_are_declared_once() -> None:
    found = [c for mod in code_modules() for c in mod.CODES] + [m.rule for m in RULES]
    assert len({c.code for c in found}) == len(found)


def fired(code: str, text: str) -> list[str]:
    """Findings of `code` on an example; cluster rules read it as directors lb1 and lb2."""
    rules = [m for m in RULES if m.rule.code == code]
    settings = Settings(select=[code])
    cluster_rule = any(m.check_cluster or m.check_network for m in rules)
    docs = [parse_text(text, name="example.conf", config_id=cid)
            for cid in (["lb1", "lb2"] if cluster_rule else ["lb1"])]
    diags = [d for doc in docs for d in lint_document(doc, settings, rules, strict=True)]
    diags += cluster_findings(docs, None, rules, settings, strict=True)[1]
    return [d.code for d in diags if d.code == code]


@pytest.mark.parametrize("code", [c for c in all_codes() if c not in FILE_EXAMPLES])
def test_bad_example_fires_and_good_example_is_quiet(code: str) -> None:
    text = explanation(code)
    bad, good = section(text, "Bad"), section(text, "Good")
    assert bad.strip() and good.strip(), f"{code}: explanation needs Bad and Good examples"
    assert fired(code, bad), f"{code}: the Bad example does not fire"
    assert not fired(code, good), f"{code}: the Good example fires"
