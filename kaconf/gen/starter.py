"""The commented starter description that `kaconf init` writes."""
from __future__ import annotations

STARTER = '''\
# A kaconf cluster description: `kaconf gen-pair cluster.toml -o OUT/` writes one
# keepalived.conf per director and the real servers' setup script from it.
# `kaconf gen-pair --schema` prints the JSON Schema of this file for your editor.
# Unknown keys are errors, so a typo is reported instead of ignored.

[cluster]
name = "VI_1"                  # the vrrp_instance name
interface = "eth0"             # the directors' interface that carries the VIPs
virtual_router_id = 51         # 1-255, unique per interface on this network
vips = ["192.0.2.10/24"]       # IPv4 or IPv6 (one family), prefix optional
advert_int = 1                 # seconds between VRRP adverts
# auth_pass = "..."            # at most 8 characters; left out, kaconf generates one and
                               # prints it once: put it here so both directors keep it
unicast = true                 # adverts to the other directors instead of multicast
# vrrp_version = 2             # 2 for IPv4 (default), 3 for IPv6 (no authentication)
nopreempt = false              # true: a recovered MASTER does not take the VIP back
# script_user = "keepalived_script"   # the user track scripts and MISC_CHECK run as

# A check every director runs; a failure lowers its priority by -weight so the VIP moves.
# [[cluster.track_scripts]]
# name = "chk_nginx"
# script = "/usr/bin/pgrep nginx"
# interval = 2
# weight = -20
# fall = 2
# rise = 2

[[directors]]                  # the first director is the MASTER
name = "lb1"                   # its router_id, and its @name in --single-file output
address = "192.0.2.2"          # its own address on the interface (unicast source)
# interface = "eth0"           # when it differs from cluster.interface
# priority = 150               # give every director one, or none (kaconf picks them)

[[directors]]
name = "lb2"
address = "192.0.2.3"

[[services]]
vip = "192.0.2.10"             # one of cluster.vips
port = 80
protocol = "TCP"               # TCP, UDP or SCTP
lb_algo = "rr"                 # rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos
lb_kind = "DR"                 # DR, NAT or TUN
persistence_timeout = 50       # seconds; leave out for no persistence
delay_loop = 6                 # seconds between health checks
real_servers = ["192.0.2.21", "192.0.2.22"]
# real_servers = [{ address = "192.0.2.21", port = 80, weight = 2 }]
# sorry_server = "192.0.2.30"

[services.check]
type = "TCP_CHECK"             # HTTP_GET, SSL_GET (path, status_code), MISC_CHECK (script),
                               # DNS_CHECK (name), SMTP_CHECK, PING_CHECK, UDP_CHECK
connect_timeout = 3
retry = 3
delay_before_retry = 3
# connect_port = 80

[realserver]
interface = "eth0"             # the real servers' interface facing the directors
# gateway = "192.0.2.1"        # NAT: the director-side VIP the real servers route through
'''
