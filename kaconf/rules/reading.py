"""Explanations of the reading (KA0xx), keyword-table (KA1xx) and engine codes, for
`kaconf explain`. Their checks live in the loader, the structure builder and checks.py."""
from __future__ import annotations

EXPLANATIONS: dict[str, str] = {
    "KA001": """Braces or quotes that keepalived cannot pair up.

## Why it matters
keepalived groups blocks by keyword, not by counting braces. A `{` after a keyword that
takes no block is ignored, so its `}` closes the enclosing block early and every line after
it lands one level up. A missing `}` closes blocks at the end of the file; an extra `}` at the
top level is ignored. An unterminated double quote swallows the rest of the line.

## Bad
    virtual_server 10.0.0.1 80 {
        real_server 10.0.0.2 80 {
            SMTP_CHEKC {}
            weight 1
        }
    }

## Good
    virtual_server 10.0.0.1 80 {
        real_server 10.0.0.2 80 {
            weight 1
        }
    }
""",
    "KA002": """An include pattern that matches no file.

## Why it matters
Plain `include` skips a missing file silently, so the configuration you meant to load is not
there. `includem`, `includew` and `includea` make keepalived refuse to start instead.
Relative patterns are resolved from the directory of the file that contains the include.

## Bad
    include conf.d/*.conf.missing-dir/x.conf

## Good
    include conf.d/*.conf
""",
    "KA003": """A file that includes itself, directly or through other files.

## Why it matters
keepalived keeps no record of the files it is reading: an include cycle makes it read the
same files again and again until it runs out of memory.

## Bad
    include keepalived.conf

## Good
    include conf.d/*.conf
""",
    "KA004": """A file that is missing, a directory, unreadable, or not text.

## Why it matters
kaconf cannot check what it cannot read, and neither can keepalived start from it. For the
top-level file kaconf exits with status 2.

## Bad
    include /etc/keepalived/conf.d/binary.bin

## Good
    include /etc/keepalived/conf.d/*.conf
""",
    "KA005": """A `${NAME}` reference with no `$NAME=` definition before it.

## Why it matters
keepalived leaves an undefined `${NAME}` in the line as it is, and its `{` and `}` then act
as block braces: the enclosing block is closed early and the lines after it are read one
level up (`keepalived -t` then reports the stray braces, not the parameter).

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        state ${ROLE}
    }

## Good
    $ROLE=MASTER
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        state ${ROLE}
    }
""",
    "KA006": """A `~SEQ` or `~LST` line keepalived cannot expand.

## Why it matters
keepalived reports an invalid sequence and drops the line, so none of the lines it should
have generated exist.

## Bad
    ~SEQ(N, 1, 0, 5) $X=1

## Good
    ~SEQ(N, 1, 1, 5) $X=1
""",
    "KA007": """A `#` or `!` glued to the end of a value, which keepalived reads as a comment.

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
""",
    "KA008": """A `kaconf: disable` comment that silences nothing.

## Why it matters
A suppression left behind after the problem was fixed hides the next real problem on that
line. Remove it.

## Bad
    global_defs {
        router_id lb1  # kaconf: disable=KA101
    }

## Good
    global_defs {
        router_id lb1
    }
""",
    "KA009": """A `kaconf: disable` comment naming a code or name kaconf does not have.

## Why it matters
A misspelt code silences nothing, so the finding you meant to silence is still reported,
or worse, you believe something is silenced that is not.

## Bad
    global_defs {
        router_id lb1  # kaconf: disable=KA1O1
    }

## Good
    global_defs {
        router_id lb1
    }
""",
    "KA010": """An include kaconf does not read: outside the include root, or under /proc, /sys
or /dev.

## Why it matters
kaconf runs on files from pull requests, and what it prints (CI logs, SARIF, annotations) is
often public. Reading any file an include names would let a config print the runner's
secrets, so kaconf reads includes only inside the include root: by default the folder of the
settings file (.kaconf.toml or pyproject.toml), else the git work tree holding the file,
else the folder of the file named on the command line. /proc, /sys and /dev are never read.
The included file is not checked; nothing of it is shown. To allow a folder, pass
`--include-root DIR` or set `include-root = "DIR"` in the settings.

## Bad
    include /proc/self/environ

## Good
    include conf.d/*.conf
""",
    "KA011": """A file or its includes are too big or too deep for kaconf to read whole.

## Why it matters
kaconf stops instead of hanging or running out of memory: a file over 10 MB
(`max-file-size` in the settings raises it), more than 50 MB included from one file, more
than 1000 included files or includes 32 deep, an include pattern with more than 256 brace
alternatives or 1000 matches, or sequences and multi-line parameters that make more than
20,000 lines. What lies past the limit is not checked. keepalived itself would take a
very long time or much memory on such a file.

## Bad
    include {a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}.conf

## Good
    include conf.d/{vrrp,lvs}.conf
""",
    "KA101": """A keyword keepalived does not know, in any block (or not in the target version).

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
""",
    "KA102": """A known keyword in a block where keepalived does not accept it.

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
""",
    "KA103": """A keyword keepalived 2.x no longer accepts.

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
""",
    "KA104": """A keyword keepalived still accepts but has replaced.

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
""",
    "KA105": """Too few or too many arguments for a keyword.

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
""",
    "KA106": """A value keepalived rejects: a bad enum (values are case-sensitive), a non-number,
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
""",
    "KA107": """A number outside the range keepalived accepts.

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
""",
    "KA108": """A keyword given twice in one block.

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
""",
    "KA109": """Two blocks of one kind with the same name.

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
""",
    "KA110": """A block without a keyword keepalived requires.

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
""",
    "KA901": """A rule failed on this file.

## Why it matters
This is a bug in kaconf, not in your configuration: the other rules still ran. Please
report it with the file (passwords removed) and the message.
""",
}
