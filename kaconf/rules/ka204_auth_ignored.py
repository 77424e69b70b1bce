"""authentication on an instance where keepalived ignores it: VRRP version 3 or strict mode.

## Why it matters
VRRPv3 (RFC 5798) has no authentication field, and strict mode follows the RFCs to the
letter, so keepalived drops the block (`VRRP version 3 does not support authentication.
Ignoring.` / `Strict mode does not support authentication. Ignoring.`). Adverts go out
unauthenticated while the file suggests otherwise, and a peer that still runs VRRPv2 with a
password will not accept them. An IPv6 instance is version 3 unless it says `version 2`;
`vrrp_version 3` in global_defs makes every IPv4 instance version 3 too.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        version 3
        authentication {
            auth_type PASS
            auth_pass Kx7pQ2vA
        }
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        version 3
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import strict_span, version

RULE = Rule(code="KA204", name="auth-ignored", severity=Severity.WARNING,
            summary="authentication that keepalived ignores (VRRP version 3 or strict mode)",
            explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    for inst in config.vrrp_instances:
        auth = inst.authentication
        if auth is None or auth.auth_type not in ("PASS", "AH"):
            continue  # no type: keepalived has no authentication to drop
        strict = strict_span(config, inst)
        ver, ver_span = version(config, inst)
        if strict is not None:
            reason, why = "strict mode", Related(span=strict, note="strict mode is set here")
        elif ver == 3 and ver_span is not None:
            reason, why = "VRRP version 3", Related(span=ver_span, note="this makes it version 3")
        else:
            continue
        yield RULE.at(auth.arg_span("auth_type"),
                      f"authentication (auth_type {auth.auth_type}) of {inst.name} is ignored: "
                      f"keepalived does not support it with {reason}, so adverts go out "
                      "unauthenticated; remove the authentication block (or use VRRPv2 "
                      "without strict mode on every director)", related=[why])
