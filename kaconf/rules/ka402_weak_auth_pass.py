"""auth_pass is a well-known password or shorter than 6 characters.

## Why it matters
VRRP PASS authentication does not hide anything (the password travels in clear); what it
does is keep two clusters on one network apart. The tutorial passwords (`1111`, `1234`,
`password`, `keepalived`...) are in countless copied configurations, so a second cluster
on the same network that also copied `virtual_router_id 51` accepts this one's adverts: one
of them loses its VIP, or both hold it. A short password collides just as easily. keepalived
compares only the first 8 characters, so `password123` counts as `password`.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        authentication {
            auth_type PASS
            auth_pass 1111
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

RULE = Rule(code="KA402", name="weak-auth-pass", severity=Severity.WARNING,
            summary="auth_pass that is well known or shorter than 6 characters",
            explanation=__doc__ or "")

MIN_LENGTH = 6
# compared in lower case, on the whole value and on the 8 characters keepalived keeps
WELL_KNOWN = frozenset({
    "0000", "1111", "1234", "12345", "123456", "1234567", "12345678", "123456789", "87654321",
    "00000000", "11111111", "abc123", "abcdefgh", "admin", "admin123", "changeme", "default",
    "keepalived", "keepaliv", "letmein", "pass", "passw0rd", "password", "qwerty", "qwertyui",
    "root", "secret", "secret12", "test", "test1234", "vrrp", "vrrppass",
})


def is_well_known(password: str) -> bool:
    low = password.lower()
    return low in WELL_KNOWN or low[:8] in WELL_KNOWN or len(set(low[:8])) == 1


def check(config: Config) -> Iterator[Diagnostic]:
    # the messages never quote the password: the finding is about its quality, not its value
    for inst in config.vrrp_instances:
        auth = inst.authentication
        if auth is None or not auth.auth_pass:
            continue  # a missing auth_pass is another rule's finding
        if is_well_known(auth.auth_pass):
            why = "is a well-known password"
        elif len(auth.auth_pass) < MIN_LENGTH:
            why = f"has only {len(auth.auth_pass)} characters"
        else:
            continue
        yield RULE.at(auth.arg_span("auth_pass"),
                      f"auth_pass of {inst.name} {why}; use 8 random characters, the same on "
                      "every director of this VRID")
