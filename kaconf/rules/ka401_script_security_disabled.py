"""Scripts are configured but global_defs lacks enable_script_security.

## Why it matters
Every script keepalived runs (vrrp_script, notify*, MISC_CHECK misc_path, quorum_up/down,
notify_up/down, startup and fifo scripts) runs as root or as `script_user`. Without
`enable_script_security`, keepalived does not check that a non-root user cannot edit the
script or a directory on its path, so whoever can write one of them owns the director.
keepalived says `SECURITY VIOLATION - scripts are being executed but script_security not
enabled`, and `keepalived -t` exits with status 6, which fails a deployment that checks
the file first. (keepalived only says so for scripts that exist on the host it runs on: a
check on a build machine without the scripts passes, the director then fails.)

## Bad
    vrrp_script chk_haproxy {
        script "/usr/bin/killall -0 haproxy"
    }

## Good
    global_defs {
        enable_script_security
        script_user keepalived_script
    }
    vrrp_script chk_haproxy {
        script "/usr/bin/killall -0 haproxy"
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config
from kaconf.rules.base import Rule
from kaconf.rules.ka4xx_scripts import script_commands

RULE = Rule(code="KA401", name="script-security-disabled",
            summary="scripts configured without enable_script_security", explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    if config.global_defs is not None and config.global_defs.enable_script_security:
        return
    scripts = script_commands(config)
    if not scripts:
        return
    first = scripts[0]
    if len(scripts) == 1:
        what = f"{first.where} is configured"
    else:
        what = f"{len(scripts)} scripts are configured (the first: {first.where})"
    related = []
    if config.global_defs is not None:
        related.append(Related(span=config.global_defs.span,
                               note="add enable_script_security to this global_defs"))
    yield RULE.at(first.node.full_span,
                  f"{what} but global_defs has no enable_script_security; on a host where the "
                  "scripts exist keepalived -t fails with SECURITY VIOLATION (exit 6): add "
                  "enable_script_security to global_defs",
                  related=related)
