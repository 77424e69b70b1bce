"""The rules, registered explicitly: one module per rule, listed here in code order.

A rule module holds `RULE` (kaconf.rules.base.Rule) and `check(config)`, a generator of
diagnostics for one file. Add a module to its subject's tuple below and give it fixtures
under tests/rules/cases/<CODE>/ (fires_*.conf and quiet_*.conf).
"""
from __future__ import annotations

from types import ModuleType

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
    ka501_vrid_mismatch,
    ka502_auth_mismatch,
    ka503_advert_int_mismatch,
    ka504_vrrp_version_mismatch,
    ka505_vip_mismatch,
    ka506_priority_inversion,
    ka507_state_conflict,
    ka508_unicast_asymmetry,
    ka509_instance_missing_on_peer,
    ka510_lvs_drift,
    ka511_duplicate_router_id,
    ka512_failover_impossible,
    ka513_vrid_collision,
    ka514_down_timer_mismatch,
    ka515_mcast_group_mismatch,
    ka516_sync_group_mismatch,
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

# MASTER/BACKUP clusters (KA5xx): modules with check_cluster(cluster)
_CLUSTER: tuple[ModuleType, ...] = (
    ka501_vrid_mismatch,
    ka502_auth_mismatch,
    ka503_advert_int_mismatch,
    ka504_vrrp_version_mismatch,
    ka505_vip_mismatch,
    ka506_priority_inversion,
    ka507_state_conflict,
    ka508_unicast_asymmetry,
    ka509_instance_missing_on_peer,
    ka510_lvs_drift,
    ka511_duplicate_router_id,
    ka512_failover_impossible,
    ka513_vrid_collision,
    ka514_down_timer_mismatch,
    ka515_mcast_group_mismatch,
    ka516_sync_group_mismatch,
)

RULES: tuple[RuleModule, ...] = tuple(
    RuleModule(m.RULE, getattr(m, "check", None), getattr(m, "check_cluster", None),
               getattr(m, "check_network", None), m.__name__)
    for m in sorted(_VRRP + _LVS + _SECURITY + _CLUSTER, key=lambda m: m.RULE.code))
