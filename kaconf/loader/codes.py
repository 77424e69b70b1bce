"""Diagnostics the loader raises: reading files, includes, parameters and sequences.

Each code is declared once, with the page `kaconf explain` shows; kaconf.registry lists
this module."""
from __future__ import annotations

from kaconf.diagnostics import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


SYNTAX_ERROR = Code(code="KA001", name="syntax-error", severity=E,
    summary='braces or quotes that keepalived cannot pair up',
    explanation="""Braces or quotes that keepalived cannot pair up.

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
""")

INCLUDE_NOT_FOUND = Code(code="KA002", name="include-not-found", severity=W,
    summary='an include pattern that matches no file',
    explanation="""An include pattern that matches no file.

## Why it matters
Plain `include` skips a missing file silently, so the configuration you meant to load is not
there. `includem`, `includew` and `includea` make keepalived refuse to start instead.
Relative patterns are resolved from the directory of the file that contains the include.

## Bad
    include conf.d/*.conf.missing-dir/x.conf

## Good
    include conf.d/*.conf
""")

INCLUDE_CYCLE = Code(code="KA003", name="include-cycle", severity=E,
    summary='a file that includes itself, directly or through others',
    explanation="""A file that includes itself, directly or through other files.

## Why it matters
keepalived keeps no record of the files it is reading: an include cycle makes it read the
same files again and again until it runs out of memory.

## Bad
    include keepalived.conf

## Good
    include conf.d/*.conf
""")

UNREADABLE_FILE = Code(code="KA004", name="unreadable-file", severity=E,
    summary='a file that is missing, a directory, unreadable or not text',
    explanation="""A file that is missing, a directory, unreadable, or not text.

## Why it matters
kaconf cannot check what it cannot read, and neither can keepalived start from it. For the
top-level file kaconf exits with status 2.

## Bad
    include /etc/keepalived/conf.d/binary.bin

## Good
    include /etc/keepalived/conf.d/*.conf
""")

UNDEFINED_PARAMETER = Code(code="KA005", name="undefined-parameter", severity=E,
    summary='a ${NAME} reference with no $NAME= definition',
    explanation="""A `${NAME}` reference with no `$NAME=` definition before it.

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
""")

BAD_SEQUENCE = Code(code="KA006", name="invalid-sequence", severity=E,
    summary='a ~SEQ or ~LST line keepalived cannot expand',
    explanation="""A `~SEQ` or `~LST` line keepalived cannot expand.

## Why it matters
keepalived reports an invalid sequence and drops the line, so none of the lines it should
have generated exist.

## Bad
    ~SEQ(N, 1, 0, 5) $X=1

## Good
    ~SEQ(N, 1, 1, 5) $X=1
""")

INCLUDE_REFUSED = Code(code="KA010", name="include-outside-root", severity=W,
    summary=('an include kaconf does not read: outside the include root, or under /proc, '
             '/sys or /dev'),
    explanation="""An include kaconf does not read: outside the include root, or under /proc, /sys
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
""")

LIMIT_EXCEEDED = Code(code="KA011", name="limit-exceeded", severity=E,
    summary='a file or its includes are too big or too deep for kaconf to read whole',
    explanation="""A file or its includes are too big or too deep for kaconf to read whole.

## Why it matters
kaconf stops instead of hanging or running out of memory: a file over 10 MB
(`max-file-size` in the settings raises it), more than 50 MB included from one file, more
than 1000 included files or includes 32 deep, an include pattern with more than 256 brace
alternatives or 1000 matches, sequences and multi-line parameters that make more than
20,000 lines, or a file with more than 500,000 braces. The same finding more than 500 times
in one file is shown 500 times and then counted (an info KA011). What lies past a limit is
not checked. keepalived itself would take a
very long time or much memory on such a file.

## Bad
    include {a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}.conf

## Good
    include conf.d/{vrrp,lvs}.conf
""")

CODES: tuple[Code, ...] = (
    SYNTAX_ERROR,
    INCLUDE_NOT_FOUND,
    INCLUDE_CYCLE,
    UNREADABLE_FILE,
    UNDEFINED_PARAMETER,
    BAD_SEQUENCE,
    INCLUDE_REFUSED,
    LIMIT_EXCEEDED,
)
