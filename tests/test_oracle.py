"""Agreement with keepalived 2.2.7's own parser on the shared corpus of real configurations.

The figures themselves are printed by `python -m kaconf.tools.oracle`; this test holds the
thresholds the project promises.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kaconf.tools.oracle import compare, read_oracle

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KACONF_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus" / "real"

pytestmark = pytest.mark.skipif(not (CORPUS / "ORACLE.tsv").exists(),
                                reason=f"shared corpus not found at {CORPUS}: the 246 real "
                                       "configurations live outside the repository; put them "
                                       "at ../shared/corpus/real or set KACONF_SHARED (README, "
                                       "Agreement with keepalived)")


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    oracle = read_oracle(CORPUS)
    return [compare(CORPUS / name, record) for name, record in sorted(oracle.items())
            if (CORPUS / name).exists()]


def test_every_file_keepalived_accepts_reads_without_error(results) -> None:  # type: ignore[no-untyped-def]
    bad = {r.name: r.kaconf_errors for r in results if r.clean and r.kaconf_errors}
    assert bad == {}


def test_every_unknown_keyword_keepalived_reports_is_reported_on_its_line(results) -> None:  # type: ignore[no-untyped-def]
    missed = {r.name: r.unknown_missed for r in results if r.unknown_missed}
    assert missed == {}


def test_no_unknown_keyword_report_where_keepalived_accepted_it(results) -> None:  # type: ignore[no-untyped-def]
    false = {r.name: r.false_unknown for r in results if r.false_unknown}
    assert false == {}


def test_the_corpus_is_the_one_we_measured(results) -> None:  # type: ignore[no-untyped-def]
    assert len(results) >= 240
    assert sum(len(r.unknown_expected) for r in results) >= 300
