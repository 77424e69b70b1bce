"""A longer fuzz campaign than the suite's (tests/hardening/test_fuzz.py runs 40 inputs):

    .venv/bin/python scripts/fuzz.py --examples 5000 [--save failures/]

Generates structured, almost valid keepalived configs with a planted password
(tests/hardening/fuzzing.py), runs every command and output format of kaconf on each
in-process, and reports the inputs tried and each distinct failure (a Python exception, a
leaked password, a raw control character, output that is not UTF-8, a forged CI command),
with one smallest input per failure. Exit status 1 when anything failed.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hardening.fuzzing import configs, problems, run_everything  # noqa: E402


def failure_of(text: str) -> list[str]:
    """The distinct problems one input shows (an exception is one, named by where it rose)."""
    try:
        return problems(run_everything(text))
    except Exception as exc:  # noqa: BLE001 - every exception is a finding of the campaign
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return [f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--save", type=Path, help="write one smallest input per failure here")
    args = parser.parse_args()
    warnings.simplefilter("ignore")     # hypothesis warns that example() is for exploring
    seen: Counter[str] = Counter()
    smallest: dict[str, str] = {}
    strategy = configs()
    slowest = (0.0, "")
    for n in range(1, args.examples + 1):
        text = strategy.example()
        started = time.perf_counter()
        found = failure_of(text)
        slowest = max(slowest, (time.perf_counter() - started, text))
        for problem in found:
            seen[problem] += 1
            if problem not in smallest or len(text) < len(smallest[problem]):
                smallest[problem] = text
        if n % 500 == 0:
            print(f"{n} inputs, {len(seen)} distinct failures", file=sys.stderr)
    print(f"inputs tried: {args.examples}")
    print(f"distinct failures: {len(seen)}")
    print(f"slowest input: {slowest[0]:.2f} s for {len(slowest[1])} characters (every "
          "command and format)")
    for problem, count in seen.most_common():
        print(f"  {count:6d}  {problem}")
        print("          " + repr(smallest[problem])[:300])
    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)
        for i, text in enumerate(smallest.values()):
            (args.save / f"failure-{i}.conf").write_bytes(text.encode("utf-8", "surrogateescape"))
    return 1 if seen else 0


if __name__ == "__main__":
    raise SystemExit(main())
