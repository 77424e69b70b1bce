"""Running the installed `kaconf` as CI does, under the two environments every hardening test
covers: a strict UTF-8 stdout (PYTHONIOENCODING=utf-8) and the C locale."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

KACONF = Path(sys.executable).with_name("kaconf")
ENVIRONMENTS = {
    "utf8": {"PYTHONIOENCODING": "utf-8", "LANG": "en_US.UTF-8"},
    "C": {"LANG": "C", "LC_ALL": "C"},
}
# every output a lint run can take
LINT_FORMATS = ("text", "json", "sarif", "github", "junit")
# what a terminal or CI log would act on (tab and newline are fine)
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
# a guard against a hang, not a speed assertion: the inputs are small enough that a linear
# algorithm finishes in seconds, and the quadratic ones they replace took minutes
HANG_GUARD = 300


@dataclass
class Run:
    code: int
    out: bytes
    err: bytes

    @property
    def both(self) -> bytes:
        return self.out + self.err

    @property
    def text(self) -> str:
        """stdout and stderr decoded strictly: output must always be valid UTF-8."""
        return self.both.decode("utf-8")


def kaconf(*args: str | Path, env: str = "utf8", cwd: Path | None = None,
           stdin: bytes | None = None) -> Run:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("PYTHONIOENCODING", "LANG", "LC_ALL")}
    environment.update(ENVIRONMENTS[env])
    done = subprocess.run([str(KACONF), *map(str, args)], capture_output=True, cwd=cwd,
                          env=environment, input=stdin if stdin is not None else b"",
                          timeout=HANG_GUARD, check=False)
    return Run(done.returncode, done.stdout, done.stderr)


def assert_clean(run: Run, *, codes: tuple[int, ...] = (0, 1), secrets: tuple[str, ...] = (),
                 forbidden: tuple[str, ...] = ()) -> None:
    """The run ended normally, printed no traceback, no secret, nothing of `forbidden` (lines
    of a refused file), no raw control character, and valid UTF-8."""
    text = run.text
    assert run.code in codes, (run.code, text[-2000:])
    assert "Traceback" not in text and "internal error" not in text, text[-2000:]
    for secret in secrets:
        assert secret not in text, f"secret {secret!r} leaked:\n{text[-3000:]}"
    for line in forbidden:
        assert line not in text, f"refused content {line!r} shown:\n{text[-3000:]}"
    assert not RAW_CONTROL.search(run.both), text[-2000:]
