"""Shape.build's reading of one set of keywords, written out as straight-line Python.

A big file holds thousands of blocks with the same keywords (every real_server of a farm);
once a set has been read often, to_ast.Shape compiles its reading into one function: each
keyword's words typed in place and the record's fields set in place as records.maker sets
them, with no loop over steps, no list of values and no test of which reader a step takes.
The function does exactly what Shape.build's loop does for that set (tests/test_model.py
holds the two together).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

WORDS = "_words(args)"
LITERALS = (type(None), bool, int, str)     # defaults written as they are, not by name


def words(args: Sequence[Any]) -> list[str]:
    """The words of a line, as the printer writes back a value it could not type."""
    return [a.value for a in args]


def _step(n: int, keyword: str, key: str, kind: str, second: bool) -> list[str]:
    """The lines that read step `n` (the keyword's last line in `index`) into v{n}: a number
    typed by its Numbers _n{n} (kind "number"), or what to_ast.text, flag or persistence do."""
    kw, k, v = repr(keyword), repr(key), f"v{n}"
    if kind == "text":
        # the text of a command is kept when keepalived tokenizes it a second time
        raw = ["raw = _command_text(found)", "if raw is not None:", f"    raw_text[{k}] = raw"]
        if not second:
            raw = ["spec = found.spec", 'if spec is not None and spec.value == "script":',
                   *(f"    {line}" for line in raw)]
        return [f"found = index[{kw}][1]", "args = found.args",
                "if len(args) != 1:", f"    verbatim[{k}] = {WORDS}", *raw,
                f"{v} = args[0].value if args else None"]
    head = [f"args = index[{kw}][1].args"]
    if kind == "flag":
        return head + ["if args:", f"    verbatim[{k}] = {WORDS}", f"{v} = True"]
    if kind == "persistence":
        return head + ["if args:", f"    {v} = _n{n}[args[0].value]",
                       f"    if {v} is None or len(args) != 1:",
                       f"        verbatim[{k}] = {WORDS}",
                       "else:", f"    verbatim[{k}] = []", f"    {v} = 360"]
    if kind == "number":
        return head + [f"{v} = _n{n}[args[0].value] if args else None",
                       f"if {v} is None or len(args) != 1:", f"    verbatim[{k}] = {WORDS}"]
    raise ValueError(f"no code for a step of kind {kind!r}")


def plan_source(keywords: Sequence[str], steps: Sequence[tuple[str, str, int, str, bool]],
                defaults: Sequence[Any], given: Sequence[tuple[str, int]], modelled: bool,
                names: Sequence[str]) -> str:
    """The source of `build(node, index, given)`: the record of a block whose `index` holds
    exactly these keywords, else None. `steps`: (keyword, field, position of the field, kind,
    whether the keyword's text is tokenized again); `defaults`: of the fields after the six
    of ModelNode, which are set from the node (none a default_factory's); `given`: the
    fields whose values the caller gives (a tuple, in this order), by position; `names`:
    every field's, in order. The record is made in place as records.maker makes it (see
    records.swapped). The names it uses besides: _twin, _cls, _other, _written,
    _command_text, a Numbers _n{step} for each number, and _d{position} for each default
    that is not a literal (compile_plan's `constants`)."""
    value = {at: repr(d) if type(d) in LITERALS else f"_d{at}"
             for at, d in enumerate(defaults, 6)}
    value.update({at: f"v{n}" for n, (_, _, at, _, _) in enumerate(steps)})
    value.update({at: f"g_{name}" for name, at in given})
    # as many keywords and each of these: the same set
    body = [f"if len(index) != {len(keywords)}"
            f"{''.join(f' or {kw!r} not in index' for kw in keywords)}:", "    return None"]
    if given:
        body.append(f"{''.join(f'g_{name}, ' for name, _ in given)}= given")
    body += ["verbatim = {}", "raw_text = {}"]
    for n, (keyword, key, _, kind, second) in enumerate(steps):
        body += _step(n, keyword, key, kind, second)
    values = ["node.span", "node", "[]" if modelled else "_other(node)", "_written", "verbatim",
              "raw_text", *(value[at] for at in range(6, 6 + len(defaults)))]
    # each field set in the unfrozen twin, then the record made its own class
    body += ["made = _alloc(_twin)", *(f"made.{name} = {v}" for name, v in zip(names, values)),
             "made.__class__ = _cls", "return made"]
    return "".join(["def build(node, index, given):\n", *(f"    {line}\n" for line in body)])


def compile_plan(source: str, name: str, constants: dict[str, Any]) -> Callable[..., Any]:
    """The `build` of `plan_source`'s text, with these constants for its names."""
    namespace = {**constants, "_words": words, "_alloc": object.__new__}
    exec(compile(source, f"<plan {name}>", "exec"), namespace)
    build: Callable[..., Any] = namespace["build"]
    build.__qualname__ = f"plan[{name}]"
    return build
