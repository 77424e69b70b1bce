"""A throwaway OpenSSH server on 127.0.0.1 whose `ipvsadm` is a fixture script.

The kernel here has no IPVS, so `ipvsadm` on the server's PATH prints a captured real output;
the rest (sshd, ssh, keys, known_hosts, timeouts) is the real thing. The client picks the
fixture's behaviour per connection with `SetEnv KV_MODE=...` (sshd accepts only that variable).
Every process the lab starts is recorded and stopped by its id.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REAL = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ipvsadm" / "real"
CAPTURE = REAL / "dr-nat" / "states" / "after-stop"

FIXTURE_IPVSADM = """\
#!/bin/sh
# fixture ipvsadm: prints a captured real table; KV_MODE picks a failure instead
case "${KV_MODE:-ok}" in
  fail) echo "Can't initialize ipvs: Protocol not available" >&2; exit 2 ;;
  hang) echo $$ >> "@DIR@/pids"; exec sleep 300 ;;
  big) head -c 100000000 /dev/zero | tr '\\000' x; exit 0 ;;
  garbage) printf 'TCP  \\033]0;owned\\007 \\001\\377\\376 rr\\n'; exit 0 ;;
  delay) if [ "$1" = "-Sn" ]; then sleep 0.2; fi ;;
esac
if [ "$1" = "-Sn" ]; then cat "@DIR@/ipvsadm-Sn.txt"; else cat "@DIR@/ipvsadm-Ln--stats.txt"; fi
"""


@dataclass
class SshLab:
    root: Path
    port: int
    proc: subprocess.Popen[bytes]

    def client_options(self, mode: str = "ok", known_hosts: Path | None = None,
                       port: int | None = None, control: str = "none",
                       pin_port: bool = True) -> tuple[str, ...]:
        """ssh arguments for this server; ssh keeps the first value of an option, and kaconf
        puts these before its own, so they win. No shared connection unless `control` names
        a socket path: a shared one would carry every mode and host-key test over the first
        connection."""
        ports = ("-p", str(port or self.port)) if pin_port else ()
        return (*ports, "-o", f"ControlPath={control}", "-i", str(self.root / "user_key"),
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", f"UserKnownHostsFile={known_hosts or self.root / 'known_hosts'}",
                "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", f"SetEnv=KV_MODE={mode}", "-F", "/dev/null", "-l", "root")

    def wrong_known_hosts(self) -> Path:
        """A known_hosts that pins another key for this server: a host-key mismatch."""
        other = self.root / "other_host_key"
        _keygen(other)
        path = self.root / "known_hosts_wrong"
        pub = (other.with_suffix(".pub")).read_text().split()[:2]
        path.write_text(f"[127.0.0.1]:{self.port} {' '.join(pub)}\n")
        return path

    def control_socket(self) -> str:
        """A socket path short enough for a Unix socket (108 bytes) wherever pytest puts the
        lab (under xdist its folders are longer): one short folder per lab, under /tmp."""
        short = Path(tempfile.gettempdir()) / f"kv-cm-{self.port}"
        short.mkdir(mode=0o700, exist_ok=True)
        return str(short / "%C")

    def stop(self) -> None:
        # a ControlMaster left by a test outlives sshd's listener: ask it to exit first
        subprocess.run(["ssh", *self.client_options(control=self.control_socket()), "-O", "exit",
                        "127.0.0.1"], capture_output=True, timeout=10, check=False)
        with contextlib.suppress(ProcessLookupError):
            self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(Path(tempfile.gettempdir()) / f"kv-cm-{self.port}", ignore_errors=True)
        pids = self.root / "pids"
        if pids.exists():
            for word in pids.read_text().split():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(word), signal.SIGKILL)


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
                   check=True, stdin=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def ssh_lab(root: Path, capture: Path = CAPTURE) -> Iterator[SshLab]:
    sshd = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)
    assert sshd, "openssh-server is required (see .ci/run)"
    assert shutil.which("ssh") and shutil.which("ssh-keygen"), "openssh-client is required"
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    bin_dir = root / "bin"
    bin_dir.mkdir()
    for name in ("ipvsadm-Sn.txt", "ipvsadm-Ln--stats.txt"):
        shutil.copyfile(capture / name, root / name)
    script = bin_dir / "ipvsadm"
    script.write_text(FIXTURE_IPVSADM.replace("@DIR@", str(root)))
    script.chmod(0o755)
    _keygen(root / "host_key")
    _keygen(root / "user_key")
    shutil.copyfile(root / "user_key.pub", root / "authorized_keys")
    port = free_port()
    host_pub = (root / "host_key.pub").read_text().split()[:2]
    (root / "known_hosts").write_text(f"[127.0.0.1]:{port} {' '.join(host_pub)}\n")
    (root / "sshd_config").write_text(textwrap.dedent(f"""\
        ListenAddress 127.0.0.1
        Port {port}
        HostKey {root / 'host_key'}
        PidFile {root / 'sshd.pid'}
        AuthorizedKeysFile {root / 'authorized_keys'}
        PermitRootLogin prohibit-password
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        StrictModes no
        AcceptEnv KV_MODE
        SetEnv PATH={bin_dir}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
        MaxStartups 200
        MaxSessions 200
        LogLevel ERROR
        """))
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    log = (root / "sshd.log").open("wb")
    proc = subprocess.Popen([sshd, "-D", "-e", "-f", str(root / "sshd_config")],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    lab = SshLab(root, port, proc)
    try:
        _wait_listening(port, proc, root)
        yield lab
    finally:
        lab.stop()
        log.close()


def _wait_listening(port: int, proc: subprocess.Popen[bytes], root: Path) -> None:
    for _ in range(200):
        if proc.poll() is not None:
            raise RuntimeError(f"sshd exited: {(root / 'sshd.log').read_text()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("sshd did not start listening")
