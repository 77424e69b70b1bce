"""Text that came from a director (ipvsadm, ip, a remote shell): made safe to print."""
from __future__ import annotations

import re

# C0 and C1 controls and DEL: a terminal acts on them (escape sequences can move the cursor,
# retitle the window or hide what follows), so they are shown as \xNN escapes instead
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_controls(text: str, limit: int = 200) -> str:
    """`text` with control characters escaped, tabs and newlines included, cut to `limit`
    characters (with a marker saying it was cut)."""
    cut = text[:limit]
    shown = _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", cut)
    shown = shown.replace("\t", "\\t").replace("\n", "\\n")
    return shown + ("..." if len(text) > limit else "")
