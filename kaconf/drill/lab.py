"""The lab: network namespaces joined by bridges in a switch namespace, Debian's keepalived in
each director namespace, real servers set up by kaconf-rs.sh with a listener per service
port, and a client. Nothing is created in the host's own namespace (no interface, route or
sysctl of the host changes), every name starts with `kd-`, and `close()` removes everything
the lab made, whatever state it is in.

    director ns kd-d-NAME (eth0: its address) ─┐
    real server ns kd-rsN (eth0: RIP, VIP on lo) ├─ bridge kd-br0 in switch ns kd-sw
    client ns kd-cl (eth0: 8 client addresses) ─┘
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kaconf.drill import DrillError
from kaconf.drill.plan import LAB_PREFIX, DirectorPlan, Plan
from kaconf.drill.traffic import LISTENER
from kaconf.emit.realserver import Server, Setup, render_script

PREFIX = "kd-"
SWITCH = "kd-sw"
CLIENT = "kd-cl"
IP_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


def keepalived_path() -> str | None:
    return shutil.which("keepalived") or next(
        (p for p in ("/usr/sbin/keepalived", "/sbin/keepalived") if os.access(p, os.X_OK)), None)


def run(argv: list[str], check: bool = True, timeout: float = IP_TIMEOUT
        ) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=check, timeout=timeout)
    except subprocess.CalledProcessError as exc:
        raise DrillError(f"`{' '.join(argv)}` failed: {(exc.stderr or '').strip()}") from None


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run(["ip", *args], check=check)


def in_ns(ns: str, *argv: str, check: bool = True, timeout: float = IP_TIMEOUT
          ) -> subprocess.CompletedProcess[str]:
    return run(["ip", "netns", "exec", ns, *argv], check=check, timeout=timeout)


def preflight() -> str:
    """The keepalived binary to run; raises DrillError naming what is missing."""
    if not sys.platform.startswith("linux"):
        raise DrillError("drill needs Linux network namespaces")
    if os.geteuid() != 0:
        raise DrillError("drill needs root: it creates network namespaces (run it with sudo)")
    if shutil.which("ip") is None:
        raise DrillError("drill needs iproute2's `ip` (apt-get install iproute2)")
    binary = keepalived_path()
    if binary is None:
        raise DrillError("drill needs keepalived installed (apt-get install keepalived)")
    probe = f"{PREFIX}probe{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True,
                          timeout=IP_TIMEOUT)
    if made.returncode != 0:
        raise DrillError(f"network namespaces do not work here: `ip netns add` says "
                         f"{made.stderr.strip()}")
    subprocess.run(["ip", "netns", "del", probe], capture_output=True, timeout=IP_TIMEOUT)
    return binary


def ipvs_unavailable() -> str | None:
    """Why the LVS half cannot run here (no kernel IPVS, no ipvsadm), or None."""
    if not os.path.exists("/proc/net/ip_vs"):
        probe = subprocess.run(["modprobe", "ip_vs"], capture_output=True, text=True,
                               timeout=30) if shutil.which("modprobe") else None
        if not os.path.exists("/proc/net/ip_vs"):
            said = (probe.stderr.strip().splitlines() or ["failed"])[-1] if probe else \
                "modprobe is not installed"
            return f"the kernel has no IPVS (`modprobe ip_vs`: {said})"
    if shutil.which("ipvsadm") is None:
        return "ipvsadm is not installed (apt-get install ipvsadm)"
    return None


@dataclass(eq=False)
class Proc:
    """A process the lab started, in its own session so its children go with it."""

    popen: subprocess.Popen[bytes]

    def alive(self) -> bool:
        try:
            return os.waitid(os.P_PID, self.popen.pid,
                             os.WEXITED | os.WNOWAIT | os.WNOHANG) is None
        except ChildProcessError:
            return False

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Signal, wait up to STOP_TIMEOUT, then SIGKILL the whole session."""
        pid = self.popen.pid
        if self.popen.returncode is None:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
            end = time.monotonic() + STOP_TIMEOUT
            while self.alive() and time.monotonic() < end:
                time.sleep(0.05)
            # not reaped yet, so the process group id is still ours: its children only
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.popen.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass


@dataclass(eq=False)
class Director:
    plan: DirectorPlan
    ns: str
    config: Path
    workdir: Path
    argv: list[str]
    proc: Proc | None = None
    starts: int = 0

    @property
    def log(self) -> Path:
        return self.workdir / "keepalived.log"

    def start(self) -> None:
        self.starts += 1
        run_dir = self.workdir / f"run{self.starts}"
        run_dir.mkdir()
        argv = ["ip", "netns", "exec", self.ns, *self.argv,
                "-p", str(run_dir / "keepalived.pid"), "-r", str(run_dir / "vrrp.pid"),
                "-c", str(run_dir / "checkers.pid")]
        with open(self.log, "ab") as log:
            log.write(f"==== start {self.starts}: {' '.join(argv)}\n".encode())
            log.flush()
            self.proc = Proc(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                              stderr=subprocess.STDOUT, cwd=run_dir,
                                              start_new_session=True))

    def terminate(self) -> None:
        """SIGTERM without waiting: keepalived's own stop (a priority 0 advert, VIPs
        removed), timed from this moment."""
        if self.proc is not None and self.proc.popen.returncode is None:
            os.kill(self.proc.popen.pid, signal.SIGTERM)

    def stop(self) -> None:
        """SIGTERM, and wait for keepalived to exit."""
        if self.proc is not None:
            self.proc.stop()
            self.proc = None

    def running(self) -> bool:
        return self.proc is not None and self.proc.alive()

    def addresses(self) -> set[str]:
        out = ip("-n", self.ns, "-4", "-o", "addr", "show").stdout
        words = out.split()
        return {words[i + 1].split("/")[0] for i, w in enumerate(words[:-1]) if w == "inet"}

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        keep = [x for x in text.splitlines() if "gratuitous" not in x.lower()]
        return "\n".join(keep[-lines:])


@dataclass(eq=False)
class RealServerHost:
    address: str
    ns: str
    ports: tuple[int, ...]
    log: Path
    proc: Proc | None = None

    def start(self) -> None:
        ports = ",".join(map(str, self.ports))
        argv = ["ip", "netns", "exec", self.ns, sys.executable, "-c", LISTENER,
                self.address, ports, str(self.log)]
        self.proc = Proc(subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
        assert self.proc.popen.stdout is not None
        if self.proc.popen.stdout.readline().strip() != b"ready":
            raise DrillError(f"the listener of real server {self.address} did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()
            self.proc = None


@dataclass(eq=False)
class Lab:
    plan: Plan
    workdir: Path
    keepalived: str
    lvs: bool                              # run the checkers (kernel IPVS available)
    directors: dict[str, Director] = field(default_factory=dict)
    servers: dict[str, RealServerHost] = field(default_factory=dict)
    bridge: dict[str, str] = field(default_factory=dict)   # interface name -> bridge
    _namespaces: list[str] = field(default_factory=list)
    _ports: int = 0

    def names(self) -> list[str]:
        rs = [f"{PREFIX}rs{n}" for n in range(len(self.plan.real_servers()))]
        return [SWITCH, CLIENT, *(f"{PREFIX}d-{d.name}" for d in self.plan.directors), *rs]

    # ------------------------------------------------------------ building
    def build(self) -> None:
        """Create everything; raises DrillError when a name is already taken."""
        listed = ip("netns", "list").stdout.split()
        taken = [n for n in self.names() if n in listed]
        if taken:
            raise DrillError(f"network namespace {taken[0]} already exists: another drill is "
                             f"running, or one was killed (remove it: ip netns del {taken[0]})")
        self._netns(SWITCH)
        bridges = sorted({f for d in self.plan.directors for f in d.interfaces})
        for n, _ in enumerate(bridges):
            ip("-n", SWITCH, "link", "add", f"{PREFIX}br{n}", "type", "bridge", "stp_state", "0")
            ip("-n", SWITCH, "link", "set", f"{PREFIX}br{n}", "up")
        self.bridge = {face: f"{PREFIX}br{n}" for n, face in enumerate(bridges)}
        for d in self.plan.directors:
            self._director(d)
        self._client()
        for n, (address, (method, ports, vips)) in enumerate(self.plan.real_servers().items()):
            self._real_server(n, address, method, ports, vips)

    def _netns(self, name: str) -> None:
        ip("netns", "add", name)
        self._namespaces.append(name)
        ip("-n", name, "link", "set", "lo", "up")

    def _plug(self, ns: str, face: str, bridge: str) -> None:
        """A veth pair born split: a port of `bridge` in the switch, `face` in `ns`."""
        port = f"{PREFIX}p{self._ports}"
        self._ports += 1
        ip("-n", SWITCH, "link", "add", port, "type", "veth", "peer", "name", face, "netns", ns)
        ip("-n", SWITCH, "link", "set", port, "master", bridge, "up")
        ip("-n", ns, "link", "set", face, "up")

    def _service_bridge(self) -> tuple[str, str]:
        """The interface carrying the services' VIPs (else the first), and its bridge."""
        vips = {s.vip for s in self.plan.services()}
        face = next((i.interface for d in self.plan.directors for i in d.instances
                     if vips & set(i.vips)), None) or next(iter(self.bridge))
        return face, self.bridge[face]

    def _director(self, d: DirectorPlan) -> None:
        ns = f"{PREFIX}d-{d.name}"
        self._netns(ns)
        for face in d.interfaces:
            self._plug(ns, face, self.bridge[face])
        home = next((i.interface for i in d.instances), d.interfaces[0])
        ip("-n", ns, "addr", "add", f"{d.address}/{LAB_PREFIX}", "dev", home)
        ip("-n", ns, "route", "add", "default", "dev", home)
        # a NAT director forwards; a namespace's own sysctl, not the host's
        in_ns(ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
        workdir = self.workdir / d.name
        workdir.mkdir()
        config = workdir / "keepalived.conf"
        config.write_text(d.text, encoding="utf-8")
        argv = [self.keepalived, "-n", "-l", "-D", "-f", str(config)]
        argv += ["-i", d.config_id] if d.config_id else []
        argv += [] if self.lvs else ["--vrrp"]
        self.directors[d.name] = Director(d, ns, config, workdir, argv)

    def _client(self) -> None:
        self._netns(CLIENT)
        face, bridge = self._service_bridge()
        self._plug(CLIENT, "eth0", bridge)
        for address in self.plan.clients:
            ip("-n", CLIENT, "addr", "add", f"{address}/{LAB_PREFIX}", "dev", "eth0")
        ip("-n", CLIENT, "route", "add", "default", "dev", "eth0")

    def _real_server(self, n: int, address: str, method: str, ports: set[int],
                     vips: set[str]) -> None:
        ns = f"{PREFIX}rs{n}"
        self._netns(ns)
        _, bridge = self._service_bridge()
        self._plug(ns, "eth0", bridge)
        ip("-n", ns, "addr", "add", f"{address}/{LAB_PREFIX}", "dev", "eth0")
        gateway = sorted(vips)[0] if method == "NAT" else None
        ip("-n", ns, "route", "add", "default", *(("via", gateway) if gateway else ()),
           "dev", "eth0")
        state = self.workdir / ns
        state.mkdir()
        script = state / "kaconf-rs.sh"
        script.write_text(render_script(self.setup()), encoding="utf-8")
        env = f"KACONF_RS_STATE_DIR={state}"
        done = in_ns(ns, "env", env, "sh", str(script), "start", check=False, timeout=30)
        if done.returncode != 0:
            said = (done.stdout + done.stderr).strip().splitlines() or ["no output"]
            raise DrillError(f"kaconf-rs.sh start failed on real server {address}: {said[-1]}")
        host = RealServerHost(address, ns, tuple(sorted(ports)), state / "requests.log")
        self.servers[address] = host
        host.start()

    def setup(self) -> Setup:
        """What gen-pair's kaconf-rs.sh needs to know, for the lab's real servers."""
        servers = tuple(Server(a, m, tuple(sorted(v)))
                        for a, (m, _, v) in self.plan.real_servers().items())
        gateway = next((sorted(v)[0] for m, _, v in self.plan.real_servers().values()
                        if m == "NAT"), None)
        return Setup("drill", "eth0", gateway, servers, "kaconf drill lab")

    # ------------------------------------------------------------ observing
    def holders(self, vip: str) -> set[str]:
        """The directors holding `vip` right now."""
        return {name for name, d in self.directors.items() if vip in d.addresses()}

    def ipvs_listing(self, director: str, *options: str) -> str:
        return in_ns(self.directors[director].ns, "ipvsadm", "-Ln", *options).stdout

    # ------------------------------------------------------------ teardown
    def close(self) -> list[str]:
        """Stop every process and delete every namespace the lab made; never raises.
        Returns what could not be removed."""
        left: list[str] = []
        for d in self.directors.values():
            if d.proc is not None and d.proc.popen.returncode is None:
                try:
                    os.kill(d.proc.popen.pid, signal.SIGTERM)   # all stop together
                except ProcessLookupError:
                    pass
        for proc in [d.proc for d in self.directors.values()] + [
                s.proc for s in self.servers.values()]:
            if proc is not None:
                try:
                    proc.stop()
                except Exception:  # noqa: BLE001 - cleanup goes on whatever happened
                    pass
        for ns in reversed(self._namespaces):
            self._empty(ns)
            gone = subprocess.run(["ip", "netns", "del", ns], capture_output=True,
                                  timeout=IP_TIMEOUT)
            if gone.returncode != 0:
                left.append(ns)
        self._namespaces.clear()
        return left

    @staticmethod
    def _empty(ns: str) -> None:
        """Kill what still runs in a namespace the lab made (a client the drill started)."""
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True,
                              timeout=IP_TIMEOUT).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
