"""The keyword table: which keywords each block accepts, their arguments, value rule and status
(built from the team reference by scripts/build_keywords.py into data/keywords.tsv)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kaconf.records import record

DATA = Path(__file__).with_name("data") / "keywords.tsv"
DEFAULT_TARGET = "2.2.7"


@lru_cache(maxsize=256)
def parse_version(text: str) -> tuple[int, ...]:
    """'2.2.7' -> (2, 2, 7); raises ValueError on anything else."""
    parts = text.strip().lstrip("v").split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a keepalived version: {text!r} (expected e.g. 2.2.7)")
    return tuple(int(p) for p in parts) + (0,) * (3 - len(parts))


# how keepalived reads numbers: an unsigned or signed integer, and seconds (TIMER, decimals
# allowed), as the keyword table's value rules name them
UINT = re.compile(r"\+?\d+")
INT = re.compile(r"[-+]?\d+")
TIMER = re.compile(r"\d+\.?\d*|\.\d+")


@record(frozen=True, slots=True)
class Keyword:
    block: str          # block path, '' for the top level
    keyword: str
    kind: str           # statement | block | values
    min_args: int
    max_args: int | None
    value: str          # value rule, see scripts/build_keywords.py
    status: str         # current | deprecated | removed
    since: str          # version that added it, '' when older than 2.0
    replacement: str
    warns: bool         # keepalived -t itself prints a deprecation message
    header: str         # argument synopsis

    @property
    def path(self) -> str:
        """The block path of this keyword's own block (for block keywords)."""
        return f"{self.block}/{self.keyword}" if self.block else self.keyword

    def available_in(self, target: tuple[int, ...]) -> bool:
        return not self.since or parse_version(self.since) <= target


class KeywordTable:
    def __init__(self, rows: list[Keyword]) -> None:
        self.by_block: dict[str, dict[str, Keyword]] = {}
        self.anywhere: dict[str, list[Keyword]] = {}
        for row in rows:
            self.by_block.setdefault(row.block, {}).setdefault(row.keyword, row)
            self.anywhere.setdefault(row.keyword, []).append(row)

    def lookup(self, block: str, keyword: str) -> Keyword | None:
        return self.by_block.get(block, {}).get(keyword)

    def elsewhere(self, keyword: str) -> list[Keyword]:
        """Rows for a keyword in any block, most current first."""
        return sorted(self.anywhere.get(keyword, []), key=lambda k: k.status != "current")

    def suggest(self, block: str, keyword: str) -> str | None:
        """The closest keyword of this block (or, failing that, of any block)."""
        import difflib  # 1 ms at start-up: only for an unknown keyword

        here = list(self.by_block.get(block, {}))
        for pool in (here, list(self.anywhere)):
            found = difflib.get_close_matches(keyword, pool, n=1, cutoff=0.75)
            if not found:
                lowered = {k.lower(): k for k in pool}
                if keyword.lower() in lowered:
                    found = [lowered[keyword.lower()]]
            if found:
                return found[0]
        return None

    def is_block(self, path: str) -> bool:
        return path in self.by_block


def _row(rec: dict[str, str]) -> Keyword:
    return Keyword(
        block=rec["block"], keyword=rec["keyword"], kind=rec["kind"],
        min_args=int(rec["min_args"]),
        max_args=None if rec["max_args"] == "*" else int(rec["max_args"]),
        value=rec["value"], status=rec["status"], since=rec["since"],
        replacement=rec["replacement"], warns=rec["warns"] == "yes", header=rec["header"],
    )


@lru_cache(maxsize=1)
def table() -> KeywordTable:
    # scripts/build_keywords.py writes a header line, then a line of tab-separated columns per
    # keyword with no quoting: split, which costs a short run 3 ms less than csv
    lines = DATA.read_text(encoding="utf-8").splitlines()
    columns = lines[0].split("\t")
    return KeywordTable([_row(dict(zip(columns, line.split("\t")))) for line in lines[1:] if line])
