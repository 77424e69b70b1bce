"""auth_pass is longer than 8 characters; keepalived keeps only the first 8.

## Why it matters
VRRP simple authentication carries 8 bytes. keepalived truncates a longer password (and
says so), so `SecretPass1` and `SecretPass2` are the same password, and a peer configured
with the full string elsewhere may not match what is really sent.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        authentication {
            auth_type PASS
            auth_pass Kx7pQ2vAb9
        }
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        authentication {
            auth_type PASS
            auth_pass Kx7pQ2vA
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule

RULE = Rule(code="KA203", name="auth-pass-truncated", severity=Severity.WARNING,
            summary="auth_pass longer than the 8 characters keepalived uses",
            explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    for inst in config.vrrp_instances:
        auth = inst.authentication
        if auth is None or auth.auth_pass is None or len(auth.auth_pass) <= 8:
            continue
        yield RULE.at(auth.arg_span("auth_pass"),
                      f"auth_pass of {inst.name} has {len(auth.auth_pass)} characters; keepalived "
                      "uses only the first 8, so shorten it to 8 on every director")
