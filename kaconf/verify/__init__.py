"""kaconf verify: read what directors run (ipvsadm, ip addr) and diff it with the configuration."""
