"""The rules, registered explicitly: one module per rule, listed here in code order.

A rule module holds `RULE` (kaconf.rules.base.Rule) and `check(config)`, a generator of
diagnostics for one file, or `check_cluster(cluster)` (and `check_network`) for MASTER/BACKUP
clusters. Add a module to its subject's tuple below and give it fixtures under
tests/rules/cases/<CODE>/ (fires_*.conf and quiet_*.conf).

The cluster rules are listed by name and imported when a cluster forms or every rule is
asked for (RULES): a lint of one file never runs them, and their 18 modules are a tenth of
its start-up.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from types import ModuleType
from typing import Any

from kaconf.rules import (
    ka201_duplicate_vrid,
    ka202_nopreempt_with_master,
    ka203_auth_pass_truncated,
    ka204_auth_ignored,
    ka205_undefined_reference,
    ka206_unused_definition,
    ka207_priority_weight_arithmetic,
    ka208_unicast_self_peer,
    ka209_mixed_address_family,
    ka210_strict_without_accept,
    ka211_priority_owner,
    ka212_duplicate_vip,
    ka301_vs_not_on_vip,
    ka302_dr_port_mismatch,
    ka303_duplicate_real_server,
    ka304_real_server_is_vip,
    ka305_empty_pool,
    ka306_no_health_check,
    ka307_check_timeout_exceeds_delay,
    ka308_all_weights_zero,
    ka309_implicit_nat,
    ka310_persistence_surprise,
    ka311_duplicate_virtual_server,
    ka312_check_port_zero,
    ka401_script_security_disabled,
    ka402_weak_auth_pass,
    ka403_relative_script_path,
    ka404_script_args_unquoted,
)
from kaconf.rules.base import RuleModule

# VRRP (KA2xx)
_VRRP: tuple[ModuleType, ...] = (
    ka201_duplicate_vrid,
    ka202_nopreempt_with_master,
    ka203_auth_pass_truncated,
    ka204_auth_ignored,
    ka205_undefined_reference,
    ka206_unused_definition,
    ka207_priority_weight_arithmetic,
    ka208_unicast_self_peer,
    ka209_mixed_address_family,
    ka210_strict_without_accept,
    ka211_priority_owner,
    ka212_duplicate_vip,
)

# LVS virtual/real servers and checkers (KA3xx)
_LVS: tuple[ModuleType, ...] = (
    ka301_vs_not_on_vip,
    ka302_dr_port_mismatch,
    ka303_duplicate_real_server,
    ka304_real_server_is_vip,
    ka305_empty_pool,
    ka306_no_health_check,
    ka307_check_timeout_exceeds_delay,
    ka308_all_weights_zero,
    ka309_implicit_nat,
    ka310_persistence_surprise,
    ka311_duplicate_virtual_server,
    ka312_check_port_zero,
)

# scripts and security (KA4xx)
_SECURITY: tuple[ModuleType, ...] = (
    ka401_script_security_disabled,
    ka402_weak_auth_pass,
    ka403_relative_script_path,
    ka404_script_args_unquoted,
)

# MASTER/BACKUP clusters (KA5xx): modules with check_cluster(cluster), imported on first use
_CLUSTER: tuple[str, ...] = (
    "ka501_vrid_mismatch",
    "ka502_auth_mismatch",
    "ka503_advert_int_mismatch",
    "ka504_vrrp_version_mismatch",
    "ka505_vip_mismatch",
    "ka506_priority_inversion",
    "ka507_state_conflict",
    "ka508_unicast_asymmetry",
    "ka509_instance_missing_on_peer",
    "ka510_lvs_drift",
    "ka511_duplicate_router_id",
    "ka512_failover_impossible",
    "ka513_vrid_collision",
    "ka514_down_timer_mismatch",
    "ka515_mcast_group_mismatch",
    "ka516_sync_group_mismatch",
)


def _registered(modules: Iterable[ModuleType]) -> tuple[RuleModule, ...]:
    return tuple(
        RuleModule(m.RULE, getattr(m, "check", None), getattr(m, "check_cluster", None),
                   getattr(m, "check_network", None), m.__name__)
        for m in sorted(modules, key=lambda m: m.RULE.code))


# the rules that check one file, in code order
FILE_RULES = _registered(_VRRP + _LVS + _SECURITY)


@cache
def cluster_rules() -> tuple[RuleModule, ...]:
    """The rules that check clusters, in code order (their modules imported now)."""
    from importlib import import_module

    return _registered(import_module(f"kaconf.rules.{name}") for name in _CLUSTER)


class _ClusterRules(Sequence[RuleModule]):
    """cluster_rules() as a sequence that imports them when first read."""

    def __getitem__(self, index: Any) -> Any:
        return cluster_rules()[index]

    def __len__(self) -> int:
        return len(cluster_rules())


CLUSTER_RULES: Sequence[RuleModule] = _ClusterRules()


def __getattr__(name: str) -> tuple[RuleModule, ...]:
    """RULES, every rule in code order, is made on first use (it imports the cluster rules)."""
    if name != "RULES":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    rules = tuple(sorted(FILE_RULES + cluster_rules(), key=lambda m: m.rule.code))
    globals()["RULES"] = rules
    return rules
