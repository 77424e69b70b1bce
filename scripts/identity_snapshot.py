"""Snapshot every output kaconf gives on the corpora, so a change meant to be invisible (speed
work) can be shown byte-identical: tests/test_output_identity.py compares against them.

    python scripts/identity_snapshot.py          # (re)write tests/identity/ from this code

For each file of corpus/ and of ../shared/corpus/real (linted alone), each pair group of the
real corpus's MANIFEST.tsv and the classic-dr pair (linted together): `lint` in every format
(text, json, sarif, github, junit) with its exit code, then, for single files, `dump` as JSON
and `dump --typed`. The project's own corpus is stored as text (tests/identity/corpus.json);
the real corpus is acceptance data that never enters the project, so only a SHA-256 of each
output is stored for it (tests/identity/real.json).

Runs in-process through kaconf.api, from the repository root, with default settings and a
fixed config id (a host name would make the output depend on the machine).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KACONF_SHARED", REPO.parent / "shared"))
REAL = SHARED / "corpus" / "real"
STORE = REPO / "tests" / "identity"
FORMATS = ("text", "json", "sarif", "github", "junit")
CONFIG_ID = "identity-snapshot"


def _rel(path: Path) -> str:
    return os.path.relpath(path, REPO)


def cases(root: Path, manifest: bool) -> Iterator[tuple[str, list[str]]]:
    """(name, files) to lint: each .conf alone, then the pair groups together."""
    files = sorted(p for p in root.rglob("*.conf") if p.is_file())
    for path in files:
        yield _rel(path), [_rel(path)]
    groups: dict[str, list[str]] = {}
    if manifest:
        lines = (root / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
        head = lines[0].split("\t")
        at, group = head.index("file"), head.index("pair_group")
        for line in lines[1:]:
            cells = line.split("\t")
            if len(cells) > group and cells[group] not in ("", "-") and (root / cells[at]).exists():
                groups.setdefault(cells[group], []).append(_rel(root / cells[at]))
    else:
        pair = root / "classic-dr"
        groups["classic-dr"] = [_rel(pair / "master.conf"), _rel(pair / "backup.conf")]
    for name, members in sorted(groups.items()):
        yield "pair:" + name, sorted(members)


def outputs(files: list[str]) -> dict[str, str]:
    """Every output for one case, by format name, with the absolute paths of the shared
    corpus and of the repository written <shared> and <repo> (an include root or a script
    named by its absolute path shows them)."""
    names = sorted({(str(SHARED), "<shared>"), (os.path.realpath(SHARED), "<shared>"),
                    (str(REPO), "<repo>")}, key=lambda p: -len(p[0]))
    got = _outputs(files)
    for path, shown in names:
        got = {k: v.replace(path, shown) for k, v in got.items()}
    return got


def _outputs(files: list[str]) -> dict[str, str]:
    from kaconf import api
    from kaconf.settings import load_settings

    settings = load_settings(None)
    report = api.lint_paths(files, config_ids=[CONFIG_ID], settings=settings)
    api.arrange(report)
    got = {"exit": str(report.exit_code(settings.fail_on))}
    for fmt in FORMATS:
        buffer = io.StringIO()
        api.render(report, fmt, buffer)
        got[fmt] = buffer.getvalue()
    if len(files) == 1:
        try:
            doc = api.parse_file(files[0], CONFIG_ID, settings.target_version, settings)
        except api.LoadError as exc:
            got["dump"] = got["dump-typed"] = "LoadError: " + exc.diagnostic.message
        else:
            got["dump"] = api.dump(doc, "json")
            got["dump-typed"] = api.dump(doc, "json", typed=True)
    return got


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def snapshot(root: Path, manifest: bool, hashed: bool) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for name, files in cases(root, manifest):
        got = outputs(files)
        result[name] = {k: digest(v) for k, v in got.items()} if hashed else got
    return result


def main() -> int:
    os.chdir(REPO)
    STORE.mkdir(parents=True, exist_ok=True)
    todo = [("corpus.json", REPO / "corpus", False, False)]
    if (REAL / "MANIFEST.tsv").exists():
        todo.append(("real.json", REAL, True, True))
    else:
        print(f"{REAL}: not found; real.json left as it is", file=sys.stderr)
    for store, root, manifest, hashed in todo:
        data = snapshot(root, manifest, hashed)
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        (STORE / store).write_text(text, encoding="utf-8", errors="surrogateescape")
        print(f"{STORE / store}: {len(data)} cases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
