"""The directors of one instance authenticate differently, or only one authenticates.

## Why it matters
keepalived drops every advert whose authentication type or password (its first 8
characters, all that VRRPv2 carries) differs from its own (`received an invalid passwd!`,
`received a 0 auth, expecting 1!`). The BACKUP never hears the MASTER and takes the VIP
too: both directors answer for it.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
    @lb1    authentication {
    @lb1        auth_type PASS
    @lb1        auth_pass Kx7pQ2vA
    @lb1    }
        virtual_ipaddress {
            192.0.2.10/24
        }
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
        authentication {
            auth_type PASS
            auth_pass Kx7pQ2vA
        }
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.cluster import Cluster, Member
from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import against_reference, is_strict, name_span, titled, version

RULE = Rule(code="KA502", name="auth-mismatch",
            summary="one instance, different authentication on the directors",
            explanation=__doc__ or "")


def in_use(member: Member, inst: VrrpInstance) -> tuple[str, str] | None:
    """(type, first 8 characters of the password) as keepalived sends it, or None: without a
    known type (PASS or AH, case matters) or a password, with VRRPv3 or in strict mode it
    sends no authentication (V15)."""
    auth = inst.authentication
    if auth is None or auth.auth_type not in ("PASS", "AH") or not auth.auth_pass:
        return None
    if version(member.config, inst)[0] == 3 or is_strict(member.config, inst):
        return None
    return auth.auth_type, auth.auth_pass[:8]


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        for member, inst, ref_member, ref in against_reference(s):
            if version(member.config, inst)[0] != version(ref_member.config, ref)[0]:
                continue  # a version mismatch is KA504's finding
            mine, theirs = in_use(member, inst), in_use(ref_member, ref)
            here, there = member.label, ref_member.label
            if mine == theirs:
                continue
            if mine is None or theirs is None:
                yield (_one_sided(inst, here, ref, there) if mine
                       else _one_sided(ref, there, inst, here))
            elif mine[0] != theirs[0]:
                yield _differs(inst, ref, there, "auth_type", f"auth_type {mine[0]} on {here} but "
                               f"{theirs[0]} on {there}", f"{there} uses auth_type {theirs[0]}")
            else:
                yield _differs(inst, ref, there, "auth_pass",
                               f"an auth_pass on {here} that differs from {there}'s in the "
                               "first 8 characters (the only ones sent)", f"{there}'s auth_pass")


def _one_sided(has: VrrpInstance, who: str, lacks: VrrpInstance, other: str) -> Diagnostic:
    assert has.authentication is not None
    return RULE.at(has.authentication.span,
                   f"{titled(has, lacks, other)} authenticates on {who} but not on {other}: each "
                   "drops the other's adverts and both take the VIP; use the same "
                   "authentication block on both, or none",
                   related=[Related(span=name_span(lacks),
                                    note=f"{other} sends no authentication")])


def _differs(inst: VrrpInstance, ref: VrrpInstance, there: str, keyword: str, what: str,
             note: str) -> Diagnostic:
    assert inst.authentication is not None and ref.authentication is not None
    return RULE.at(inst.authentication.arg_span(keyword),
                   f"{titled(inst, ref, there)} has {what}: each drops the other's adverts and "
                   "both take the VIP; make them equal",
                   related=[Related(span=ref.authentication.arg_span(keyword), note=note)])
