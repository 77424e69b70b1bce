"""A script command with arguments that are not inside one quoted word.

## Why it matters
keepalived hands a script keyword's second word to the script tokenizer and nothing else.
For `script` (vrrp_script) and `misc_path` the words after it are dropped without a word:
`script /usr/bin/killall -0 haproxy` runs `killall` with no arguments, which fails, so the
check always fails. For the notify keywords the third and fourth words are the user and
group to run the script as: `notify_master /usr/local/bin/notify.sh MASTER` makes keepalived
look for a user called `MASTER` and drop the script at run time, with a message only in the
log (`keepalived -t` says nothing). Quote the
whole command: `"/usr/bin/killall -0 haproxy"`.

## Bad
    vrrp_script chk_haproxy {
        script /usr/bin/killall -0 haproxy
    }

## Good
    vrrp_script chk_haproxy {
        script "/usr/bin/killall -0 haproxy"
    }
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic
from kaconf.model import Config
from kaconf.rules.base import Rule
from kaconf.rules.ka4xx_scripts import ScriptCommand, script_commands
from kaconf.source import Span

RULE = Rule(code="KA404", name="script-args-unquoted",
            summary="script arguments outside the quoted command: dropped, or read as a user",
            explanation=__doc__ or "")
DROPS_THE_REST = ("script", "misc_path")
# what could be a user or group name (compiled by re on first use: most files run no script)
USER = r"[a-z_][a-z0-9_-]*\$?"


def words(cmd: ScriptCommand) -> list[str] | None:
    """The words keepalived's script tokenizer sees (both quote kinds, backslash escapes)."""
    text = " ".join(f'"{a.value}"' if a.quoted else a.value for a in cmd.node.args)
    try:
        import shlex  # imported on use: not paid by every start-up
        return shlex.split(text)
    except ValueError:
        return None


def check(config: Config) -> Iterator[Diagnostic]:
    for cmd in script_commands(config):
        found = words(cmd)
        if found is None or len(found) < 2:
            continue
        args = cmd.node.args
        span = _span(args[1].span, args[-1].span) if len(args) > 1 else args[0].span
        rest = " ".join(found[1:])
        if cmd.keyword in DROPS_THE_REST:
            yield RULE.at(span, f"{cmd.where} runs '{found[0]}' alone: keepalived drops "
                                f"'{rest}'; quote the whole command: \"{' '.join(found)}\"")
        elif not re.fullmatch(USER, found[1]) or (len(found) > 2
                                                 and not re.fullmatch(USER, found[2])):
            yield RULE.at(span, f"{cmd.where}: keepalived reads '{found[1]}' as the user to run "
                                "the script as and drops the script at run time; quote the "
                                f"whole command: \"{' '.join(found)}\"")


def _span(first: Span, last: Span) -> Span:
    if first.file == last.file and first.line == last.line:
        return Span(first.file, first.line, first.column, last.end_line, last.end_column)
    return first
