"""Agreement report: kaconf's reading diagnostics against keepalived 2.2.7's own parser.

    python -m kaconf.tools.oracle [CORPUS_DIR] [--run-keepalived] [--details]

CORPUS_DIR holds *.conf files and, normally, an ORACLE.tsv recorded from `keepalived -t -f`
(columns: file, exit, unknown_keywords as keyword@line, errors, warnings). With
--run-keepalived (or when there is no ORACLE.tsv) keepalived itself is run on each file.

Three figures are printed:
  (a) clean files: keepalived reported no unknown keyword and no error other than the test
      machine's missing interfaces/scripts/includes -> kaconf reports no KA0xx/KA1xx error;
  (b) every `Unknown keyword` keepalived reported -> kaconf reports a diagnostic on that line;
  (c) kaconf's unknown/misplaced-keyword reports where keepalived accepted the keyword.
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kaconf.api import parse_file
from kaconf.diagnostics import Severity
from kaconf.loader import LoadError
from kaconf.tools.keepalived_run import OracleRecord, run_keepalived

KEYWORD_CODES = {"KA101", "KA102", "KA103"}
LINE_CODES = KEYWORD_CODES | {"KA001"}


@dataclass
class FileResult:
    name: str
    clean: bool
    kaconf_errors: list[str] = field(default_factory=list)
    unknown_expected: list[tuple[str, int]] = field(default_factory=list)
    unknown_missed: list[tuple[str, int]] = field(default_factory=list)
    false_unknown: list[str] = field(default_factory=list)


def read_oracle(corpus: Path) -> dict[str, OracleRecord]:
    path = corpus / "ORACLE.tsv"
    out: dict[str, OracleRecord] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            out[rec["file"]] = OracleRecord.from_columns(rec["exit"], rec["unknown_keywords"],
                                                         rec["errors"])
    return out


def compare(path: Path, record: OracleRecord) -> FileResult:
    result = FileResult(path.name, record.clean)
    result.unknown_expected = list(record.unknown)
    try:
        doc = parse_file(path, config_id="")
    except LoadError as exc:
        result.kaconf_errors.append(exc.diagnostic.message)
        result.unknown_missed = list(record.unknown)
        return result
    mine = [d for d in doc.diagnostics if d.span.file == str(path)]
    errors = [d for d in mine if d.severity is Severity.ERROR and d.code[:3] in ("KA0", "KA1")]
    result.kaconf_errors = [f"{d.span.line}:{d.code} {d.message}" for d in errors]
    lines = {d.span.line for d in mine if d.code in LINE_CODES}
    result.unknown_missed = [(k, n) for k, n in record.unknown if n not in lines]
    expected_lines = {n for _, n in record.unknown}
    # after a missing-parameter abort the process that aborted reads no further
    stop = record.stop_line or 10**9
    result.false_unknown = [f"{d.span.line}:{d.code} {d.message}" for d in mine
                            if d.code in KEYWORD_CODES and d.span.line not in expected_lines
                            and d.span.line <= stop]
    return result


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


def report(results: list[FileResult], details: bool) -> str:
    clean = [r for r in results if r.clean]
    clean_ok = [r for r in clean if not r.kaconf_errors]
    expected = sum(len(r.unknown_expected) for r in results)
    missed = sum(len(r.unknown_missed) for r in results)
    false = sum(len(r.false_unknown) for r in results)
    rows = [
        ("files", str(len(results)), ""),
        ("(a) clean files read without a KA0xx/KA1xx error", f"{len(clean_ok)}/{len(clean)}",
         pct(len(clean_ok), len(clean))),
        ("(b) keepalived 'Unknown keyword' lines also reported", f"{expected - missed}/{expected}",
         pct(expected - missed, expected)),
        ("(c) unknown/misplaced reports keepalived did not make", str(false), ""),
    ]
    width = max(len(r[0]) for r in rows)
    out = [f"{name:<{width}}  {count:>9}  {share}" for name, count, share in rows]
    if details:
        for r in results:
            for e in (r.kaconf_errors if r.clean else []):
                out.append(f"  (a) {r.name}: {e}")
            for k, n in r.unknown_missed:
                out.append(f"  (b) {r.name}: missed {k!r} at line {n}")
            for e in r.false_unknown:
                out.append(f"  (c) {r.name}: {e}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kaconf.tools.oracle", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    default = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real"
    ap.add_argument("corpus", nargs="?", type=Path, default=default)
    ap.add_argument("--run-keepalived", action="store_true",
                    help="run keepalived -t on each file instead of reading ORACLE.tsv")
    ap.add_argument("--details", action="store_true", help="list every disagreement")
    args = ap.parse_args(argv)
    corpus: Path = args.corpus
    if not corpus.is_dir():
        print(f"oracle: {corpus}: not a directory", file=sys.stderr)
        return 2
    files = sorted(corpus.glob("*.conf"))
    use_recorded = (corpus / "ORACLE.tsv").exists() and not args.run_keepalived
    oracle = read_oracle(corpus) if use_recorded else {}
    results = []
    for path in files:
        record = oracle.get(path.name) if use_recorded else run_keepalived(path)
        if record is None:
            continue
        results.append(compare(path, record))
    print(f"source: {'ORACLE.tsv' if use_recorded else 'keepalived -t'} in {corpus}")
    print(report(results, args.details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
