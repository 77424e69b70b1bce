"""drill: the cluster's failover rehearsed on its own configurations, in a throw-away lab of
network namespaces running Debian's keepalived (plan -> lab -> steps -> timeline)."""
from __future__ import annotations


class DrillError(Exception):
    """The drill could not run (not root, no keepalived, no namespaces, names in use, a file
    that cannot be read): one line for the user, exit status 2."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived while the lab was up: unwind, removing everything."""
