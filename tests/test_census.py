"""The corpus census: {file: {code: count}} over corpus/, checked in. A change in any count
fails here until the table is regenerated on purpose:

    python -m kaconf.tools.census corpus --json > tests/corpus_census.json
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from kaconf.tools.census import census

REPO = Path(__file__).resolve().parent.parent
TABLE = Path(__file__).with_name("corpus_census.json")


def test_corpus_census_is_unchanged() -> None:
    os.chdir(REPO)
    files = sorted(Path("corpus").rglob("*.conf"))
    expected = json.loads(TABLE.read_text())
    assert census(files, []) == expected


def test_bundled_example_cluster_is_clean_but_for_info_hints() -> None:
    table = json.loads(TABLE.read_text())
    for name in ("corpus/classic-dr/master.conf", "corpus/classic-dr/backup.conf"):
        assert set(table[name]) <= {"KA104"}, table[name]
