"""Every diagnostic code kaconf can report, and the lookup of codes by code, name or prefix."""
from __future__ import annotations

from functools import lru_cache

from kaconf.diagnostics import Code, Severity


@lru_cache(maxsize=1)
def all_codes() -> dict[str, Code]:
    """code -> Code for reading diagnostics, engine diagnostics and every registered rule."""
    from kaconf.diagnostics import READING_CODES
    from kaconf.engine_codes import ENGINE_CODES
    from kaconf.rules import RULES

    out = {c.code: c for c in READING_CODES + ENGINE_CODES}
    for mod in RULES:
        r = mod.rule
        out[r.code] = Code(code=r.code, name=r.name, severity=r.severity, summary=r.summary)
    return dict(sorted(out.items()))


def resolve(word: str) -> set[str]:
    """Codes meant by a code (KA201), a name (duplicate-vrid) or a prefix (KA2, KA20; KA is
    every code)."""
    codes = all_codes()
    word = word.strip()
    if word in codes:
        return {word}
    by_name = {c.name: c.code for c in codes.values()}
    if word in by_name:
        return {by_name[word]}
    if word.upper().startswith("KA") and len(word) < 5 and (word[2:].isdigit() or len(word) == 2):
        return {c for c in codes if c.startswith(word.upper())}
    return set()


def explanation(code: str) -> str:
    from kaconf.rules import RULES
    from kaconf.rules.reading import EXPLANATIONS

    for mod in RULES:
        if mod.rule.code == code:
            return mod.rule.explanation
    return EXPLANATIONS.get(code, "")


def default_severity(code: str) -> Severity:
    return all_codes()[code].severity
