"""gen-pair from end to end, without touching the file system: the files to write, and what
lint must then say nothing about."""
from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kaconf import __version__
from kaconf.gen.build import build_pair, header, merge_single_file
from kaconf.gen.checked import checked
from kaconf.gen.derive import (
    DeriveError,
    Peer,
    check_master,
    derive_peer,
    has_conditionals,
    resolve_conditionals,
)
from kaconf.gen.description import Description
from kaconf.gen.output import OutFile
from kaconf.gen.realservers import realserver_files, realserver_setup
from kaconf.model import Config

CONF = "keepalived.conf"
SINGLE = "keepalived.conf"
PASS_CHARS = string.ascii_letters + string.digits
PASS_LENGTH = 8


@dataclass
class Generated:
    files: list[OutFile]
    # (relative path, config id or None): the configurations to lint together as one cluster
    configs: list[tuple[str, str | None]]
    generated_pass: str | None = None
    written: list[Path] = field(default_factory=list)


def new_auth_pass() -> str:
    """A fresh VRRP password from the operating system's cryptographic source."""
    return "".join(secrets.choice(PASS_CHARS) for _ in range(PASS_LENGTH))


def generate(desc: Description, source: str, single_file: bool,
             taken: Sequence[tuple[str, int, str]] = ()) -> Generated:
    """Every file gen-pair writes for a description. Raises DescriptionError."""
    roles = checked(desc, source, taken)
    made = None
    auth = desc.cluster.auth_pass
    if auth is None and desc.cluster.version == 2:
        auth = made = new_auth_pass()
    built = build_pair(desc, roles, auth, source)
    if single_file:
        files = [OutFile(SINGLE, merge_single_file(built))]
        configs: list[tuple[str, str | None]] = [(SINGLE, b.role.name) for b in built]
    else:
        files = [OutFile(f"{b.role.name}/{CONF}", b.text) for b in built]
        configs = [(f"{b.role.name}/{CONF}", None) for b in built]
    if desc.services:
        files += realserver_files(realserver_setup(desc, header(source)))
    return Generated(files, configs, made)


def prepare_master(text: str, source: str, peers: list[Peer],
                   config_id: str | None) -> str:
    """The MASTER's text as its director reads it (conditional lines resolved), after the
    checks that need no parsing. Raises DeriveError."""
    if not peers:
        raise DeriveError("--from needs at least one --peer NAME=ADDRESS")
    names = [p.name for p in peers]
    if len(set(names)) != len(names) or len({p.address for p in peers}) != len(peers):
        raise DeriveError("every --peer needs its own name and address")
    if has_conditionals(text):
        if config_id is None:
            raise DeriveError(f"{source}: has @-conditional lines; give --config-id with the "
                              "MASTER's id so kaconf reads the file as that director does")
        return resolve_conditionals(text, config_id)
    return text


def derive(config: Config, text: str, source: str, peers: list[Peer]) -> Generated:
    """The peers' files derived from the MASTER's `text`, which `config` was read from.
    Raises DeriveError."""
    check_master(config, peers)
    stamp = (f"! Derived by kaconf {__version__} gen-pair from {Path(source).name} for "
             "{name}: state, priority, router_id and source/peers changed.\n")
    files = [OutFile(f"{p.name}/{CONF}",
                     stamp.format(name=p.name) + derive_peer(config, text, p, rank))
             for rank, p in enumerate(peers, start=1)]
    return Generated(files, [(f.path, None) for f in files])
