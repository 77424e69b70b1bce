"""Diagnostics of the keyword table: what kaconf.grammar.structure, kaconf.checks and
kaconf.node_checks raise about keywords, their place, their arguments and their values.

Each code is declared once, with the page `kaconf explain` shows; kaconf.registry lists
this module."""
from __future__ import annotations

from kaconf.diagnostics import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


VALUE_CUT = Code(code="KA007", name="value-cut-by-comment", severity=W,
    summary='a # or ! glued to a value, which keepalived reads as a comment',
    explanation="""A `#` or `!` glued to the end of a value, which keepalived reads as a comment.

## Why it matters
`#` and `!` start a comment anywhere outside double quotes, even in the middle of a word:
`auth_pass ab!cdef` sets the password `ab`, and a URL path `/status#ok` is checked as
`/status`, without a word from keepalived. Double quotes keep the characters.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        authentication {
            auth_type PASS
            auth_pass Kx7!pQ2v
        }
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        authentication {
            auth_type PASS
            auth_pass "Kx7!pQ2v"
        }
    }
""")

UNKNOWN_KEYWORD = Code(code="KA101", name="unknown-keyword", severity=E,
    summary='a keyword keepalived does not know',
    explanation="""A keyword keepalived does not know, in any block (or not in the target version).

## Why it matters
keepalived prints `Unknown keyword` and ignores the line, so the setting you wrote does
nothing. Keywords are case-sensitive. kaconf suggests the closest keyword it knows.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priorty 150
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priority 150
    }
""")

MISPLACED_KEYWORD = Code(code="KA102", name="misplaced-keyword", severity=E,
    summary='a known keyword in a block where keepalived does not accept it',
    explanation="""A known keyword in a block where keepalived does not accept it.

## Why it matters
keepalived looks a keyword up only among the keywords of the current block: in any other
block it is `Unknown keyword` and ignored. Often the cause is a brace problem that put the
line in the wrong block.

## Bad
    virtual_server 10.0.0.1 80 {
        connect_port 80
        real_server 10.0.0.2 80 {
        }
    }

## Good
    virtual_server 10.0.0.1 80 {
        real_server 10.0.0.2 80 {
            TCP_CHECK {
                connect_port 80
            }
        }
    }
""")

REMOVED_KEYWORD = Code(code="KA103", name="removed-keyword", severity=E,
    summary='a keyword that keepalived 2.x no longer accepts',
    explanation="""A keyword keepalived 2.x no longer accepts.

## Why it matters
keepalived reports `Unknown keyword` and ignores it. Most have a replacement: `nb_get_retry`
is `retry`, `lvs_id` is `router_id`; `nat_mask` has none. `kaconf lint --fix` rewrites the
ones with a replacement.

## Bad
    virtual_server 10.0.0.1 80 {
        real_server 10.0.0.2 80 {
            TCP_CHECK {
                nb_get_retry 3
            }
        }
    }

## Good
    virtual_server 10.0.0.1 80 {
        real_server 10.0.0.2 80 {
            TCP_CHECK {
                retry 3
            }
        }
    }
""")

DEPRECATED_KEYWORD = Code(code="KA104", name="deprecated-keyword", severity=W,
    summary='a keyword keepalived still accepts but has replaced',
    explanation="""A keyword keepalived still accepts but has replaced.

## Why it matters
Where keepalived itself warns (for example `nb_get_retry` in HTTP_GET) this is a warning.
Synonyms that are only documented as deprecated and accepted silently (`lb_algo`, `lb_kind`)
are an info hint. `kaconf lint --fix` writes the current keyword.

## Bad
    global_defs {
        lvs_flush_onstop
    }

## Good
    global_defs {
        lvs_flush_on_stop
    }
""")

WRONG_ARITY = Code(code="KA105", name="wrong-arity", severity=E,
    summary='too few or too many arguments for a keyword',
    explanation="""Too few or too many arguments for a keyword.

## Why it matters
A keyword without its value makes keepalived stop reading the configuration (exit status 2).
Extra words are silently ignored, which hides mistakes such as a password with a blank in
it, or `nopreempt false` (keepalived 2.2.7 ignores `false` and turns nopreempt on).

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priority
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priority 100
    }
""")

INVALID_VALUE = Code(code="KA106", name="invalid-value", severity=E,
    summary='a value keepalived rejects (bad enum, number or address)',
    explanation="""A value keepalived rejects: a bad enum (values are case-sensitive), a non-number,
or a malformed address.

## Why it matters
keepalived ignores the value or falls back to a default: `state master` becomes BACKUP,
`lb_kind dr` is rejected and the virtual server uses NAT.

## Bad
    virtual_server 10.0.0.1 80 {
        lb_kind dr
        real_server 10.0.0.2 80 {
        }
    }

## Good
    virtual_server 10.0.0.1 80 {
        lb_kind DR
        real_server 10.0.0.2 80 {
        }
    }
""")

OUT_OF_RANGE = Code(code="KA107", name="out-of-range", severity=E,
    summary='a number outside the range keepalived accepts',
    explanation="""A number outside the range keepalived accepts.

## Why it matters
keepalived rejects the value and keeps its default, or rejects the whole block:
`virtual_router_id 0` leaves the instance without an id, and VRRP validation stops there.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 0
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    }
""")

DUPLICATE_KEYWORD = Code(code="KA108", name="duplicate-keyword", severity=W,
    summary='a keyword given twice in one block; only one value is used',
    explanation="""A keyword given twice in one block.

## Why it matters
Only one value is used (for most keywords the last one, for scripts the first one), so the
other line is dead and misleading.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priority 100
        priority 150
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priority 150
    }
""")

DUPLICATE_NAME = Code(code="KA109", name="duplicate-name", severity=E,
    summary='two blocks of one kind with the same name',
    explanation="""Two blocks of one kind with the same name.

## Why it matters
keepalived skips a second vrrp_instance, vrrp_sync_group, track_group or bfd_instance of
the same name whole; for vrrp_script and the others the first one wins on lookup.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    }
    vrrp_instance VI_1 {
        interface eth1
        virtual_router_id 52
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    }
    vrrp_instance VI_2 {
        interface eth1
        virtual_router_id 52
    }
""")

MISSING_REQUIRED = Code(code="KA110", name="missing-required", severity=E,
    summary='a block without a keyword keepalived requires',
    explanation="""A block without a keyword keepalived requires.

## Why it matters
A vrrp_instance without `virtual_router_id` (or, in 2.2.7, `interface`) is rejected and
VRRP validation stops there; an HTTP_GET without `url` crashes keepalived 2.2.7; a
vrrp_script without `script` is removed.

## Bad
    vrrp_instance VI_1 {
        virtual_router_id 51
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    }
""")

CODES: tuple[Code, ...] = (
    VALUE_CUT,
    UNKNOWN_KEYWORD,
    MISPLACED_KEYWORD,
    REMOVED_KEYWORD,
    DEPRECATED_KEYWORD,
    WRONG_ARITY,
    INVALID_VALUE,
    OUT_OF_RANGE,
    DUPLICATE_KEYWORD,
    DUPLICATE_NAME,
    MISSING_REQUIRED,
)
