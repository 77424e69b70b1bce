"""The rules, registered explicitly: one module per rule, listed here in code order.

A rule module holds `RULE` (kaconf.rules.base.Rule) and `check(config)`, a generator of
diagnostics for one file. Add a module to its subject's tuple below and give it fixtures
under tests/rules/cases/<CODE>/ (fires_*.conf and quiet_*.conf).
"""
from __future__ import annotations

from types import ModuleType

from kaconf.rules import ka201_duplicate_vrid, ka203_auth_pass_truncated
from kaconf.rules.base import RuleModule

# VRRP (KA2xx)
_VRRP: tuple[ModuleType, ...] = (
    ka201_duplicate_vrid,
    ka203_auth_pass_truncated,
)

# LVS virtual/real servers and checkers (KA3xx)
_LVS: tuple[ModuleType, ...] = (
)

# scripts and security (KA4xx)
_SECURITY: tuple[ModuleType, ...] = (
)

RULES: tuple[RuleModule, ...] = tuple(
    RuleModule(m.RULE, m.check)
    for m in sorted(_VRRP + _LVS + _SECURITY, key=lambda m: m.RULE.code))
