"""A vrrp_script or virtual_server_group that nothing uses.

## Why it matters
keepalived removes a vrrp_script that no vrrp_instance or vrrp_sync_group tracks (only a
runtime log says `script chk is not used`; `keepalived -t` is silent), and a
virtual_server_group that no `virtual_server group NAME` names configures nothing. Usually
the track_script entry or the virtual_server was forgotten, or the name is misspelt, and the
health check you rely on does not run.

## Bad
    vrrp_script chk_nginx {
        script "/usr/bin/pgrep nginx"
    }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    }

## Good
    vrrp_script chk_nginx {
        script "/usr/bin/pgrep nginx"
    }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        track_script {
            chk_nginx
        }
    }
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import name_span

MESSAGES = {
    "vrrp_script": "vrrp_script {name} is tracked by no vrrp_instance or vrrp_sync_group, so "
                   "keepalived never runs it: add it to a track_script block or delete it",
    "virtual_server_group": "virtual_server_group {name} is used by no virtual_server, so it "
                            "configures nothing: add 'virtual_server group {name} {{ ... }}' "
                            "or delete it",
}
RULE = Rule(code="KA206", name="unused-definition", severity=Severity.WARNING,
            summary="a vrrp_script or virtual_server_group that nothing uses",
            explanation=__doc__ or "")


def mentioned(config: Config, names: set[str]) -> set[str]:
    """The `names` written as a word outside vrrp_script and virtual_server_group blocks. A use
    the model cannot see (a track_script block knocked out of its instance by a brace mistake)
    still counts: the mistake is another rule's finding, and one mistake should make one
    finding."""
    found: set[str] = set()
    tops = config.node.children if config.node is not None else []
    stack = [top for top in tops if top.keyword not in ("vrrp_script", "virtual_server_group")]
    while stack and len(found) < len(names):
        node = stack.pop()
        if node.keyword in names:
            found.add(node.keyword)
        for word in node.args:
            if word.value in names:
                found.add(word.value)
        stack += node.children
    return found


def check(config: Config) -> Iterator[Diagnostic]:
    if config.missing_includes:
        return  # what looks absent may be in a file the include did not find (KA002)
    defined = config.vrrp_scripts + config.virtual_server_groups
    used = mentioned(config, {b.name for b in defined}) if defined else set()
    for kind, blocks in (("vrrp_script", config.vrrp_scripts),
                         ("virtual_server_group", config.virtual_server_groups)):
        names = Counter(b.name for b in blocks)   # one count per name: 100,000 blocks is linear
        for block in blocks:
            if block.name in used or names[block.name] > 1:
                continue  # a second block of one name is KA109's finding
            yield RULE.at(name_span(block), MESSAGES[kind].format(name=block.name))
