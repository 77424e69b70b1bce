"""kaconf against the real keepalived -t on every corpus file (keepalived 2.2.7 is the oracle).

(a) a file keepalived reads without an Unknown keyword or a non-environment error gets no
    KA0xx/KA1xx error from kaconf;
(b) every `(Line N) Unknown keyword` of keepalived has a KA001/KA101/KA102/KA103 on line N;
(c) kaconf puts no KA101/KA102 on a line where keepalived knew the keyword.
Files with `@` conditional lines are checked once per config id (`-i lb1`, `-i lb2`).
"""
from __future__ import annotations

import pytest
from keepalived_harness import (
    Answer,
    Case,
    corpus_cases,
    describe,
    kaconf_diagnostics,
    keepalived_answer,
    keepalived_available,
    names_file,
)

pytestmark = pytest.mark.skipif(
    not keepalived_available(),
    reason="keepalived is not installed: these tests compare kaconf with `keepalived -t`")

READING_PREFIXES = ("KA0", "KA1")
AT_LINE_CODES = {"KA001", "KA101", "KA102", "KA103"}
UNKNOWN_CODES = {"KA101", "KA102"}

# (check, case id) -> why kaconf disagrees with keepalived there; each is a kaconf bug to fix,
# strict so the mark must go once kaconf is right
KNOWN_KACONF_BUGS: dict[tuple[str, str], str] = {
}

CASES = corpus_cases()


def params(check: str, cases: list[Case]) -> list[object]:
    out = []
    for case in cases:
        reason = KNOWN_KACONF_BUGS.get((check, case.id))
        marks = [pytest.mark.xfail(strict=True, reason=f"kaconf bug: {reason}")] if reason else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def answer_of(case: Case) -> Answer:
    answer = keepalived_answer(case)
    if answer is None:
        pytest.skip("keepalived gave no answer (timeout, signal or Terminated)")
    return answer


@pytest.mark.parametrize("case", params("folder", CASES))
def test_keepalived_rejects_broken_files_and_accepts_the_rest(case: Case) -> None:
    answer = answer_of(case)
    if case.broken:
        assert not answer.clean, f"keepalived found nothing wrong in {case.id}:\n{answer.text}"
    else:
        assert answer.clean, f"keepalived reports errors in {case.id}:\n{answer.text}"


@pytest.mark.parametrize("case", params("a", [c for c in CASES if not c.broken]))
def test_a_file_keepalived_accepts_has_no_reading_errors(case: Case) -> None:
    answer = answer_of(case)
    if not answer.clean:
        pytest.skip("keepalived reported errors, so (a) does not apply")
    errors = [d for d in kaconf_diagnostics(case)
              if d.severity.value == "error" and d.code.startswith(READING_PREFIXES)]
    assert not errors, f"keepalived accepts {case.id} but kaconf reports:\n{describe(errors)}"


@pytest.mark.parametrize("case", params("b", CASES))
def test_b_every_unknown_keyword_is_reported_on_its_line(case: Case) -> None:
    answer = answer_of(case)
    diags = [d for d in kaconf_diagnostics(case) if d.code in AT_LINE_CODES]
    missed = sorted(((name or case.path.name, line) for name, line in answer.unknown_at
                     if not any(d.span.line == line and names_file(d.span.file, name, case.path)
                                for d in diags)), key=lambda x: (x[0], x[1]))
    assert not missed, (f"keepalived's Unknown keyword lines without a kaconf diagnostic: {missed}"
                        f"\nkeepalived said:\n{answer.text}\nkaconf said:\n"
                        f"{describe(kaconf_diagnostics(case))}")


@pytest.mark.parametrize("case", params("c", CASES))
def test_c_no_unknown_keyword_where_keepalived_knew_it(case: Case) -> None:
    answer = answer_of(case)
    # after a missing-parameter abort keepalived reads no further, so it has no opinion there
    stop = answer.record.stop_line or 10**9
    false = [d for d in kaconf_diagnostics(case)
             if d.code in UNKNOWN_CODES and d.span.line <= stop
             and not any(line == d.span.line and names_file(d.span.file, name, case.path)
                         for name, line in answer.unknown_at)]
    assert not false, (f"kaconf reports keywords keepalived accepted:\n{describe(false)}"
                       f"\nkeepalived said:\n{answer.text or '(nothing)'}")
