"""Diagnostics of the lint engine itself: suppression comments and rules that crash."""
from __future__ import annotations

from kaconf.diagnostics import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


UNUSED_SUPPRESSION = Code(code="KA008", name="unused-suppression", severity=INFO,
    summary='a kaconf: disable comment that silences nothing',
    explanation="""A `kaconf: disable` comment that silences nothing.

## Why it matters
A suppression left behind after the problem was fixed hides the next real problem on that
line. Remove it.

## Bad
    global_defs {
        router_id lb1  # kaconf: disable=KA101
    }

## Good
    global_defs {
        router_id lb1
    }
""")

UNKNOWN_SUPPRESSION = Code(code="KA009", name="unknown-suppression-code", severity=W,
    summary='a kaconf: disable comment naming a code kaconf does not have',
    explanation="""A `kaconf: disable` comment naming a code or name kaconf does not have.

## Why it matters
A misspelt code silences nothing, so the finding you meant to silence is still reported,
or worse, you believe something is silenced that is not.

## Bad
    global_defs {
        router_id lb1  # kaconf: disable=KA1O1
    }

## Good
    global_defs {
        router_id lb1
    }
""")

RULE_CRASHED = Code(code="KA901", name="internal-error", severity=E,
    summary='a rule failed on this file (a kaconf bug; please report it)',
    explanation="""A rule failed on this file.

## Why it matters
This is a bug in kaconf, not in your configuration: the other rules still ran. Please
report it with the file (passwords removed) and the message.
""")

CODES: tuple[Code, ...] = (
    UNUSED_SUPPRESSION,
    UNKNOWN_SUPPRESSION,
    RULE_CRASHED,
)
