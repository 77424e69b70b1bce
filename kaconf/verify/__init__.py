"""kaconf verify: read what directors run (ipvsadm, ip addr) and diff it with the configuration."""
from __future__ import annotations


class VerifyError(Exception):
    """What stops a verify run: saved output that is not a listing, a missing folder, a host
    name that is not one. The message names the file and line and is safe to print."""
