"""A script's program is not an absolute path.

## Why it matters
keepalived starts scripts itself, without your login shell: a bare name such as `killall`
is looked up in the PATH keepalived was started with (the service manager's, not yours), so
a command that works at your prompt may not be found on the director, or may find another
program of that name earlier in that PATH. A name with a slash (`./check.sh`) is relative to
keepalived's working directory, not to the config file. For a quoted command, the program
is the first word inside the quotes.

## Bad
    vrrp_script chk_haproxy {
        script "killall -0 haproxy"
    }

## Good
    vrrp_script chk_haproxy {
        script "/usr/bin/killall -0 haproxy"
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule
from kaconf.rules.ka4xx_scripts import script_commands

RULE = Rule(code="KA403", name="relative-script-path", severity=Severity.WARNING,
            summary="script run by a relative name instead of an absolute path",
            explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    for cmd in script_commands(config):
        program, span = cmd.program()
        if not program or program.startswith("/"):
            continue
        if "/" in program:
            how = ", a path relative to keepalived's working directory, not to this file"
            fix = "write the absolute path"
        else:
            how = " by a bare name that keepalived looks up in its own PATH, not your shell's"
            fix = f"write the absolute path, such as /usr/bin/{program}"
        yield RULE.at(span, f"{cmd.where} runs '{program}'{how}; {fix}")
