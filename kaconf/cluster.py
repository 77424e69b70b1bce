"""Which configurations form a cluster: directors whose VRRP instances belong together.

Instances of different files (or of one file read for several config ids) are matched by
instance name (confirmed by the same virtual_router_id or a shared VIP), then by
virtual_router_id with overlapping VIPs. Files linked by a match form
one cluster. Explicit groups from the settings (`[[tool.kaconf.cluster]] files = [...]`)
override the guess.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import field
from typing import TYPE_CHECKING

from kaconf.model import Config, VrrpInstance, effective
from kaconf.records import record

if TYPE_CHECKING:
    from kaconf.document import Document


@record
class Member:
    """One director: a file read for one config id."""

    doc: Document
    label: str

    @property
    def config(self) -> Config:
        return self.doc.config


@record
class InstanceSet:
    """The same VRRP instance on each director that has it."""

    key: str                                   # the name, or "vrid N" when matched by id
    reason: str                                # why these were matched
    entries: list[tuple[Member, VrrpInstance]] = field(default_factory=list)

    def on(self, member: Member) -> VrrpInstance | None:
        return next((inst for m, inst in self.entries if m is member), None)

    def masters(self) -> list[tuple[Member, VrrpInstance]]:
        """The directors on which keepalived starts this instance as MASTER (worked out once
        for the entries the set has: every KA5xx rule asks)."""
        known = self.__dict__.get("_masters")
        if known is None or known[0] != len(self.entries):
            known = self.__dict__["_masters"] = (len(self.entries), [
                (m, i) for m, i in self.entries
                if effective.initial_state_value(m.config, i) == "MASTER"])
        return list(known[1])


@record
class Cluster:
    members: list[Member]
    instance_sets: list[InstanceSet]
    reason: str                                # how the cluster was formed

    def peers(self, member: Member) -> list[Member]:
        return [m for m in self.members if m is not member]


def is_strict(config: Config, inst: VrrpInstance) -> bool:
    """Strict mode: the instance's strict_mode wins, else the global vrrp_strict (which 2.2.7
    turns on whatever its argument)."""
    return effective.strict_value(config, inst)


def vip_set(inst: VrrpInstance) -> set[str]:
    return {v.address for v in inst.virtual_ipaddress if v.address}


def same_instance(a: VrrpInstance, b: VrrpInstance) -> str | None:
    """Why two instances of different directors are one VRRP instance, or None.

    A name alone is not enough: tutorials call every instance VI_1, so unrelated files
    would be paired. The name must come with the same virtual_router_id or a shared VIP;
    without the name, the id and a shared VIP must both agree."""
    same_vrid = a.virtual_router_id is not None and a.virtual_router_id == b.virtual_router_id
    shared = vip_set(a) & vip_set(b)
    if a.name and a.name == b.name and (same_vrid or shared):
        return f"same name {a.name} and " + (f"virtual_router_id {a.virtual_router_id}"
                                             if same_vrid else f"VIP {min(shared)}")
    if same_vrid and shared:
        return f"virtual_router_id {a.virtual_router_id} and VIP {min(shared)}"
    return None


def match_keys(inst: VrrpInstance) -> list[tuple[object, ...]]:
    """Keys two instances share whenever same_instance can match them (name and id, name
    and a VIP, id and a VIP): matching looks only at instances with a key in common, so
    a thousand pairs cost a thousand lookups, not a million comparisons."""
    name, vrid = inst.name, inst.virtual_router_id
    vips = vip_set(inst)
    keys: list[tuple[object, ...]] = []
    if name:
        if vrid is not None:
            keys.append(("name+vrid", name, vrid))
        keys += [("name+vip", name, v) for v in vips]
    if vrid is not None:
        keys += [("vrid+vip", vrid, v) for v in vips]
    return keys


def instance_sets(members: list[Member]) -> list[InstanceSet]:
    """Group the instances of the members: each set holds at most one instance a member.
    An instance joins the first set (in the order they were made) that has no instance of
    its member yet and holds an instance it matches."""
    sets: list[InstanceSet] = []
    holders: list[set[int]] = []               # ids of the members each set has
    by_key: dict[tuple[object, ...], set[int]] = {}   # key -> sets with an entry having it
    for member in members:
        for inst in member.config.vrrp_instances:
            keys = match_keys(inst)
            candidates = sorted(set().union(*(by_key.get(k, ()) for k in keys)))
            home = None
            for n in candidates:
                s = sets[n]
                if id(member) in holders[n]:
                    continue
                reason = next((r for _, other in s.entries if (r := same_instance(inst, other))),
                              None)
                if reason:
                    home = n
                    s.reason = s.reason or reason
                    break
            if home is None:
                home = len(sets)
                sets.append(InstanceSet(inst.name, ""))
                holders.append(set())
            sets[home].entries.append((member, inst))
            holders[home].add(id(member))
            for k in keys:
                by_key.setdefault(k, set()).add(home)
    return sets


def _components(members: list[Member]) -> list[list[Member]]:
    """Members linked by at least one shared instance."""
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Two instances that share a match key always match (each key is one of the pairs of
    # facts same_instance accepts), and instances that share none never do. So the members
    # holding a key are linked, unless they are all the same director read twice (same path
    # and config id), which is never compared with itself.
    by_key: dict[tuple[object, ...], list[int]] = {}
    for i, m in enumerate(members):
        for inst in m.config.vrrp_instances:
            for k in match_keys(inst):
                by_key.setdefault(k, []).append(i)
    for holders in by_key.values():
        first = members[holders[0]].doc
        if all(members[j].doc.path == first.path and members[j].doc.config_id == first.config_id
               for j in holders[1:]):
            continue
        root = find(holders[0])
        for j in holders[1:]:
            other = find(j)
            if other != root:
                parent[other] = root
    groups: dict[int, list[Member]] = {}
    for i, m in enumerate(members):
        groups.setdefault(find(i), []).append(m)
    return list(groups.values())


def form_clusters(docs: list[Document], groups: list[list[str]] | None = None) -> list[Cluster]:
    """Clusters of two or more members. `groups` (from the settings) are lists of file paths
    that form a cluster whatever their instances say; the other documents are grouped by
    matching instances."""
    members = [Member(d, label) for d, label in zip(docs, _labels(docs))]
    out: list[Cluster] = []
    taken: set[int] = set()
    real: dict[str, str] = {}
    for files in groups or []:
        wanted = {os.path.realpath(f) for f in files}
        if not real:
            real = {m.doc.path: os.path.realpath(m.doc.path) for m in members}
        chosen = [m for m in members if real[m.doc.path] in wanted]
        if len(chosen) >= 2:
            out.append(Cluster(chosen, instance_sets(chosen), "listed in the settings"))
            taken |= {id(m) for m in chosen}
    rest = [m for m in members if id(m) not in taken]
    for comp in _components(rest):
        if len(comp) >= 2:
            out.append(Cluster(comp, instance_sets(comp), "matching VRRP instances"))
    return out


def network(docs: list[Document]) -> Cluster | None:
    """Every director linted together, for the rules that look across clusters (two pairs
    on one link that share a virtual_router_id); None with fewer than two."""
    members = [Member(d, label) for d, label in zip(docs, _labels(docs))]
    if len(members) < 2:
        return None
    return Cluster(members, instance_sets(members), "every file linted together")


def _label(doc: Document, docs: list[Document]) -> str:
    several = sum(1 for d in docs if d.path == doc.path) > 1
    return f"{doc.path}@{doc.config_id}" if several else doc.path


def _labels(docs: list[Document]) -> list[str]:
    """_label of each document, counting the paths once."""
    count = Counter(d.path for d in docs)
    return [f"{d.path}@{d.config_id}" if count[d.path] > 1 else d.path for d in docs]


def describe(clusters: list[Cluster], docs: list[Document]) -> Iterator[str]:
    """What `kaconf lint --show-clusters` prints."""
    grouped = {id(m.doc) for c in clusters for m in c.members}
    for n, cluster in enumerate(clusters, start=1):
        yield f"cluster {n} ({cluster.reason}): " + ", ".join(m.label for m in cluster.members)
        for s in cluster.instance_sets:
            where = ", ".join(f"{m.label} {i.state or '?'} prio {effective.priority_value(i)}"
                              for m, i in s.entries)
            why = f" [{s.reason}]" if s.reason else " [on one director only]"
            yield f"  vrrp_instance {s.key}{why}: {where}"
    for doc in docs:
        if id(doc) not in grouped:
            yield f"alone: {_label(doc, docs)} (no VRRP instance matches another file)"
