"""The typed model of a keepalived configuration: frozen slotted dataclasses.

Fields are spelled like keepalived's keywords. Values are typed where the text is valid and
None where it is missing or invalid (the keyword checks report invalid text). A model can be
built in code with no file; one read from a file keeps the syntax node it was built from,
only so that a rule can point at the exact argument. `effective` says which value keepalived
runs with.
"""
from kaconf.model import effective
from kaconf.model.base import GENERATED, Directive, ModelNode, walk
from kaconf.model.checkers import (
    BfdCheck,
    Checker,
    DnsCheck,
    FileCheck,
    HttpGet,
    MiscCheck,
    PingCheck,
    SmtpCheck,
    SslGet,
    TcpCheck,
    UdpCheck,
    Url,
)
from kaconf.model.config import Config, GlobalDefs
from kaconf.model.lvs import RealServer, SorryServer, VirtualServer, VirtualServerGroup, VsgEntry
from kaconf.model.vrrp import (
    Authentication,
    BfdInstance,
    TrackEntry,
    TrackFile,
    UnicastPeer,
    VipAddress,
    VrrpInstance,
    VrrpScript,
    VrrpSyncGroup,
    VrrpTrackProcess,
)

__all__ = [
    "GENERATED", "effective", "walk",
    "Authentication", "BfdCheck", "BfdInstance", "Checker", "Config", "Directive", "DnsCheck",
    "FileCheck", "VrrpTrackProcess",
    "GlobalDefs", "HttpGet", "MiscCheck", "ModelNode", "PingCheck", "RealServer", "SmtpCheck",
    "SorryServer", "SslGet", "TcpCheck", "TrackEntry", "TrackFile", "UdpCheck", "UnicastPeer",
    "Url", "VipAddress", "VirtualServer", "VirtualServerGroup", "VrrpInstance", "VrrpScript",
    "VrrpSyncGroup", "VsgEntry",
]
