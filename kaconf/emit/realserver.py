"""The real servers' half of an LVS cluster: a POSIX shell script (start|stop|status), a
systemd oneshot unit that runs it, and a sysctl.d drop-in.

What a real server needs depends on how the directors reach it:
- DR: the VIP on `lo` (so the server accepts packets addressed to it) while never answering
  ARP for it: arp_ignore=1 and arp_announce=2 on `all` and on the interface facing the
  directors. The kernel uses the larger of `all` and the interface's value, so setting them
  on `lo` alone does nothing.
- TUN: the same, with the VIP on the ipip device `tunl0` (ip6tnl0 for IPv6), and rp_filter
  loose on it and on `all` (decapsulated packets come from clients the tunnel does not route to).
- NAT: no VIP; the replies must go back through the directors, so the default route must
  point at the director-side VIP. The script checks that and says what to change.

The script works out which of the cluster's real-server addresses are on the host it runs
on and sets up only what those need. `stop` restores what `start` found (kept in a state
file under /run), never zeros.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass

SCRIPT = "kaconf-rs.sh"
UNIT = "kaconf-rs.service"
SYSCTL = "90-kaconf-rs.conf"
INSTALL = "/usr/local/sbin/kaconf-rs.sh"


@dataclass(frozen=True, slots=True)
class Server:
    address: str
    method: str            # DR | TUN | NAT
    vips: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Setup:
    cluster: str
    interface: str          # the real servers' interface facing the directors
    gateway: str | None     # NAT: the director-side VIP
    servers: tuple[Server, ...]
    header: str             # what generated it (kaconf version, description file)


def _host(address: str) -> str:
    return f"{address}/{32 if ipaddress.ip_address(address).version == 4 else 128}"


def _sysctl(path: str) -> str:
    """The slash form: an interface name may hold dots (eth0.100), which the dotted form
    would read as separators."""
    return path.replace(".", "/", 3) if path.count(".") == 3 else path


def sysctls(setup: Setup) -> list[tuple[str, str]]:
    """(key, value) of every sysctl the real servers may need, in a fixed order."""
    methods = {s.method for s in setup.servers
               if any(ipaddress.ip_address(v).version == 4 for v in s.vips)}
    out: list[tuple[str, str]] = []
    if methods & {"DR", "TUN"}:
        for dev in ("all", setup.interface):
            out += [(f"net/ipv4/conf/{dev}/arp_ignore", "1"),
                    (f"net/ipv4/conf/{dev}/arp_announce", "2")]
    if "TUN" in methods:
        out += [("net/ipv4/conf/all/rp_filter", "2"), ("net/ipv4/conf/tunl0/rp_filter", "2")]
    return out


def render_script(setup: Setup) -> str:
    servers = "\n".join(f"{s.address} {s.method} {' '.join(_host(v) for v in s.vips)}".rstrip()
                        for s in setup.servers)
    values = {
        "@HEADER@": "\n".join(f"# {line}" if line else "#" for line in setup.header.splitlines()),
        "@CLUSTER@": setup.cluster,
        "@SERVERS@": servers,
        "@IFACE@": setup.interface,
        "@GATEWAY@": setup.gateway or "",
    }
    text = TEMPLATE
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def render_unit(setup: Setup) -> str:
    return "\n".join([
        f"# {line}" if line else "#" for line in setup.header.splitlines()]) + f"""
# Install: cp {SCRIPT} {INSTALL}; cp {UNIT} /etc/systemd/system/;
#          systemctl daemon-reload; systemctl enable --now {UNIT}
[Unit]
Description=LVS real-server setup for cluster {setup.cluster} (kaconf)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart={INSTALL} start
ExecStop={INSTALL} stop

[Install]
WantedBy=multi-user.target
"""


def render_sysctl(setup: Setup) -> str:
    lines = [f"# {line}" if line else "#" for line in setup.header.splitlines()]
    lines.append(f"# Install as /etc/sysctl.d/{SYSCTL} so these survive a reboot; "
                 f"{SCRIPT} start sets them now.")
    found = sysctls(setup)
    if not found:
        lines.append("# No sysctl needed: NAT real servers rely on their default route, and ARP "
                     "does not concern IPv6 VIPs.")
    lines += [f"{key} = {value}" for key, value in found]
    return "\n".join(lines) + "\n"


TEMPLATE = r"""#!/bin/sh
@HEADER@
#
# Real-server setup for LVS cluster @CLUSTER@:
#   start   put the VIPs in place and set the sysctls this host needs (idempotent)
#   stop    restore what start found (kept in $STATE), then forget it
#   status  say what is in place; exit 1 when something is missing
# Uses ip and sysctl only. Run as root.
set -u

CLUSTER='@CLUSTER@'
STATE_DIR=${KACONF_RS_STATE_DIR:-/run/kaconf-rs}
STATE="$STATE_DIR/$CLUSTER.state"
DIRECTOR_IF='@IFACE@'
NAT_GATEWAY='@GATEWAY@'
# one line per real server of the cluster: its address, how the directors reach it, its VIPs
SERVERS='
@SERVERS@
'

say() { printf '%s\n' "kaconf-rs: $*"; }
die() { say "$*" >&2; exit 1; }

# whether ADDRESS (no prefix) is one of this host's addresses: whole addresses, never a
# substring (10.0.0.1 is not 10.0.0.11)
is_local() {
    ip -o addr show | while read -r _ _ _ cidr _; do
        [ "${cidr%/*}" = "$1" ] && echo yes && break
    done | grep -q yes
}

# whether DEV carries exactly CIDR
has_addr() {
    ip -o addr show dev "$1" 2>/dev/null | while read -r _ _ _ cidr _; do
        [ "$cidr" = "$2" ] && echo yes && break
    done | grep -q yes
}

# the lines of SERVERS whose address is on this host
mine() {
    printf '%s\n' "$SERVERS" | while read -r addr method vips; do
        [ -n "$addr" ] || continue
        if is_local "$addr"; then
            printf '%s %s %s\n' "$addr" "$method" "$vips"
        fi
    done
}

# the VIPs (with prefix) this host needs for METHOD, one per line, each once
vips_for() {
    printf '%s\n' "$MINE" | while read -r _ method vips; do
        [ "$method" = "$1" ] || continue
        for vip in $vips; do echo "$vip"; done
    done | sort -u
}

uses() {
    printf '%s\n' "$MINE" | while read -r _ method _; do echo "$method"; done | grep -qx "$1"
}

has_v4() { printf '%s\n' "$1" | grep -q '^[0-9.]*/32$'; }

tunnel_dev() { case "$1" in *:*) echo ip6tnl0 ;; *) echo tunl0 ;; esac; }

# the sysctls this host needs: KEY=VALUE, one per line
wanted_sysctls() {
    dr=$(vips_for DR)
    tun=$(vips_for TUN)
    if has_v4 "$dr" || has_v4 "$tun"; then
        for dev in all "$DIRECTOR_IF"; do
            echo "net/ipv4/conf/$dev/arp_ignore=1"
            echo "net/ipv4/conf/$dev/arp_announce=2"
        done
    fi
    if has_v4 "$tun"; then
        echo "net/ipv4/conf/all/rp_filter=2"
        echo "net/ipv4/conf/tunl0/rp_filter=2"
    fi
}

# the VIPs this host needs: DEV CIDR, one per line
wanted_addrs() {
    for vip in $(vips_for DR); do echo "lo $vip"; done
    for vip in $(vips_for TUN); do echo "$(tunnel_dev "$vip") $vip"; done
}

# whether the state file already holds an entry starting with WORDS (whole words)
recorded() {
    [ -f "$STATE" ] || return 1
    while read -r line; do
        [ "$line" = "$1" ] && return 0
        case "$line" in "$1 "*) return 0 ;; esac
    done < "$STATE"
    return 1
}

# append LINE to the state file, atomically (a copy, then a rename)
record() {
    mkdir -p "$STATE_DIR" || die "cannot create $STATE_DIR"
    tmp="$STATE.tmp.$$"
    if ! { { [ ! -f "$STATE" ] || cat "$STATE"; } && printf '%s\n' "$1"; } > "$tmp"; then
        die "cannot write $tmp"
    fi
    mv -f "$tmp" "$STATE" || die "cannot write $STATE"
}

default_route_ok() {
    ip route show default | while read -r line; do
        prev=
        for word in $line; do
            [ "$prev" = via ] && [ "$word" = "$NAT_GATEWAY" ] && echo yes
            prev=$word
        done
    done | grep -q yes
}

check_nat_route() {
    if default_route_ok; then
        say "ok: default route via $NAT_GATEWAY (the directors' VIP)"
        return 0
    fi
    current=$(ip route show default | head -n 1)
    say "missing: NAT replies must leave through the directors, but the default route is" \
        "'${current:-none}'; change it with: ip route replace default via $NAT_GATEWAY"
    return 1
}

ensure_tunnel() {
    dev=$1
    if ! ip link show "$dev" >/dev/null 2>&1; then
        # the ipip / ip6_tunnel module creates the fallback device when it loads; a throw-away
        # tunnel makes ip load it
        case "$dev" in
            tunl0) ip link add kaconf-probe type ipip 2>/dev/null ;;
            *) ip link add kaconf-probe type ip6tnl 2>/dev/null ;;
        esac
        ip link del kaconf-probe 2>/dev/null
        ip link show "$dev" >/dev/null 2>&1 \
            || die "cannot create $dev: is the tunnel module available?"
    fi
    if ! ip -o link show "$dev" | grep -q '[<,]UP[,>]'; then
        recorded "link $dev" || record "link $dev down"
        ip link set "$dev" up || die "cannot bring $dev up"
    fi
}

start() {
    [ -n "$MINE" ] || die "none of cluster $CLUSTER's real-server addresses is on this host"
    # tunnel devices first: their sysctls exist only once they do
    wanted_addrs | while read -r dev _; do
        case "$dev" in tunl0|ip6tnl0) ensure_tunnel "$dev" ;; esac
    done || exit 1
    for kv in $(wanted_sysctls); do
        key=${kv%%=*}
        if ! recorded "sysctl $key"; then
            old=$(sysctl -n "$key" 2>/dev/null) || die "cannot read sysctl $key"
            record "sysctl $key $old"
        fi
        sysctl -q -w "$kv" >/dev/null || die "cannot set $kv"
    done
    wanted_addrs | while read -r dev cidr; do
        if ! has_addr "$dev" "$cidr"; then
            recorded "addr $dev $cidr" || record "addr $dev $cidr"
            ip addr add "$cidr" dev "$dev" || die "cannot add $cidr to $dev"
        fi
    done || exit 1
    if uses NAT; then
        check_nat_route || exit 1
    fi
    say "started"
}

stop() {
    if [ ! -f "$STATE" ]; then
        say "nothing to restore ($STATE does not exist: start has not run)"
        return 0
    fi
    status=0
    while read -r kind a b; do
        case "$kind" in
            sysctl) sysctl -q -w "$a=$b" >/dev/null || { say "cannot restore $a=$b"; status=1; } ;;
            addr) if has_addr "$a" "$b"; then
                      ip addr del "$b" dev "$a" || { say "cannot remove $b from $a"; status=1; }
                  fi ;;
            link) ip link set "$a" "$b" || { say "cannot set $a $b"; status=1; } ;;
        esac
    done < "$STATE"
    [ "$status" -eq 0 ] && rm -f "$STATE"
    say "stopped"
    return "$status"
}

status() {
    if [ -z "$MINE" ]; then
        say "missing: none of cluster $CLUSTER's real-server addresses is on this host"
        return 1
    fi
    missing=0
    for kv in $(wanted_sysctls); do
        key=${kv%%=*}
        now=$(sysctl -n "$key" 2>/dev/null)
        if [ "$now" = "${kv#*=}" ]; then
            say "ok: $key = $now"
        else
            say "missing: $key is '${now:-unreadable}', wanted ${kv#*=}"
            missing=1
        fi
    done
    for line in $(wanted_addrs | tr ' ' '='); do
        dev=${line%%=*}
        cidr=${line#*=}
        if has_addr "$dev" "$cidr"; then
            say "ok: $cidr on $dev"
        else
            say "missing: $cidr on $dev"
            missing=1
        fi
    done
    if uses NAT; then
        check_nat_route || missing=1
    fi
    return "$missing"
}

MINE=$(mine)
case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
"""
