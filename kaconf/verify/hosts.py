"""Collecting what directors run: this machine, hosts over OpenSSH, or saved folders.

One round trip per host runs a fixed script (never text built from configuration or host
names) that prints `ipvsadm -Sn`, `ipvsadm -Ln --stats`, `ip -j addr`, keepalived's check data
and configuration when readable, and the host name, each under a marker line. Everything that
comes back is untrusted: its size is capped, the wait is bounded, and it is only ever parsed or
printed escaped. A fleet is collected in parallel with a bounded pool; a host that fails
becomes a HostFailure and never stops the others.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import shlex
import shutil
import signal
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from kaconf.fileio import ERRORS
from kaconf.verify import VerifyError
from kaconf.verify.untrusted import escape_controls

LOCAL = "local"
CHECK_DATA = "/tmp/keepalived_check.data"   # where `keepalived --signum=DATA` makes it write
REMOTE_CONFIG = "/etc/keepalived/keepalived.conf"
MARK = "@@kaconf-section "

# Sections in the order the script prints them; `rc` lines carry each command's exit status.
COLLECT_SCRIPT = f"""\
LC_ALL=C; export LC_ALL
PATH="$PATH:/usr/sbin:/sbin"; export PATH
m() {{ printf '\\n{MARK}%s\\n' "$1"; }}
m hostname; hostname; m "rc $?"
m ipvsadm; ipvsadm -Sn; m "rc $?"
m stats; ipvsadm -Ln --stats; m "rc $?"
m addr; ip -j addr; m "rc $?"
m check; if [ -r {CHECK_DATA} ]; then cat {CHECK_DATA}; fi; m "rc $?"
m config; if [ -r {REMOTE_CONFIG} ]; then cat {REMOTE_CONFIG}; fi; m "rc $?"
m end
"""
SECTIONS = ("hostname", "ipvsadm", "stats", "addr", "check", "config")


@dataclass(frozen=True, slots=True)
class Capture:
    """What one director runs, as text, and where each text came from (for error messages)."""

    host: str
    ipvsadm: str
    ipvsadm_source: str
    addresses: str | None = None
    addresses_source: str = ""
    stats: str | None = None
    check_data: str | None = None
    config_text: str | None = None    # the host's own keepalived.conf, when collected
    config_path: str | None = None    # a keepalived.conf on disk for this host
    hostname: str | None = None


@dataclass(frozen=True, slots=True)
class HostFailure:
    """A host whose state could not be read, and why (escaped, one line)."""

    host: str
    reason: str


Collected = Capture | HostFailure


@dataclass(frozen=True, slots=True)
class CollectOptions:
    timeout: float = 15.0             # seconds for one host, connection included
    connect_timeout: int = 5
    sudo: bool = False                # run the script through `sudo -n`
    max_output: int = 16 * 1024 * 1024
    parallel: int = 16
    ssh: str = "ssh"
    ssh_options: tuple[str, ...] = ()  # extra ssh arguments, before kaconf's own (tests: -p)
    ssh_config: str | None = None     # included instead of ~/.ssh/config
    control_persist: str = "60"       # seconds the shared connection outlives kaconf


class CollectError(VerifyError):
    """A host's collection failed; the message is safe to print."""


def collect_options(timeout: float = 15.0, sudo: bool = False, parallel: int = 16,
                    ssh_config: str | None = None) -> CollectOptions:
    """Options as the command line gives them: ssh may take most of the time for a host."""
    return CollectOptions(timeout=timeout, sudo=sudo, parallel=parallel,
                          connect_timeout=max(1, min(10, int(timeout))), ssh_config=ssh_config)


def progress_printer(total: int, out: TextIO | None) -> Callable[[Collected], None] | None:
    """One line per director as it answers, for a terminal (None: say nothing)."""
    if out is None or total < 2:
        return None
    done = [0]

    def tell(got: Collected) -> None:
        done[0] += 1
        state = "failed" if isinstance(got, HostFailure) else "read"
        out.write(f"[{done[0]}/{total}] {escape_controls(got.host, 60)} {state}\n")
        out.flush()

    return tell


# ---------------------------------------------------------------- one host

def ssh_argv(host: str, options: CollectOptions) -> list[str]:
    """The ssh command line: batch mode (no prompt can hang a fleet run), a connection timeout,
    the user's own ssh configuration with a shared ControlMaster connection as a default it
    may override, then the fixed script as the remote command."""
    if host.startswith("-") or not host or any(c.isspace() for c in host):
        raise CollectError(f"'{escape_controls(host, 60)}' is not a host name")
    # ssh keeps the first value it reads for an option: the caller's options come first
    return [options.ssh, *options.ssh_options, "-F", ssh_config_file(options),
            "-o", "BatchMode=yes", "-o", f"ConnectTimeout={options.connect_timeout}",
            "--", host, remote_command(options.sudo)]


def ssh_config_file(options: CollectOptions) -> str:
    """An ssh configuration that includes the user's (or `options.ssh_config`) and the
    system's, then adds connection sharing for every host: ssh keeps the first value it reads,
    so whatever the user configured wins over these defaults."""
    control = control_dir()
    user = options.ssh_config or "~/.ssh/config"
    text = (f"Include {_quoted(user)}\nInclude /etc/ssh/ssh_config\nHost *\n"
            f"    ControlMaster auto\n    ControlPath {_quoted(control + '/%C')}\n"
            f"    ControlPersist {options.control_persist}\n")
    path = os.path.join(control, f"config-{hashlib.sha256(text.encode()).hexdigest()[:16]}")
    if not os.path.exists(path):
        fd, tmp = tempfile.mkstemp(dir=control)
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    return path


def _quoted(path: str) -> str:
    if any(c in path for c in "\"\n"):
        raise CollectError(f"unusable path for ssh: {escape_controls(path, 80)}")
    return f'"{path}"' if " " in path else path


def remote_command(sudo: bool) -> str:
    command = f"sh -c {shlex.quote(COLLECT_SCRIPT)}"
    return f"sudo -n {command}" if sudo else command


def local_argv(options: CollectOptions) -> list[str]:
    return (["sudo", "-n"] if options.sudo else []) + ["sh", "-c", COLLECT_SCRIPT]


def control_dir() -> str:
    """A private folder for ControlMaster sockets (short path: sockets have a 108-byte limit)."""
    path = os.path.join(tempfile.gettempdir(), f"kaconf-ssh-{os.getuid()}")
    os.makedirs(path, mode=0o700, exist_ok=True)
    if os.stat(path).st_uid != os.getuid():
        raise CollectError(f"{path} belongs to another user; refusing to share connections")
    return path


async def collect_host(host: str, options: CollectOptions,
                       config_path: str | None = None) -> Collected:
    """Run the collection script on `host` (`local` for this machine) and read its output."""
    try:
        argv = local_argv(options) if host == LOCAL else ssh_argv(host, options)
        out, err, code = await asyncio.wait_for(_run(argv, options.max_output), options.timeout)
        return capture_from_output(host, out, err, code, config_path)
    except TimeoutError:
        return HostFailure(host, f"no answer within {options.timeout:g} s")
    except CollectError as exc:
        return HostFailure(host, str(exc))
    except OSError as exc:
        return HostFailure(host, f"cannot run {escape_controls(str(exc.filename or ''))}: "
                                 f"{exc.strerror}")


async def _run(argv: list[str], limit: int) -> tuple[str, str, int]:
    proc = await asyncio.create_subprocess_exec(
        *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, start_new_session=True)
    assert proc.stdout is not None and proc.stderr is not None
    readers = [asyncio.ensure_future(_read_capped(proc.stdout, limit, "output")),
               asyncio.ensure_future(_read_capped(proc.stderr, 64 * 1024, None))]
    try:
        out, err = await asyncio.gather(*readers)
        code = await proc.wait()
    except BaseException:
        # timed out, too much output, or interrupted: stop the command, then reap it so no
        # process or pipe outlives this call
        _kill(proc)
        for reader in readers:
            reader.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(asyncio.gather(proc.wait(), *readers,
                                                  return_exceptions=True), 5)
        raise
    return out.decode("utf-8", ERRORS), err.decode("utf-8", ERRORS), code


async def _read_capped(stream: asyncio.StreamReader, limit: int, what: str | None) -> bytes:
    """Up to `limit` bytes; more is an error for the output and silently dropped for stderr."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await stream.read(65536):
        size += len(chunk)
        if size > limit:
            if what is not None:
                raise CollectError(f"{what} exceeds {limit} bytes; stopped reading")
            continue
        chunks.append(chunk)
    return b"".join(chunks)


def _kill(proc: asyncio.subprocess.Process) -> None:
    """Stop the command and everything it started (its own session: ssh, sudo, sh)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def capture_from_output(host: str, out: str, err: str, code: int,
                        config_path: str | None = None) -> Collected:
    """The Capture in the collection script's output, or why there is none."""
    sections = split_sections(out)
    if "end" not in sections:
        why = _last_line(err) or "no output"
        if code == 255:
            return HostFailure(host, f"ssh failed: {why}")
        return HostFailure(host, f"the collection script did not finish (exit {code}): {why}")
    body, rc = sections["ipvsadm"]
    if rc != 0:
        return HostFailure(host, f"ipvsadm -Sn failed (exit {rc}): "
                                 f"{_last_line(body) or _last_line(err) or 'no message'}")
    addr, addr_rc = sections["addr"]
    stats, stats_rc = sections["stats"]
    name, _ = sections["hostname"]
    check, _ = sections["check"]
    config, _ = sections["config"]
    if config_path is None and host == LOCAL and config:
        config_path = REMOTE_CONFIG   # read in place here, so its includes resolve
    return Capture(host=host, ipvsadm=body, ipvsadm_source=f"{host}: ipvsadm -Sn",
                   addresses=addr if addr_rc == 0 else None, addresses_source=f"{host}: ip -j addr",
                   stats=stats if stats_rc == 0 else None, check_data=check or None,
                   config_text=config or None, config_path=config_path,
                   hostname=name.strip() or None)


def split_sections(out: str) -> dict[str, tuple[str, int]]:
    """section -> (text, exit status) from the marker lines; garbage yields no `end`."""
    sections: dict[str, tuple[str, int]] = {}
    current: str | None = None
    lines: list[str] = []
    for line in out.split("\n"):
        if not line.startswith(MARK):
            lines.append(line)
            continue
        word = line[len(MARK):].strip()
        if word.startswith("rc ") and current is not None:
            rc = int(word[3:]) if word[3:].isdigit() else -1
            # the script prints a newline before each marker: drop it
            text = "\n".join(lines)
            sections[current] = (text[:-1] if text.endswith("\n") else text, rc)
            current, lines = None, []
        elif word in SECTIONS or word == "end":
            current, lines = word, []
            if word == "end":
                sections["end"] = ("", 0)
    if "end" in sections and not all(s in sections for s in SECTIONS):
        del sections["end"]
    return sections


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return escape_controls(lines[-1], 160) if lines else ""


# ---------------------------------------------------------------- a fleet

async def collect_fleet(targets: Sequence[tuple[str, str | None]], options: CollectOptions,
                        on_done: Callable[[Collected], None] | None = None) -> list[Collected]:
    """Collect every (host, config path) in parallel, at most `options.parallel` at a time;
    results in the order of `targets`."""
    pool = asyncio.Semaphore(max(1, options.parallel))

    async def one(host: str, config: str | None) -> Collected:
        async with pool:
            result = await collect_host(host, options, config)
        if on_done is not None:
            on_done(result)
        return result

    return list(await asyncio.gather(*(one(h, c) for h, c in targets)))


def collect(targets: Sequence[tuple[str, str | None]], options: CollectOptions,
            on_done: Callable[[Collected], None] | None = None) -> list[Collected]:
    return asyncio.run(collect_fleet(targets, options, on_done))


# ---------------------------------------------------------------- folders

IPVSADM_FILE, ADDR_FILE, CHECK_FILE, CONFIG_FILE, STATS_FILE = (
    "ipvsadm.txt", "ip-addr.json", "check.data", "keepalived.conf", "ipvsadm-stats.txt")


def read_dir(folder: str | os.PathLike[str], max_size: int = 16 * 1024 * 1024
             ) -> list[Collected]:
    """One Capture per sub-folder of `folder` (its name is the director's name), as `--collect`
    writes them; a folder without ipvsadm.txt, or with an unreadable file, is a HostFailure."""
    root = Path(folder)
    if not root.is_dir():
        raise CollectError(f"{folder}: not a folder")
    out: list[Collected] = []
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        out.append(_read_host_dir(sub, max_size))
    if not out:
        raise CollectError(f"{folder}: no director folders (each needs {IPVSADM_FILE})")
    return out


def _read_host_dir(sub: Path, max_size: int) -> Collected:
    try:
        ipvsadm = _read_small(sub / IPVSADM_FILE, max_size)
        if ipvsadm is None:
            return HostFailure(sub.name, f"{sub / IPVSADM_FILE}: no such file")
        conf = sub / CONFIG_FILE
        return Capture(host=sub.name, ipvsadm=ipvsadm, ipvsadm_source=str(sub / IPVSADM_FILE),
                       addresses=_read_small(sub / ADDR_FILE, max_size),
                       addresses_source=str(sub / ADDR_FILE),
                       stats=_read_small(sub / STATS_FILE, max_size),
                       check_data=_read_small(sub / CHECK_FILE, max_size),
                       config_path=str(conf) if conf.is_file() else None)
    except (OSError, CollectError) as exc:
        return HostFailure(sub.name, escape_controls(str(exc), 200))


def _read_small(path: Path, max_size: int) -> str | None:
    if not path.exists():
        return None
    if path.stat().st_size > max_size:
        raise CollectError(f"{path}: larger than {max_size} bytes")
    return path.read_bytes().decode("utf-8", ERRORS)


_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]")


def folder_name(host: str) -> str:
    """A folder name for a host: path separators and odd characters become `_`."""
    name = _UNSAFE.sub("_", host).lstrip(".")
    return name or "_"


def write_dir(captures: Sequence[Capture], folder: str | os.PathLike[str],
              force: bool = False) -> list[Path]:
    """Write one folder per capture under `folder`, each made complete in a temporary folder
    and renamed into place. An existing director folder is kept unless `force`."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    targets = [(c, root / folder_name(c.host)) for c in captures]
    existing = [str(t) for _, t in targets if t.exists()]
    if existing and not force:
        raise CollectError(f"{existing[0]} exists (use --force to replace it)")
    written = []
    for capture, target in targets:
        _write_one(capture, target)
        written.append(target)
    return written


def _write_one(capture: Capture, target: Path) -> None:
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        files = {IPVSADM_FILE: capture.ipvsadm, ADDR_FILE: capture.addresses,
                 STATS_FILE: capture.stats, CHECK_FILE: capture.check_data}
        for name, text in files.items():
            if text is not None:
                (tmp / name).write_bytes(text.encode("utf-8", ERRORS))
        if capture.config_path is not None:
            shutil.copyfile(capture.config_path, tmp / CONFIG_FILE)
        elif capture.config_text is not None:
            (tmp / CONFIG_FILE).write_bytes(capture.config_text.encode("utf-8", ERRORS))
        os.chmod(tmp, 0o755)
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def with_config(capture: Capture, config_path: str | None) -> Capture:
    return replace(capture, config_path=config_path) if config_path else capture


def read_output(path: str, max_size: int = 16 * 1024 * 1024) -> tuple[str, str]:
    """(text, name) of a saved command output; `-` reads stdin. Raises CollectError."""
    import sys

    if path == "-":
        data = sys.stdin.buffer.read(max_size + 1)
        name = "<stdin>"
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read(max_size + 1)
        except OSError as exc:
            raise CollectError(f"{path}: {exc.strerror}") from None
        name = path
    if len(data) > max_size:
        raise CollectError(f"{name}: larger than {max_size} bytes")
    return data.decode("utf-8", ERRORS), name
