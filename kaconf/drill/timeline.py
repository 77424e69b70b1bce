"""The drill's result: one row per step (what the configuration promises, what the lab showed,
how long it took, the verdict), what the lab replaced, and the exit status; rendered as a rich
table or JSON."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TextIO


class Verdict(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skipped"


@dataclass(frozen=True, slots=True)
class Step:
    behaviour: str          # "1 load balancing", "2 failover", "3 real servers"
    step: str
    expected: str
    observed: str
    seconds: float | None
    verdict: Verdict

    def as_json(self) -> dict[str, object]:
        return {"behaviour": self.behaviour, "step": self.step, "expected": self.expected,
                "observed": self.observed,
                "seconds": None if self.seconds is None else round(self.seconds, 2),
                "verdict": self.verdict.value}


@dataclass(slots=True)
class Timeline:
    steps: list[Step] = field(default_factory=list)
    lab: list[str] = field(default_factory=list)          # what was built, and where from
    replaced: list[str] = field(default_factory=list)     # what the lab changed in the files
    skipped: list[str] = field(default_factory=list)      # what did not run, and why
    left_behind: list[str] = field(default_factory=list)  # what cleanup could not remove

    def add(self, step: Step) -> Step:
        self.steps.append(step)
        return step

    @property
    def failed(self) -> list[Step]:
        return [s for s in self.steps if s.verdict is Verdict.FAIL]

    @property
    def exit_code(self) -> int:
        """0: everything behaved as configured; 1: a behaviour differed."""
        return 1 if self.failed or self.left_behind else 0

    def as_json(self) -> dict[str, object]:
        return {"result": "fail" if self.exit_code else "pass", "exit_code": self.exit_code,
                "steps": [s.as_json() for s in self.steps], "lab": self.lab,
                "replaced": self.replaced, "skipped": self.skipped,
                "left_behind": self.left_behind}


def timeline_from_json(data: dict[str, Any]) -> Timeline:
    """A timeline back from `as_json()` (a drill run elsewhere, e.g. inside the IPVS VM)."""
    steps = [Step(str(s["behaviour"]), str(s["step"]), str(s["expected"]),
                  str(s["observed"]), None if s["seconds"] is None else float(s["seconds"]),
                  Verdict(s["verdict"])) for s in data["steps"]]
    return Timeline(steps, list(data["lab"]), list(data["replaced"]), list(data["skipped"]),
                    list(data["left_behind"]))


def progress_lines(out: TextIO, then: Callable[[Step], None] | None = None
                   ) -> Callable[[Step], None]:
    """A step callback writing one line per step as it ends (then calling `then`)."""
    def tell(step: Step) -> None:
        out.write(f"[{step.verdict.value}] {step.step}: {step.observed}\n")
        out.flush()
        if then is not None:
            then(step)

    return tell


def render_json(timeline: Timeline, out: TextIO) -> None:
    out.write(json.dumps(timeline.as_json(), indent=2) + "\n")


def render_text(timeline: Timeline, out: TextIO, width: int | None = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # a pipe or a file gets a width that keeps a row on one line; a terminal keeps its own
    wide = width or (None if out.isatty() else 150)
    console = Console(file=out, width=wide, highlight=False, soft_wrap=False)
    table = Table(title="kaconf drill", show_lines=True)
    for column in ("behaviour", "step", "expected", "observed", "time", "verdict"):
        table.add_column(column, overflow="fold")
    colour = {Verdict.PASS: "green", Verdict.FAIL: "bold red", Verdict.SKIP: "yellow"}
    for s in timeline.steps:
        took = "" if s.seconds is None else f"{s.seconds:.2f} s"
        table.add_row(s.behaviour, s.step, s.expected, s.observed, took,
                      Text(s.verdict.value.upper(), style=colour[s.verdict]))
    console.print(table)
    for title, lines in (("lab", timeline.lab), ("replaced in the configurations",
                                                 timeline.replaced),
                         ("skipped", timeline.skipped), ("left behind", timeline.left_behind)):
        if lines:
            console.print(Text(f"{title}:", style="bold"))
            for line in lines:
                console.print(Text(f"  {line}"))
    failed = timeline.failed
    verdict = (f"FAIL: {len(failed)} step(s) differ from the configuration: "
               + "; ".join(f"{s.step}: {s.observed}" for s in failed) if failed
               else "PASS: every step behaved as configured")
    console.print(Text(verdict, style="bold red" if failed else "bold green"))
