"""An undefined `$NAME` without braces: keepalived leaves it in the line as written, so the
address, name or number it stood for becomes the text `$NAME` (a VIP that is skipped, a
virtual_server that is refused). Reported where that is a mistake, not where `$` belongs to
the shell or to a password."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from kaconf.secrets import SECRET_KEYWORDS


@lru_cache(maxsize=1)
def shell_keywords() -> frozenset[str]:
    """Keywords whose arguments are a command line (script, notify_master, misc_path, ...)."""
    from kaconf.keywords import table

    return frozenset(k for k, rows in table().anywhere.items()
                     if any(r.value == "script" for r in rows))


def bare_reference_problem(text: str, m: re.Match[str], defined: Iterable[str]) -> str | None:
    """The message for the undefined bare reference `m` in the line `text`, or None when it
    is inside a double-quoted string, a word (`pa$word`), a command line or a secret."""
    start = m.start()
    if text.count('"', 0, start) % 2 or (start and text[start - 1] not in " \t"):
        return None
    first = text.split(None, 1)[0] if text.strip() else ""
    if first in SECRET_KEYWORDS or first in shell_keywords():
        return None
    name = m.group("name")
    import difflib  # imported on use: not paid by every start-up
    close = difflib.get_close_matches(name, list(defined), n=1, cutoff=0.6)
    hint = f"; did you mean '${close[0]}'?" if close else (
        f"; define it first with '${name}=VALUE'")
    return (f"parameter '{name}' is not defined; keepalived keeps '${name}' literally, so "
            f"this line does not say what was meant{hint}")
