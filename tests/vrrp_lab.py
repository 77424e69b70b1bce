"""A two-director VRRP lab: real keepalived daemons in private network namespaces.

    director ns "…-a" (eth0 172.17.13.120/24) ─┐
                                               ├─ br0 in switch ns "…-sw"
    director ns "…-b" (eth0 172.17.13.123/24) ─┘

Each director namespace holds one end of a veth pair renamed `eth0` (plus `lo`); the other end
is a port of a bridge in a switch namespace of its own, so every packet stays inside namespaces
this lab created. keepalived runs with `--vrrp` only (no checker process, which would need
IPVS), in the foreground (`-n`), logging to a file per director. Everything is torn down by
`Lab.close()`, which is safe to call after any partial setup.
"""
from __future__ import annotations

import atexit
import functools
import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = 24
IP_TIMEOUT = 10.0          # every `ip` call
STOP_TIMEOUT = 10.0        # SIGTERM → exit, before SIGKILL
DEFAULT_DEADLINE = 15.0    # waits for a VRRP state (advert_int 1 converges in about 3-4 s)
POLL = 0.2

_serial = itertools.count()
_open_labs: list[Lab] = []   # a safety net: closed at interpreter exit if a finalizer never ran


def keepalived_path() -> str | None:
    return shutil.which("keepalived") or next(
        (p for p in ("/usr/sbin/keepalived", "/sbin/keepalived") if os.access(p, os.X_OK)), None)


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check,
                          timeout=IP_TIMEOUT)


@functools.cache
def unavailable_reason() -> str | None:
    """Why the lab cannot run here, or None when it can."""
    if not sys.platform.startswith("linux"):
        return "needs Linux network namespaces"
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    if shutil.which("ip") is None:
        return "needs iproute2 (`ip`)"
    if keepalived_path() is None:
        return "needs keepalived installed"
    probe = f"kae2e-probe-{os.getpid()}"
    try:
        _ip("netns", "add", probe)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"`ip netns add` does not work here: {_why(exc)}"
    try:
        _ip("-n", probe, "link", "add", "br0", "type", "bridge")
        _ip("-n", probe, "link", "add", "p0", "type", "veth", "peer", "name", "eth0")
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot create a bridge and a veth pair in a namespace: {_why(exc)}"
    finally:
        _ip("netns", "del", probe, check=False)
    return None


def _wait_unreaped(pid: int, timeout: float) -> bool:
    """Wait until `pid` has exited, leaving it unreaped; False on timeout."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT | os.WNOHANG)
        except ChildProcessError:
            return True
        if info is not None:
            return True
        time.sleep(0.05)
    return False


def _why(exc: BaseException) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        return (exc.stderr or "").strip() or str(exc)
    return str(exc)


@dataclass(eq=False)
class Director:
    """One director: its namespace, address, and (while running) its keepalived."""

    key: str
    ns: str
    address: str
    workdir: Path
    config: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def log(self) -> Path:
        return self.workdir / "keepalived.log"

    def start(self, config: Path | None = None) -> None:
        """Run keepalived on `config` (or the last one) inside the namespace."""
        assert self.proc is None, f"{self.key}: keepalived already running"
        self.config = config or self.config
        assert self.config is not None
        binary = keepalived_path()
        assert binary is not None
        self.starts += 1
        run = self.workdir / f"run{self.starts}"
        run.mkdir()
        argv = ["ip", "netns", "exec", self.ns, binary, "--vrrp", "-n", "-l", "-D",
                "-f", str(self.config),
                "-p", str(run / "keepalived.pid"),
                "-r", str(run / "vrrp.pid"),
                "-c", str(run / "checkers.pid")]
        with open(self.log, "ab") as log:
            log.write(f"==== start {self.starts}: {' '.join(argv)}\n".encode())
            log.flush()
            # own process group: the cleanup can reach keepalived's children too
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, cwd=self.workdir,
                                         start_new_session=True)

    def terminate(self) -> None:
        """Ask keepalived to stop (SIGTERM) without waiting; `stop()` finishes the job."""
        if self.proc is not None and self.proc.returncode is None:
            # not reaped yet, so the pid is still this process's (a zombie at worst);
            # Popen.send_signal would poll, and reaping early would make killpg unsafe
            os.kill(self.proc.pid, signal.SIGTERM)

    def stop(self) -> None:
        """SIGTERM keepalived (the graceful stop: it sends a priority 0 advert and removes its
        VIPs), then SIGKILL what is left of its process group if it does not exit in time."""
        self.terminate()
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.returncode is None:
            _wait_unreaped(proc.pid, STOP_TIMEOUT)
            # the leader is not reaped yet, so its process group id cannot have been reused:
            # this reaches keepalived's own children and nothing else
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass

    @property
    def running(self) -> bool:
        """Whether keepalived is still up (checked without reaping it, see `stop`)."""
        if self.proc is None or self.proc.returncode is not None:
            return False
        try:
            return os.waitid(os.P_PID, self.proc.pid,
                             os.WEXITED | os.WNOWAIT | os.WNOHANG) is None
        except ChildProcessError:
            return False

    def addresses(self) -> list[str]:
        """The IPv4 addresses on eth0, as `ADDR/PREFIX`."""
        out = _ip("-n", self.ns, "-4", "-o", "addr", "show", "dev", "eth0").stdout
        words = out.split()
        return [words[i + 1] for i, w in enumerate(words[:-1]) if w == "inet"]

    def holds(self, vip: str) -> bool:
        return any(a.split("/")[0] == vip for a in self.addresses())

    def log_text(self) -> str:
        """Everything keepalived logged in this director, over every start."""
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def last_run_log(self) -> str:
        """What keepalived logged since it was last started."""
        return self.log_text().rpartition("==== start ")[2]


@dataclass(eq=False)
class Lab:
    """Two directors, `a` (172.17.13.120) and `b` (172.17.13.123), joined by a bridge."""

    workdir: Path
    addresses: tuple[str, str] = ("172.17.13.120", "172.17.13.123")
    base: str = field(default_factory=lambda: f"kae2e-{os.getpid()}-{next(_serial)}")
    directors: dict[str, Director] = field(default_factory=dict)
    _namespaces: list[str] = field(default_factory=list)

    @property
    def switch(self) -> str:
        return f"{self.base}-sw"

    @property
    def a(self) -> Director:
        return self.directors["a"]

    @property
    def b(self) -> Director:
        return self.directors["b"]

    def by_address(self, address: str) -> Director:
        return next(d for d in self.directors.values() if d.address == address)

    # ------------------------------------------------------------ setup and teardown

    def _netns(self, name: str) -> None:
        _ip("netns", "add", name)
        self._namespaces.append(name)
        _ip("-n", name, "link", "set", "lo", "up")

    def setup(self) -> Lab:
        _open_labs.append(self)
        self._netns(self.switch)
        _ip("-n", self.switch, "link", "add", "br0", "type", "bridge", "stp_state", "0")
        _ip("-n", self.switch, "link", "set", "br0", "up")
        for key, address in zip(("a", "b"), self.addresses):
            ns = f"{self.base}-{key}"
            self._netns(ns)
            port = f"p{key}"
            # the veth pair is born split: the port in the switch, `eth0` in the director
            _ip("-n", self.switch, "link", "add", port, "type", "veth",
                "peer", "name", "eth0", "netns", ns)
            _ip("-n", self.switch, "link", "set", port, "master", "br0")
            _ip("-n", self.switch, "link", "set", port, "up")
            _ip("-n", ns, "addr", "add", f"{address}/{PREFIX}", "dev", "eth0")
            _ip("-n", ns, "link", "set", "eth0", "up")
            workdir = self.workdir / key
            workdir.mkdir(parents=True, exist_ok=True)
            self.directors[key] = Director(key, ns, address, workdir)
        return self

    def close(self) -> None:
        """Stop every keepalived and delete every namespace; never raises."""
        for director in self.directors.values():   # both shut down at the same time
            try:
                director.terminate()
            except Exception:  # noqa: BLE001
                pass
        for director in self.directors.values():
            try:
                director.stop()
            except Exception:  # noqa: BLE001 - cleanup goes on whatever happened
                pass
        for ns in reversed(self._namespaces):
            try:
                _ip("netns", "del", ns, check=False)
            except Exception:  # noqa: BLE001
                pass
        self._namespaces.clear()
        if self in _open_labs:
            _open_labs.remove(self)

    def cut(self) -> None:
        """Partition the directors: the bridge goes down, so its ports stop forwarding, while
        both `eth0`s keep their carrier (keepalived sees no interface fault)."""
        _ip("-n", self.switch, "link", "set", "br0", "down")

    def heal(self) -> None:
        _ip("-n", self.switch, "link", "set", "br0", "up")

    # ------------------------------------------------------------ observing

    def reachable(self, port: int = 40123, timeout: float = 5.0) -> bool:
        """Whether a UDP datagram from a reaches b across the bridge (a sanity check of the
        lab itself, so that a split brain cannot come from a broken wire)."""
        recv = ("import socket,sys\n"
                "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                f"s.bind(({self.b.address!r},{port}))\n"
                "print('ready',flush=True)\n"
                f"s.settimeout({timeout})\n"
                "d,a=s.recvfrom(64)\n"
                "print(a[0],d.decode(),flush=True)\n")
        send = ("import socket,time\n"
                "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                f"s.bind(({self.a.address!r},0))\n"
                f"for _ in range({int(timeout * 5)}):\n"
                f"    s.sendto(b'lab',({self.b.address!r},{port})); time.sleep(0.2)\n")
        receiver = subprocess.Popen(["ip", "netns", "exec", self.b.ns, sys.executable, "-c", recv],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        sender = None
        try:
            assert receiver.stdout is not None
            if receiver.stdout.readline().strip() != "ready":
                return False
            sender = subprocess.Popen(["ip", "netns", "exec", self.a.ns, sys.executable, "-c", send],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out, _ = receiver.communicate(timeout=timeout + 5)
            return out.split() == [self.a.address, "lab"]
        except subprocess.TimeoutExpired:
            return False
        finally:
            for proc in (receiver, sender):
                if proc is not None and proc.poll() is None:
                    proc.kill()
                if proc is not None:
                    proc.wait(timeout=5)

    def holders(self, vip: str) -> set[str]:
        """The addresses of the directors that hold `vip` on eth0 right now."""
        return {d.address for d in self.directors.values() if d.holds(vip)}

    def wait_for(self, condition: Callable[[], bool], deadline: float = DEFAULT_DEADLINE) -> bool:
        end = time.monotonic() + deadline
        while True:
            if condition():
                return True
            if time.monotonic() >= end:
                return False
            time.sleep(POLL)

    def wait_holders(self, vip: str, expected: set[str], deadline: float = DEFAULT_DEADLINE,
                     stable: float = 0.0) -> tuple[bool, set[str], float]:
        """Poll until exactly `expected` hold the VIP, then (with `stable`) check that it stays
        so for that long. Returns (ok, the holders last seen, seconds until first reached)."""
        start = time.monotonic()
        seen: set[str] = set()

        def reached() -> bool:
            nonlocal seen
            seen = self.holders(vip)
            return seen == expected

        if not self.wait_for(reached, deadline):
            return False, seen, time.monotonic() - start
        took = time.monotonic() - start
        end = time.monotonic() + stable
        while time.monotonic() < end:
            time.sleep(POLL)
            seen = self.holders(vip)
            if seen != expected:
                return False, seen, took
        return True, seen, took

    def report(self) -> str:
        """Everything useful for an assertion message: who holds what, who runs, the logs."""
        parts = []
        for d in self.directors.values():
            try:
                addrs = d.addresses()
            except Exception as exc:  # noqa: BLE001
                addrs = [f"<{exc}>"]
            state = ("running" if d.running else "exited" if d.proc is not None
                     else "stopped")
            log = [line for line in d.log_text().splitlines()
                   if "gratuitous ARP" not in line]   # five lines per VIP change: noise here
            parts.append(f"--- director {d.key} {d.address} ({d.ns}), keepalived {state}, "
                         f"eth0 {addrs}\n" + "\n".join(log[-40:]))
        return "\n".join(parts)


@atexit.register
def _close_leftovers() -> None:
    for lab in list(_open_labs):
        lab.close()
