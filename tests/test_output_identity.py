"""Every output format, on every file of the project's corpus and of the shared real corpus,
is byte-identical to the snapshots in tests/identity/ (taken by scripts/identity_snapshot.py
before the speed work of issue 12). A change that alters an output on purpose regenerates
them with that script and says so in its commit.

The real corpus lives outside the repository (../shared/corpus/real or $KACONF_SHARED): only
digests of its outputs are stored, and this test fails when it is missing, as a test that
needs a tool does.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
STORE = REPO / "tests" / "identity"


def _snapshot_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("identity_snapshot",
                                                  REPO / "scripts" / "identity_snapshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("identity_snapshot", module)
    spec.loader.exec_module(module)
    return module


snap = _snapshot_module()


def _first_difference(want: str, got: str) -> str:
    for n, (a, b) in enumerate(zip(want.splitlines(), got.splitlines()), 1):
        if a != b:
            return f"line {n}: stored {a[:200]!r}, now {b[:200]!r}"
    return f"stored {len(want)} characters, now {len(got)}"


def test_project_corpus_outputs_are_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    stored = json.loads((STORE / "corpus.json").read_text(encoding="utf-8"))
    names = [name for name, _ in snap.cases(REPO / "corpus", manifest=False)]
    assert sorted(names) == sorted(stored), "the corpus changed: rerun the snapshot script"
    changed = []
    for name, files in snap.cases(REPO / "corpus", manifest=False):
        got = snap.outputs(files)
        assert sorted(got) == sorted(stored[name])
        changed += [f"{name} [{fmt}] {_first_difference(stored[name][fmt], text)}"
                    for fmt, text in got.items() if text != stored[name][fmt]]
    assert changed == []


def test_real_corpus_outputs_are_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (snap.REAL / "MANIFEST.tsv").exists(), (
        f"shared corpus not found at {snap.REAL}: put it at ../shared/corpus/real or set "
        "KACONF_SHARED")
    monkeypatch.chdir(REPO)
    stored = json.loads((STORE / "real.json").read_text(encoding="utf-8"))
    cases = list(snap.cases(snap.REAL, manifest=True))
    assert sorted(name for name, _ in cases) == sorted(stored)
    changed = []
    for name, files in cases:
        got = {fmt: snap.digest(text) for fmt, text in snap.outputs(files).items()}
        changed += [f"{name} [{fmt}]" for fmt in got if got[fmt] != stored[name][fmt]]
        assert sorted(got) == sorted(stored[name])
    assert changed == []


def test_snapshots_cover_every_format() -> None:
    stored = json.loads((STORE / "corpus.json").read_text(encoding="utf-8"))
    single = next(v for k, v in stored.items() if not k.startswith("pair:"))
    pair = stored["pair:classic-dr"]
    assert set(single) == {"exit", *snap.FORMATS, "dump", "dump-typed"}
    assert set(pair) == {"exit", *snap.FORMATS}
    # the real findings are there, not empty renderings
    assert any("KA" in v["text"] for v in stored.values())
