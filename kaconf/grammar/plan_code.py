"""Shape.build's reading of one set of keywords, written out as straight-line Python.

A big file holds thousands of blocks with the same keywords (every real_server of a farm);
once a set has been read often, to_ast.Shape compiles its reading into one function: each
keyword's words typed in place and the record made with every value named, with no loop over
steps, no list of values and no test of which reader a step takes. The function does exactly
what Shape.build's loop does for that set (tests/test_model.py holds the two together).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

WORDS = "[a.value for a in args]"


def _step(n: int, keyword: str, key: str, kind: str, second: bool) -> list[str]:
    """The lines that read step `n` (the keyword's last line in `index`) into v{n}: a number
    typed by its Numbers (kind "number"), or what to_ast.text, flag or persistence do."""
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
                fields: int, given: Sequence[tuple[str, int]], modelled: bool) -> str:
    """The source of `__plan__(_new, _other, _written, _command_text, _n0.., _d6..)`, which
    returns `build(node, index, given)`: the record of a block whose `index` holds exactly
    these keywords, else None. `steps`: (keyword, field, position of the field, kind,
    whether the keyword's text is tokenized again); `fields`: how many the record has (the
    first six are ModelNode's, set from the node); `given`: the fields whose values the
    caller gives (a tuple, in this order), by position."""
    value = {at: f"v{n}" for n, (_, _, at, _, _) in enumerate(steps)}
    value.update({at: f"g_{name}" for name, at in given})
    closure = ["_new", "_other", "_written", "_command_text",
               *(f"_n{n}" for n in range(len(steps))), *(f"_d{at}" for at in range(6, fields))]
    # as many keywords and each of these: the same set
    body = [f"if len(index) != {len(keywords)}"
            f"{''.join(f' or {kw!r} not in index' for kw in keywords)}:", "    return None",
            "verbatim = {}", "raw_text = {}"]
    if given:
        body.insert(2, f"{''.join(f'g_{name}, ' for name, _ in given)}= given")
    for n, (keyword, key, _, kind, second) in enumerate(steps):
        body += _step(n, keyword, key, kind, second)
    values = ["node.span", "node", "[]" if modelled else "_other(node)", "_written", "verbatim",
              "raw_text", *(value.get(at, f"_d{at}") for at in range(6, fields))]
    body.append(f"return _new({', '.join(values)})")
    return "".join([f"def __plan__({', '.join(closure)}):\n",
                    "    def build(node, index, given):\n",
                    *(f"        {line}\n" for line in body), "    return build\n"])


def compile_plan(source: str, name: str, *constants: Any) -> Callable[..., Any]:
    """The `build` of `plan_source`'s text, bound to the constants in its closure's order."""
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<plan {name}>", "exec"), namespace)
    build: Callable[..., Any] = namespace["__plan__"](*constants)
    build.__qualname__ = f"plan[{name}]"
    return build
