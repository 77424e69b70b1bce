"""Structured fuzzing of kaconf: hypothesis strategies for keepalived configs that are valid or
almost valid (a brace dropped, a keyword misspelt, an argument removed, a block moved, random
bytes spliced in) with a known password planted in the ways people write secrets, and the
check that every output of kaconf keeps the invariants of issue 10. Used by the bounded test
in this folder and by scripts/fuzz.py for longer campaigns."""
from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

PASSWORD = "Zq7PlantedPw"
# every way of writing the secret that kaconf must recognise (the value stays PASSWORD)
PLANTS = [
    "auth_pass {pw}", "auth_pass \"{pw}\"", "auth_pass={pw}", "auth_pass\u00a0{pw}",
    "auth_pass\v{pw}", "auth_pass\n{pw}", "auth_pas {pw}", "\"auth_pass\" {pw}",
    "AUTH_PASS {pw}", "authentication {{ auth_type PASS auth_pass {pw} }}", "password {pw}",
    "key {pw}", "snmp_community {pw}", "auth_pass {pw} extra", "auth_pass {pw}#cut",
]
BLOCKS = [
    "global_defs {{\n    router_id lb{n}\n    {plant}\n}}",
    "vrrp_script chk_{n} {{\n    script \"/usr/bin/true\"\n    interval 2\n}}",
    "vrrp_instance VI_{n} {{\n    state MASTER\n    interface eth0\n    virtual_router_id {n}\n"
    "    priority 100\n    authentication {{\n        auth_type PASS\n        {plant}\n    }}\n"
    "    virtual_ipaddress {{\n        10.0.0.{n}\n    }}\n    track_script {{\n"
    "        chk_{n}\n    }}\n}}",
    "virtual_server 10.0.0.{n} 80 {{\n    lvs_sched rr\n    lvs_method DR\n"
    "    real_server 10.0.1.{n} 80 {{\n        weight 1\n        TCP_CHECK {{\n"
    "            connect_timeout 3\n        }}\n    }}\n}}",
    "SSL {{\n    {plant}\n}}",
    "vrrp_instance VI_{n} {{\n    {plant}\n}}",
]
NOISE = ["{", "}", "\"", "#", "!", "\\", "$X", "${PW}", "@main ", "~SEQ(i,3) ", "\x1b[2J",
         "\x07", "\r", "::error x::y", "##[group]", "\xff", "\udcff", "\u202e", "\t", "\v"]
# spliced in: the troublemakers above, any few characters, or any few bytes (those that are
# not UTF-8 reach kaconf as they would from a file)
NOISY = st.one_of(st.sampled_from(NOISE), st.text(max_size=4),
                  st.binary(max_size=4).map(lambda b: b.decode("utf-8", "surrogateescape")))
# raw control characters a terminal or CI log would act on (tab and newline are fine)
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@st.composite
def configs(draw: st.DrawFn) -> str:
    """A config of a few blocks with the password planted, then a few mutations."""
    count = draw(st.integers(1, 5))
    parts = []
    for n in range(1, count + 1):
        plant = draw(st.sampled_from(PLANTS)).format(pw=PASSWORD)
        parts.append(draw(st.sampled_from(BLOCKS)).format(n=n, plant=plant))
    if draw(st.booleans()):     # the password through a parameter
        parts.insert(0, f"$PW={PASSWORD}")
        parts.append("vrrp_instance VI_P {\n    authentication {\n        auth_pass $PW\n"
                     "    }\n}")
    lines = "\n".join(parts).split("\n")
    for _ in range(draw(st.integers(0, 4))):
        lines = draw(mutation(lines))
    return "\n".join(lines) + "\n"


def mutation(lines: list[str]) -> st.SearchStrategy[list[str]]:
    """One way to break a config a little, keeping the planted password whole."""
    if not lines:
        return st.just(lines)
    index = st.integers(0, len(lines) - 1)
    # a secret on the line after its keyword stays there, keyword and all: moved apart or
    # without its keyword the value is an ordinary word nobody could recognise
    near = {j for i, line in enumerate(lines) if PASSWORD in line for j in (i - 1, i, i + 1)}

    def drop_brace(i: int) -> list[str]:
        return [*lines[:i], lines[i].replace("{", "", 1).replace("}", "", 1), *lines[i + 1:]]

    def misspell(args: tuple[int, int]) -> list[str]:
        # one typo: a letter dropped, doubled or swapped with the next. A three-letter
        # keyword with a typo is any other word (`key` -> `ky`), so those stay as written
        i, how = args
        line = lines[i]
        words = line.split()
        if not words or PASSWORD in words[0] or len(words[0].strip('"')) <= 3:
            return lines
        word = words[0]
        at = 1 + how % (len(word) - 2)
        bad = [word[:at] + word[at + 1:], word[:at] + word[at] + word[at:],
               word[:at] + word[at + 1] + word[at] + word[at + 2:]][how % 3]
        return [*lines[:i], line.replace(word, bad, 1), *lines[i + 1:]]

    def drop_argument(i: int) -> list[str]:
        words = lines[i].split(" ")
        if len(words) < 2 or i in near:
            return lines
        return [*lines[:i], " ".join(words[:-1]), *lines[i + 1:]]

    def move(pair: tuple[int, int]) -> list[str]:
        out = list(lines)
        a, b = pair
        if a in near or b in near:
            return lines
        out[a], out[b] = out[b], out[a]
        return out

    def splice(args: tuple[int, str, int]) -> list[str]:
        i, noise, at = args
        line = lines[i]
        at = min(at, len(line))
        if i in near:
            # never inside the password or its keyword: a keyword split by a brace is no
            # longer that keyword, for keepalived either; junk glued to the end still tests
            at = len(line)
        return [*lines[:i], line[:at] + noise + line[at:], *lines[i + 1:]]

    return st.one_of(
        index.map(drop_brace), st.tuples(index, st.integers(0, 99)).map(misspell),
        index.map(drop_argument),
        st.tuples(index, index).map(move),
        st.tuples(index, NOISY, st.integers(0, 60)).map(splice),
    )


@dataclass
class Outcome:
    """What one input gave: the exit code and every output, by name."""

    code: int
    outputs: dict[str, str] = field(default_factory=dict)


def run_everything(text: str) -> Outcome:
    """Every command and format kaconf has, in-process, on `text` written to a file."""
    from kaconf import api
    from kaconf.emit import graph as g
    from kaconf.fmt import Mode, format_path
    from kaconf.render import RENDERERS

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "keepalived.conf"
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        report = api.lint_paths([path])
        outcome = Outcome(report.exit_code())
        for name, render in RENDERERS.items():
            out = io.StringIO()
            render(report, out)
            outcome.outputs[f"lint --format {name}"] = out.getvalue()
        diff = io.StringIO()
        api.apply_report_fixes(report, write=False, out=diff)
        outcome.outputs["lint --diff"] = diff.getvalue()
        for doc in report.documents:
            outcome.outputs["dump"] = api.dump(doc)
            outcome.outputs["dump --typed"] = api.dump(doc, typed=True)
            outcome.outputs["dump --format conf"] = api.dump(doc, "conf")
        if not report.failures:
            masker = api.mask_report(report)
            picture = g.build_graph(report)
            for fmt in ("text", "dot", "mermaid"):
                out = io.StringIO()
                g.write_graph(picture, fmt, out)
                outcome.outputs[f"graph --format {fmt}"] = masker.document(out.getvalue())
        formatted = format_path(str(path), Mode.DIFF, io.BytesIO())
        outcome.outputs["fmt --diff"] = formatted.diff + formatted.error
    return outcome


def problems(outcome: Outcome) -> list[str]:
    """Every way the outcome breaks an invariant (empty when it keeps them all)."""
    found = []
    if outcome.code not in (0, 1, 2):
        found.append(f"exit code {outcome.code}")
    for name, text in outcome.outputs.items():
        if PASSWORD in text:
            found.append(f"{name} shows the password")
        if RAW_CONTROL.search(text):
            found.append(f"{name} has a raw control character "
                         f"{RAW_CONTROL.search(text).group(0)!r}")  # type: ignore[union-attr]
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            found.append(f"{name} cannot be written as UTF-8")
        if any(line.lstrip().startswith(("::", "##[")) or "##[" in line
               for line in text.split("\n")) and not name.endswith("github"):
            found.append(f"{name} has a line a CI runner would read as a command")
    return found
