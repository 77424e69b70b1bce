"""Census of findings: file x code -> count, over a directory of configurations.

    python -m kaconf.tools.census [DIR ...] [--json] [--top N] [--config-id ID]

Prints the codes by number of files and findings, then the table. Every file is linted
alone and, where files form clusters, together (as `kaconf lint` does).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from kaconf.api import lint_paths
from kaconf.settings import Settings


def census(files: list[Path], groups: list[list[Path]],
           config_id: str | None = "") -> dict[str, dict[str, int]]:
    """{file: {code: count}} for every file, clean files included (as {}). Each file is
    linted alone; each group of files (a MASTER/BACKUP set) is also linted together, and its
    cluster findings (KA5xx) are added."""
    out: dict[str, dict[str, int]] = {str(f): {} for f in files}
    diags = [d for f in files for d in lint_paths([f], config_id, settings=Settings()).diagnostics]
    for group in groups:
        report = lint_paths(group, config_id, settings=Settings())
        diags += [d for d in report.diagnostics if d.code.startswith("KA5")]
    for d in diags:
        counts = out.setdefault(d.span.file, {})
        counts[d.code] = counts.get(d.code, 0) + 1
    return {f: dict(sorted(c.items())) for f, c in sorted(out.items())}


def manifest_groups(folder: Path) -> list[list[Path]]:
    """Pair groups from a MANIFEST.tsv (column pair_group), leaving out include fragments."""
    path = folder / "MANIFEST.tsv"
    if not path.exists():
        return []
    groups: dict[str, list[Path]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) > 5 and cols[5] not in ("-", "") and not cols[5].endswith("-include"):
            groups.setdefault(cols[5], []).append(folder / cols[0])
    return list(groups.values())


def summary(table: dict[str, dict[str, int]], top: int) -> list[str]:
    findings: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for counts in table.values():
        for code, n in counts.items():
            findings[code] += n
            files[code] += 1
    from kaconf.registry import all_codes

    codes = all_codes()
    lines = [f"{'code':<6} {'name':<30} {'files':>5} {'findings':>8}"]
    for code, n in findings.most_common(top):
        name = codes[code].name if code in codes else "?"
        lines.append(f"{code:<6} {name:<30} {files[code]:>5} {n:>8}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kaconf.tools.census", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*", type=Path, default=[Path("corpus")])
    ap.add_argument("--json", action="store_true", help="print the table as JSON")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--config-id", default="", help="config id for @ lines (default: none)")
    args = ap.parse_args(argv)
    files = sorted(f for d in args.dirs for f in (d.rglob("*.conf") if d.is_dir() else [d]))
    if not files:
        print("census: no .conf files found", file=sys.stderr)
        return 2
    groups = [g for d in args.dirs if d.is_dir() for g in manifest_groups(d)]
    table = census(files, groups, args.config_id)
    if args.json:
        print(json.dumps(table, indent=1))
        return 0
    print("\n".join(summary(table, args.top)))
    print()
    for file, counts in table.items():
        if counts:
            print(f"{file}: " + ", ".join(f"{c}={n}" for c, n in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
