"""Every diagnostic code kaconf can report, and the lookup of codes by code, name or prefix."""
from __future__ import annotations

from functools import lru_cache
from types import ModuleType

from kaconf.diagnostics import Code, Severity


def code_modules() -> tuple[ModuleType, ...]:
    """Every module that declares diagnostic codes besides the rules (kaconf.rules.RULES):
    an explicit list, so a code is registered by being listed here; a test fails when a module
    declares a Code and is missing."""
    from kaconf import engine_codes, keyword_codes
    from kaconf.loader import codes as loader_codes
    from kaconf.verify import codes as verify_codes

    return (loader_codes, keyword_codes, engine_codes, verify_codes)


@lru_cache(maxsize=1)
def all_codes() -> dict[str, Code]:
    """code -> Code for every diagnostic kaconf can report."""
    from kaconf.rules import RULES

    out: dict[str, Code] = {}
    for module in code_modules():
        out.update((c.code, c) for c in module.CODES)
    out.update((mod.rule.code, mod.rule) for mod in RULES)
    return dict(sorted(out.items()))


def resolve(word: str) -> set[str]:
    """Codes meant by a code (KA201), a name (duplicate-vrid) or a prefix (KA2, KA20; KA is
    every code)."""
    codes = all_codes()
    word = word.strip()
    if word.upper() in codes:       # ka506 as well as KA506
        return {word.upper()}
    by_name = {c.name: c.code for c in codes.values()}
    if word.lower() in by_name:
        return {by_name[word.lower()]}
    if word.upper().startswith("KA") and len(word) < 5 and (word[2:].isdigit() or len(word) == 2):
        return {c for c in codes if c.startswith(word.upper())}
    return set()


def explanation(code: str) -> str:
    found = all_codes().get(code)
    return found.explanation if found is not None else ""


# codes whose severity depends on the case, besides their default (the README's Diagnostics
# section): KA001 a warning for an over-long line, KA002 an error for includem/includew/
# includea, KA004 a warning for an unreadable included file, KA104 an info hint for synonyms
# keepalived accepts silently (lb_algo, lb_kind), KA105 a warning or info hint for ignored extra
# words, KA106 a warning for an address suffix keepalived drops, KA208 and KA305 warnings for
# their milder cases, KA005 a warning for a bare $NAME keepalived keeps as written, KA603 a
# warning when a health check may have removed the real server, KA107 a warning for a
# track_file init_file keepalived only warns about
ALSO = {"KA001": (Severity.WARNING,), "KA002": (Severity.ERROR,), "KA004": (Severity.WARNING,),
        "KA005": (Severity.WARNING,),
        "KA104": (Severity.INFO,), "KA105": (Severity.WARNING, Severity.INFO),
        "KA106": (Severity.WARNING,), "KA107": (Severity.WARNING,), "KA208": (Severity.WARNING,),
        "KA305": (Severity.WARNING,), "KA603": (Severity.WARNING,)}


def severities(code: str) -> tuple[Severity, ...]:
    """Every severity a code is reported with: its default first."""
    return (default_severity(code), *ALSO.get(code.upper(), ()))


def default_severity(code: str) -> Severity:
    return all_codes()[code].severity
