"""The seed's three behaviours, run in the lab and timed against what the configuration
promises (kaconf.drill.plan):

1. load balancing: requests from several clients reach every live real server, per-server
   counters of `ipvsadm -Ln --stats` beside the listeners' own counts;
2. director failover and return: the VIPs start where the priorities say; keepalived stopped
   on the MASTER, the BACKUP holds them within 3 x advert_int + skew and its IPVS table serves
   the same real servers; started again, the MASTER takes them back (preempt) or not
   (nopreempt);
3. real-server removal: a stopped real server leaves the table within its checker's timers,
   traffic avoids it, and it returns once started.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kaconf.drill.lab import CLIENT, Lab
from kaconf.drill.plan import InstancePlan, Plan, ServicePlan
from kaconf.drill.tables import Table, read_conns, read_table, serving, weights
from kaconf.drill.timeline import Step, Timeline, Verdict
from kaconf.drill.traffic import Background, Tally, send

POLL = 0.1
STARTUP = 1.0      # keepalived's own start, before its timers run
ESTIMATOR = 2.5    # seconds: IPVS updates the counters ipvsadm --stats shows every 2 s
SPLIT = 1.0        # two directors holding a VIP this long is a split brain, not a handover
B1, B2, B3 = "1 load balancing", "2 failover", "3 real servers"


@dataclass(slots=True)
class Watch:
    """What polling one VIP showed: when it first sat exactly where expected, and whether it
    ever sat on two directors at once."""

    vip: str
    expected: str | None
    reached: float | None = None
    seen: set[str] = field(default_factory=set)
    moved: set[str] | None = None            # holders seen after it was reached
    both: set[str] | None = None             # a split brain
    both_since: float | None = None          # two holders seen since (a handover shows
                                             # them for a moment; a split brain stays)

    @property
    def ok(self) -> bool:
        return self.reached is not None and self.moved is None and self.both is None


def _where(holders: set[str]) -> str:
    return " and ".join(sorted(holders)) if holders else "no director"


@dataclass(eq=False)
class Drill:
    lab: Lab
    plan: Plan
    timeline: Timeline
    lvs_skipped: str | None          # why the LVS half does not run, or None
    slack: float
    requests: int
    on_step: Callable[[Step], None] | None = None
    tables: dict[str, Table] = field(default_factory=dict)   # director -> table last read

    def add(self, step: Step) -> Step:
        self.timeline.add(step)
        if self.on_step is not None:
            self.on_step(step)
        return step

    # ------------------------------------------------------------ VRRP expectations
    def holder(self, name: str, running: set[str], current: str | None) -> InstancePlan | None:
        """Who should hold instance `name` among the `running` directors, `current` holding
        it now: the highest priority in force (ties: the higher address, RFC 3768 6.4.3),
        unless it does not preempt and another director already holds it."""
        address = {d.name: tuple(map(int, d.address.split("."))) for d in self.plan.directors}
        cands = [i for i in self.plan.instances(name)
                 if i.director in running and i.running is not None]
        if not cands:
            return None
        best = max(cands, key=lambda i: (i.running or 0, address[i.director]))
        if current is None:
            masters = [i for i in cands if i.initial_state == "MASTER"]
            if masters and best not in masters and not best.preempt:
                return max(masters, key=lambda i: (i.running or 0, address[i.director]))
            return best
        now = next((i for i in cands if i.director == current), None)
        if now is not None and not best.preempt:
            return now
        return best

    def watch(self, targets: dict[str, str | None], deadline: float, stable: float,
              start: float, going: dict[str, Watch] | None = None) -> dict[str, Watch]:
        """Poll every VIP until each sits exactly on its expected director (None: on none),
        up to `deadline` seconds after `start`, then keep watching for `stable` seconds
        (`going`: watches to carry on, from an earlier call)."""
        watches = going or {vip: Watch(vip, who) for vip, who in targets.items()}
        end = start + deadline
        settle_end: float | None = None
        while True:
            now = time.monotonic()
            for w in watches.values():
                w.seen = self.lab.holders(w.vip)
                if len(w.seen) < 2:
                    w.both_since = None
                elif w.both_since is None:
                    w.both_since = now
                elif now - w.both_since >= SPLIT and w.both is None:
                    w.both = set(w.seen)
                wanted = {w.expected} if w.expected else set()
                if w.reached is None and w.seen == wanted:
                    w.reached = now - start
                elif w.reached is not None and w.seen != wanted and w.moved is None:
                    w.moved = set(w.seen)
            if settle_end is None and all(w.reached is not None for w in watches.values()):
                settle_end = now + stable
            if (settle_end is not None and now >= settle_end) or (settle_end is None
                                                                  and now >= end):
                return watches
            time.sleep(POLL)

    def _vrrp_rows(self, step: str, plans: dict[str, InstancePlan | None],
                   watches: dict[str, Watch], promise: Callable[[InstancePlan], str]) -> bool:
        ok = True
        for name, inst in plans.items():
            vip = self._vip(name)
            if vip is None:
                continue
            w = watches[vip]
            where = _where({inst.director} if inst else set())
            expected = f"{name} {vip} on {where}" + (f" {promise(inst)}" if inst else "")
            if w.both is not None:
                observed = (f"split brain: {vip} on {_where(w.both)} at once "
                            f"({self._states(name)}){self._unheard(name)}")
            elif w.reached is None:
                observed = f"{vip} on {_where(w.seen)} ({self._states(name)})"
            elif w.moved is not None:
                observed = f"on {where} after {w.reached:.2f} s, then on {_where(w.moved)}"
            else:
                observed = f"on {where} after {w.reached:.2f} s and stayed"
            ok &= w.ok
            self.add(Step(B2, step, expected, observed, w.reached,
                          Verdict.PASS if w.ok else Verdict.FAIL))
        return ok

    def _unheard(self, name: str) -> str:
        """Why the directors may not hear each other, when the files say it."""
        ids = {i.director: i.vrid for i in self.plan.instances(name)}
        if len(set(ids.values())) > 1:
            return ("; they do not hear each other: virtual_router_id "
                    + ", ".join(f"{v} on {d}" for d, v in ids.items()) + " (KA501)")
        return "; they do not accept each other's adverts (run kaconf lint on the pair)"

    def _vip(self, name: str) -> str | None:
        return next((i.vips[0] for i in self.plan.instances(name) if i.vips), None)

    def _states(self, name: str) -> str:
        """Each director's last logged state of instance `name`, for a failure's why."""
        out = []
        for d in self.lab.directors.values():
            state = "not running" if not d.running() else "no state logged"
            for line in d.log_tail(400).splitlines():
                if f"({name})" in line and "Entering" in line:
                    state = line.split("Entering", 1)[1].strip().lower()
            out.append(f"{d.plan.name} {state}")
        return ", ".join(out)

    # ------------------------------------------------------------ behaviour 2
    def start(self) -> bool:
        """Start the directors that should hold the VIPs, then, once they do, the others
        (started together, a nopreempt pair would race on the skew alone); the VIPs must stay
        where the priorities say for a whole master-down interval (a split brain shows
        within it)."""
        names = [n for n in self.plan.instance_names() if self._vip(n)]
        running = set(self.lab.directors)
        plans = {n: self.holder(n, running, None) for n in names}
        longest = max((i.master_down for n in names for i in self.plan.instances(n)),
                      default=3.0)
        first = {p.director for p in plans.values() if p} or running
        began = time.monotonic()
        for name in sorted(first):
            self.lab.directors[name].start()
        vips = {self._vip(n) or "": (p.director if p else None) for n, p in plans.items()}
        watches = self.watch(vips, longest + STARTUP + self.slack, 0.0, began)
        for name in sorted(running - first):
            self.lab.directors[name].start()
        watches = self.watch(vips, 0.0, longest + STARTUP + self.slack, time.monotonic(),
                             watches)
        def promise(inst: InstancePlan) -> str:
            why = "; ".join(f"{i.director}: {i.why}" for i in self.plan.instances(inst.name))
            return (f"({why}) within {inst.master_down:.2f} s (+{STARTUP:g} s start, "
                    f"+{self.slack:g} s)")

        step = (f"start {', '.join(sorted(first))}, then "
                f"{', '.join(sorted(running - first))}" if running - first else
                "start every director")
        return self._vrrp_rows(step, plans, watches, promise)

    def failover(self) -> None:
        names = [n for n in self.plan.instance_names() if self._vip(n)]
        current = {n: next(iter(self.lab.holders(self._vip(n) or "")), None) for n in names}
        counts = [c for c in current.values() if c]
        if not counts:
            return
        master = max(set(counts), key=counts.count)
        running = set(self.lab.directors) - {master}
        plans = {n: self.holder(n, running, None) for n in names if current[n] == master}
        deadline = max((p.master_down for p in plans.values() if p), default=3.0)
        background = self._background()
        began = time.monotonic()
        self.lab.directors[master].terminate()
        vips = {self._vip(n) or "": (p.director if p else None) for n, p in plans.items()}
        watches = self.watch(vips, deadline + self.slack, 1.0, began)
        self.lab.directors[master].stop()
        self._vrrp_rows(f"stop keepalived on {master}", plans, watches,
                        lambda i: f"within 3 x advert_int {i.advert_int:g} + skew "
                                  f"{i.skew:.2f} = {i.master_down:.2f} s (+{self.slack:g} s)")
        if background is not None:
            self._switch_loss(background, time.monotonic() - began)
            self._backup_serves(master, next((p.director for p in plans.values() if p), None))
        else:
            self.skip_lvs(B2, "the BACKUP's IPVS table serves")
        self._return(master, names)

    def _return(self, master: str, names: list[str]) -> None:
        current = {n: next(iter(self.lab.holders(self._vip(n) or "")), None) for n in names}
        running = set(self.lab.directors)
        plans = {n: self.holder(n, running, current[n]) for n in names}
        mine = [i for n in names for i in self.plan.instances(n) if i.director == master]
        longest = max((i.master_down + i.preempt_delay for i in mine), default=3.0)
        began = time.monotonic()
        self.lab.directors[master].start()
        vips = {self._vip(n) or "": (p.director if p else None) for n, p in plans.items()}
        watches = self.watch(vips, longest + STARTUP + self.slack,
                             longest + STARTUP + self.slack, began)

        def promise(inst: InstancePlan) -> str:
            back = next((i for i in mine if i.name == inst.name), None)
            if inst.director == master and back is not None:
                return (f"(preempt) within {back.master_down:.2f} s"
                        + (f" + preempt_delay {back.preempt_delay:g}" if back.preempt_delay
                           else "") + f" (+{STARTUP:g} s start, +{self.slack:g} s)")
            if back is not None and not back.preempt:
                return f"(nopreempt on {master}: it stays)"
            return "(it stays)"

        self._vrrp_rows(f"start keepalived on {master} again", plans, watches, promise)

    # ------------------------------------------------------------ LVS, behaviours 1 to 3
    def table(self, director: str) -> Table:
        out = read_table(self.lab.ipvs_listing(director), f"ipvsadm -Ln on {director}")
        self.tables[director] = out
        return out

    def _holder_of(self, service: ServicePlan) -> str | None:
        return next(iter(sorted(self.lab.holders(service.vip))), None)

    def _wait_table(self, director: str, want: Callable[[Table], bool], deadline: float
                    ) -> float | None:
        began = time.monotonic()
        while time.monotonic() - began <= deadline:
            if want(self.table(director)):
                return time.monotonic() - began
            time.sleep(POLL * 3)
        return None

    def _tcp(self) -> list[ServicePlan]:
        return [s for s in self.plan.services() if s.protocol == "TCP" and s.servers]

    def skip_lvs(self, behaviour: str, step: str) -> None:
        why = self.lvs_skipped or "no TCP virtual_server with real servers"
        self.add(Step(behaviour, step, "a TCP virtual_server on kernel IPVS",
                      f"skipped: {why}", None, Verdict.SKIP))

    def load_balancing(self) -> None:
        for service in self._tcp():
            director = self._holder_of(service)
            if director is None:
                self.add(Step(B1, f"traffic to {service.endpoint}", "the VIP on a director",
                              "no director holds it", None, Verdict.FAIL))
                continue
            live = {r.address for r in service.servers if r.weight > 0}
            wait = max(r.return_within for r in service.servers) + self.slack
            took = self._wait_table(director, serving(service.endpoint, live), wait)
            if took is None:
                self.add(Step(B1, f"IPVS table of {director}", f"{service.endpoint}: "
                              f"{', '.join(sorted(live))} within {wait:.1f} s",
                              f"{self._listed(director, service)}", None, Verdict.FAIL))
                continue
            self._spread(director, service, live, took)

    def _listed(self, director: str, service: ServicePlan) -> str:
        servers = self.tables.get(director, {}).get(service.endpoint)
        if servers is None:
            return f"{service.endpoint} is not in {director}'s table"
        return (f"{director} lists " + ", ".join(f"{a} weight {w}" for a, w in
                                                 sorted(servers.items())) if servers
                else f"{director} lists {service.endpoint} without real servers")

    def _conns(self, director: str, service: ServicePlan) -> dict[str, int]:
        return read_conns(self.lab.ipvs_listing(director, "--stats", "--exact"),
                          service.endpoint, f"ipvsadm -Ln --stats on {director}")

    def _heard(self, service: ServicePlan) -> dict[str, int]:
        """Requests each real server's listener answered from the lab's clients."""
        clients = set(self.plan.clients)
        out = {}
        for address, host in self.lab.servers.items():
            try:
                lines = host.log.read_text().splitlines()
            except FileNotFoundError:
                lines = []
            out[address] = sum(1 for x in lines if x.split()[:1] == [str(service.port)]
                               and x.split()[1:2][0] in clients)
        return out

    def _spread(self, director: str, service: ServicePlan, live: set[str], took: float) -> None:
        before, heard_before = self._conns(director, service), self._heard(service)
        tally = send(CLIENT, service.vip, service.port, self.plan.clients, self.requests)
        # the kernel folds its per-CPU counters into what ipvsadm reads every 2 s (the rate
        # estimator), so a read right after the traffic misses some of it
        time.sleep(ESTIMATOR)
        after, heard = self._conns(director, service), self._heard(service)
        parts = []
        for address in sorted(live | set(tally.by_server)):
            conns = after.get(address, 0) - before.get(address, 0)
            got = heard.get(address, 0) - heard_before.get(address, 0)
            parts.append(f"{address}: {got} answered, ipvsadm {conns} conns, "
                         f"{len(tally.clients_of(address))} clients")
        missing = sorted(live - set(tally.by_server))
        sticky = all(len({a for s, a in tally.answers if s == c and a}) <= 1
                     for c in self.plan.clients)
        expected = (f"{self.requests} requests from {len(self.plan.clients)} clients reach "
                    f"{', '.join(sorted(live))} ({service.scheduler}")
        if service.persistence:
            expected += f", persistence {service.persistence} s: each client keeps its server"
        observed = "; ".join(parts) + f"; {tally.lost} lost"
        if service.persistence:
            observed += ("; every client stayed on one server (persistence, not imbalance)"
                         if sticky else "; a client changed server despite persistence")
        ok = not missing and tally.lost == 0 and (sticky or not service.persistence)
        if missing:
            observed += f"; never reached: {', '.join(missing)}"
        self.add(Step(B1, f"traffic to {service.endpoint} via {director}", expected + ")",
                      observed, took, Verdict.PASS if ok else Verdict.FAIL))

    def _background(self) -> Background | None:
        services = self._tcp() if self.lvs_skipped is None else []
        if not services:
            return None
        return Background.start(CLIENT, services[0].vip, services[0].port, self.plan.clients)

    def _switch_loss(self, background: Background, took: float) -> None:
        tally: Tally = background.finish()
        self.add(Step(B2, "requests during the switch", "counted (one every 0.1 s)",
                      f"{tally.lost} of {len(tally.answers)} lost over {took:.1f} s",
                      None, Verdict.PASS))

    def _backup_serves(self, master: str, backup: str | None) -> None:
        if backup is None:
            return
        before = self.tables.get(master, {})
        after = self.table(backup)
        for service in self._tcp():
            had = {a for a, w in before.get(service.endpoint, {}).items() if w > 0}
            has = {a for a, w in after.get(service.endpoint, {}).items() if w > 0}
            configured = {r.address for r in service.servers if r.weight > 0}
            expected = (f"{backup} serves {service.endpoint} with "
                        f"{', '.join(sorted(had or configured))} as {master} did")
            tally = send(CLIENT, service.vip, service.port, self.plan.clients,
                         self.requests)
            reached = set(tally.by_server)
            observed = (f"{backup} lists {', '.join(sorted(has)) or 'no real server'}; "
                        f"requests reached {', '.join(sorted(reached)) or 'none'}, "
                        f"{tally.lost} lost")
            differs = []
            if had - has:
                differs.append(f"missing on {backup}: {', '.join(sorted(had - has))}")
            if has - had:
                differs.append(f"only on {backup}: {', '.join(sorted(has - had))}")
            if differs:
                observed += "; real-server set differs from " + master + "'s (" + "; ".join(
                    differs) + ")"
            ok = not differs and tally.lost == 0 and reached == has
            self.add(Step(B2, f"{backup}'s IPVS table serves", expected, observed, None,
                          Verdict.PASS if ok else Verdict.FAIL))

    def real_servers(self) -> None:
        for address, host in self.lab.servers.items():
            services = [s for s in self._tcp() if any(r.address == address for r in s.servers)]
            if not services:
                continue
            director = self._holder_of(services[0])
            if director is None:
                continue
            rows = [r for s in services for r in s.servers if r.address == address]
            leave = max(r.leave_within for r in rows)
            host.stop()
            took = self._wait_table(director, weights(address, services, present=False),
                                    leave + self.slack)
            tally = send(CLIENT, services[0].vip, services[0].port, self.plan.clients,
                         len(self.plan.clients) * 2)
            # a request whose client port matches a connection IPVS still holds for the
            # stopped server is dropped (net.ipv4.vs.expire_nodest_conn=0, the default): it
            # is counted and shown, but the promise is that new traffic goes to the others
            avoided = address not in tally.by_server and len(tally.answers) > tally.lost
            self.add(Step(B3, f"stop real server {address}",
                          f"leaves {director}'s table within {leave:g} s ({rows[0].timers}); "
                          "traffic avoids it",
                          (f"left after {took:.2f} s" if took is not None else
                           f"still listed after {leave + self.slack:.1f} s") +
                          f"; {len(tally.answers) - tally.lost} answered by others, "
                          f"{tally.lost} lost", took,
                          Verdict.PASS if took is not None and avoided else Verdict.FAIL))
            back = max(r.return_within for r in rows)
            host.start()
            took = self._wait_table(director, weights(address, services, present=True),
                                    back + self.slack)
            self.add(Step(B3, f"start real server {address}",
                          f"back in {director}'s table within {back:g} s "
                          "(delay_loop + connect_timeout)",
                          f"back after {took:.2f} s" if took is not None else
                          f"not back after {back + self.slack:.1f} s", took,
                          Verdict.PASS if took is not None else Verdict.FAIL))

    # ------------------------------------------------------------ the whole drill
    def run(self) -> None:
        self.timeline.skipped += [f"vrrp_instance {n}: no IPv4 VIP (the lab drills IPv4)"
                                  for n in self.plan.instance_names() if self._vip(n) is None]
        self.timeline.skipped += [f"virtual_server {s.endpoint} {s.protocol}: the lab sends "
                                  "TCP requests only" for s in self.plan.services()
                                  if s.protocol != "TCP"]
        if not self.start():
            self.add(Step(B2, "the rest of the drill", "runs once the VIPs sit where "
                          "configured", "not run: the start did not behave as configured",
                          None, Verdict.SKIP))
            return
        lvs = self.lvs_skipped is None and bool(self._tcp())
        if not lvs:
            why = self.lvs_skipped or "no TCP virtual_server with real servers"
            self.timeline.skipped.append(f"the LVS half (behaviours 1 and 3, and the "
                                         f"BACKUP's IPVS table in 2): {why}")
        if lvs:
            self.load_balancing()
            for director in self.lab.directors:
                if director in {self._holder_of(s) for s in self._tcp()}:
                    self.table(director)
        else:
            self.skip_lvs(B1, "traffic through the VIPs")
        self.failover()
        if lvs:
            self.real_servers()
        else:
            self.skip_lvs(B3, "stop and start each real server")
