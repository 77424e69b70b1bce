"""Who is MASTER and which priority each director gets, from a cluster description.

The MASTER is the director with `state = "MASTER"`, else the one with the highest priority,
else the first one. Priorities kaconf picks step down from the MASTER by a gap smaller than
every track-script weight, so that one failing check on the MASTER hands the VIP to the next
director (a gap larger than the weights would make the checks useless: KA512), while positive
weights stay within keepalived's 1..254 (KA207).
"""
from __future__ import annotations

from dataclasses import dataclass

from kaconf.gen.description import Description, Director

TOP = 254            # the highest priority below the address owner's 255
DEFAULT_MASTER = 150
DEFAULT_GAP = 50


@dataclass(frozen=True, slots=True)
class Role:
    director: Director
    index: int          # position in [[directors]]
    state: str          # MASTER | BACKUP, as written in the director's file
    priority: int
    interface: str

    @property
    def name(self) -> str:
        return self.director.name


class RoleError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def weight_sums(desc: Description) -> tuple[int, int]:
    """(sum of positive weights, sum of negative weights' sizes) of the track scripts."""
    weights = [t.weight for t in desc.cluster.track_scripts]
    return sum(w for w in weights if w > 0), sum(-w for w in weights if w < 0)


def plan_roles(desc: Description) -> list[Role]:
    """One Role per director, in description order. Raises RoleError."""
    problems: list[str] = []
    master = _master_index(desc, problems)
    priorities = _priorities(desc, master, problems)
    if problems:
        raise RoleError(problems)
    everyone_backup = desc.cluster.nopreempt
    return [Role(d, i, "MASTER" if i == master and not everyone_backup else "BACKUP",
                 priorities[i], d.interface or desc.cluster.interface)
            for i, d in enumerate(desc.directors)]


def _master_index(desc: Description, problems: list[str]) -> int:
    stated = [i for i, d in enumerate(desc.directors) if d.state == "MASTER"]
    for i in stated[1:]:
        problems.append(f"directors[{i}].state: directors[{stated[0]}] is already the MASTER; "
                        "a cluster has one MASTER, the others are BACKUP")
    if desc.cluster.nopreempt:
        for i in stated:
            problems.append(f"directors[{i}].state: with cluster.nopreempt every director "
                            "starts as BACKUP (keepalived clears nopreempt on a MASTER); "
                            "the highest priority decides who takes the VIP first")
    given = [(d.priority, i) for i, d in enumerate(desc.directors) if d.priority is not None]
    if stated:
        return stated[0]
    if given:
        master = max(given)[1]
    else:
        first = next((i for i, d in enumerate(desc.directors) if d.state != "BACKUP"), None)
        if first is None:
            if not desc.cluster.nopreempt:
                problems.append('directors: every director says state = "BACKUP"; give one '
                                'state = "MASTER", or set cluster.nopreempt')
            return 0
        master = first
    if desc.directors[master].state == "BACKUP" and not desc.cluster.nopreempt:
        problems.append(f"directors[{master}].state: BACKUP, but it has the highest priority "
                        "and takes the VIP anyway; write MASTER, or give another director a "
                        "higher priority")
    return master


def _priorities(desc: Description, master: int, problems: list[str]) -> list[int]:
    given = [d.priority for d in desc.directors]
    if all(p is None for p in given):
        return _default_priorities(desc, master, problems)
    missing = [i for i, p in enumerate(given) if p is None]
    for i in missing:
        problems.append(f"directors[{i}].priority: give every director a priority, or none "
                        "(kaconf then picks them)")
    if missing:
        return [0] * len(given)
    chosen = [p for p in given if p is not None]
    _check_order(desc, chosen, master, problems)
    return chosen


def gap_for(desc: Description) -> int:
    """The step between priorities: below every weight's size, so one check moves the VIP."""
    sizes = [abs(t.weight) for t in desc.cluster.track_scripts if t.weight]
    return DEFAULT_GAP if not sizes else max(1, min(sizes) // 2)


def _default_priorities(desc: Description, master: int, problems: list[str]) -> list[int]:
    up, down = weight_sums(desc)
    gap = gap_for(desc)
    top = min(DEFAULT_MASTER, TOP - up)
    out = [0] * len(desc.directors)
    out[master] = top
    rank = 1
    for i in range(len(desc.directors)):
        if i != master:
            out[i] = top - gap * rank
            rank += 1
    lowest = min(out)
    if lowest - down < 1:
        problems.append(f"cluster.track_scripts: with {len(out)} directors {gap} apart, "
                        f"negative weights of {down} in all would push the lowest priority "
                        f"{lowest} below 1 (keepalived stops at 1); use smaller weights")
    return out


def _check_order(desc: Description, prio: list[int], master: int, problems: list[str]) -> None:
    for i, p in enumerate(prio):
        if i != master and p >= prio[master]:
            problems.append(f"directors[{i}].priority: {p} is not below the MASTER's "
                            f"{prio[master]} (directors[{master}]); the MASTER needs the "
                            "highest priority")
    for i, p in enumerate(prio):
        if prio.index(p) != i:
            problems.append(f"directors[{i}].priority: {p} is also directors[{prio.index(p)}]'s;"
                            " give each director its own priority")
    up, down = weight_sums(desc)
    if prio[master] + up > TOP:
        problems.append(f"directors[{master}].priority: {prio[master]} plus the positive "
                        f"track weights ({up}) exceeds {TOP}, where keepalived stops; "
                        f"use at most {TOP - up}")
    if min(prio) - down < 1:
        problems.append(f"directors[{prio.index(min(prio))}].priority: {min(prio)} minus the "
                        f"negative track weights ({down}) goes below 1, where keepalived stops")
    _check_weights_move(desc, prio, master, problems)


def _check_weights_move(desc: Description, prio: list[int], master: int,
                        problems: list[str]) -> None:
    """The MASTER with every check failed must fall below the best BACKUP with every check
    healthy, or the checks can never move the VIP."""
    up, down = weight_sums(desc)
    if not desc.cluster.track_scripts or len(prio) < 2 or not up + down:
        return
    best = max(p for i, p in enumerate(prio) if i != master)
    if prio[master] - down >= best + up:
        problems.append(f"cluster.track_scripts: the weights ({up + down} in all) can never "
                        f"move the VIP: the MASTER's priority {prio[master]} with every check "
                        f"failed stays at or above the best BACKUP's {best}; use weights whose "
                        f"sizes add up to more than {prio[master] - best}, or closer priorities")
