"""The lab's traffic: a listener per real server that answers HTTP with its own address and
logs every request, and a client that sends requests to a VIP from several source addresses.
Both are small Python programs run inside the lab's namespaces with the interpreter kaconf
runs on; their results come back as JSON lines."""
from __future__ import annotations

import json
import select
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field

# argv: ADDRESS PORTS(comma-separated) LOGFILE. Health checks connect without a request and
# are not logged; each request is logged as "PORT CLIENT" once answered.
LISTENER = r"""
import socket, sys, threading
name, ports, log = sys.argv[1], [int(p) for p in sys.argv[2].split(",")], sys.argv[3]
lock = threading.Lock()
def serve(conn, peer, port):
    try:
        conn.settimeout(3)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(1024)
            if not chunk:
                return
            data += chunk
        body = (name + "\n").encode()
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        with lock, open(log, "a") as f:
            f.write("%d %s\n" % (port, peer[0]))
    except OSError:
        pass
    finally:
        conn.close()
def accept(sock, port):
    while True:
        conn, peer = sock.accept()
        threading.Thread(target=serve, args=(conn, peer, port), daemon=True).start()
socks = []
for port in ports:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port))
    s.listen(128)
    socks.append((s, port))
for s, port in socks:
    threading.Thread(target=accept, args=(s, port), daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
"""

# argv: VIP PORT TIMEOUT SOURCES(comma-separated) COUNT|loop. Prints one JSON line per request:
# [time, source, answer or null]. In loop mode it sends until stdin closes.
CLIENT = r"""
import json, select, socket, sys, time
vip, port, timeout, sources, count = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), \
    sys.argv[4].split(","), sys.argv[5]
def ask(src):
    s = socket.socket()
    s.settimeout(timeout)
    try:
        s.bind((src, 0))
        s.connect((vip, port))
        s.sendall(b"GET / HTTP/1.0\r\nHost: drill\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(1024)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return body.decode().strip() if head.startswith(b"HTTP/1.0 200") else None
    except OSError:
        return None
    finally:
        s.close()
n = 0
while True:
    if count == "loop":
        if select.select([sys.stdin], [], [], 0)[0] and not sys.stdin.readline():
            break
        time.sleep(0.1)
    elif n >= int(count):
        break
    src = sources[n % len(sources)]
    print(json.dumps([time.monotonic(), src, ask(src)]), flush=True)
    n += 1
"""

TIMEOUT = 1.0     # one request; an answer takes milliseconds in the lab
STARTUP = 30.0    # the client's first answer, interpreter start included


@dataclass(slots=True)
class Tally:
    """Who answered a run of requests."""

    answers: list[tuple[str, str | None]] = field(default_factory=list)   # (source, server)

    @property
    def by_server(self) -> Counter[str]:
        return Counter(a for _, a in self.answers if a is not None)

    @property
    def lost(self) -> int:
        return sum(1 for _, a in self.answers if a is None)

    def clients_of(self, server: str) -> set[str]:
        return {s for s, a in self.answers if a == server}


def _argv(ns: str, vip: str, port: int, sources: tuple[str, ...], count: str) -> list[str]:
    return ["ip", "netns", "exec", ns, sys.executable, "-c", CLIENT, vip, str(port),
            str(TIMEOUT), ",".join(sources), count]


def _read(lines: str) -> Tally:
    tally = Tally()
    for line in lines.splitlines():
        _, src, answer = json.loads(line)
        tally.answers.append((src, answer))
    return tally


def send(ns: str, vip: str, port: int, sources: tuple[str, ...], count: int) -> Tally:
    """`count` requests to VIP:PORT, round robin over `sources`."""
    done = subprocess.run(_argv(ns, vip, port, sources, str(count)), capture_output=True,
                          text=True, timeout=count * (TIMEOUT + 1) + 30)
    return _read(done.stdout)


@dataclass(eq=False)
class Background:
    """Requests every 0.1 s while something happens (a failover), counting the lost ones."""

    popen: subprocess.Popen[str]
    first: str = ""

    @classmethod
    def start(cls, ns: str, vip: str, port: int, sources: tuple[str, ...]) -> Background:
        """Start the requests and return once the first one is done (a slow interpreter start
        would otherwise miss the switch)."""
        popen = subprocess.Popen(_argv(ns, vip, port, sources, "loop"), text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        assert popen.stdout is not None
        ready, _, _ = select.select([popen.stdout], [], [], STARTUP)
        return cls(popen, popen.stdout.readline() if ready else "")

    def finish(self) -> Tally:
        try:
            out, _ = self.popen.communicate(input="", timeout=TIMEOUT + 10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            out, _ = self.popen.communicate()
        return _read(self.first + out)
