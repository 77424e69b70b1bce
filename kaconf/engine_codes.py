"""Diagnostics of the lint engine itself."""
from __future__ import annotations

from kaconf.diagnostics import Code, Severity

UNUSED_SUPPRESSION = Code(code="KA008", name="unused-suppression", severity=Severity.INFO,
                          summary="a kaconf: disable comment that silences nothing")
UNKNOWN_SUPPRESSION = Code(code="KA009", name="unknown-suppression-code", severity=Severity.WARNING,
                           summary="a kaconf: disable comment naming a code kaconf does not have")
RULE_CRASHED = Code(code="KA901", name="internal-error", severity=Severity.ERROR,
                    summary="a rule failed on this file (a kaconf bug; please report it)")

ENGINE_CODES = (UNUSED_SUPPRESSION, UNKNOWN_SUPPRESSION, RULE_CRASHED)
