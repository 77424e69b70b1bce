"""kaconf.records makes the classes dataclasses makes: the same body decorated by each gives the
same fields, __init__, repr, equality, hash, frozenness, replace, copy and pickle."""
from __future__ import annotations

import copy
import dataclasses
import importlib.util
import inspect
import pickle
from dataclasses import FrozenInstanceError, field
from pathlib import Path
from typing import Any

import pytest

from kaconf.records import record

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "scripts" / "build_record_inits.py"

OPTIONS = [{}, {"frozen": True}, {"slots": True}, {"frozen": True, "slots": True},
           {"kw_only": True}, {"frozen": True, "slots": True, "kw_only": True}]


def twins(options: dict[str, bool]) -> tuple[Any, Any]:
    """One class body, decorated by dataclasses.dataclass and by record (same qualname)."""
    def made(decorate: Any) -> Any:
        @decorate(**options)
        class Point:
            x: int
            y: int = 0
            tags: list[str] = field(default_factory=list)
            note: str = field(default="", compare=False, repr=False)
            weight: int = field(default=1, hash=False)
            kind: str = field(default="p", metadata={"kind": "head"})
            seen: list[int] = field(default_factory=list, init=False, hash=False)
            fixed: str = field(default="f", init=False)
        return Point
    return made(dataclasses.dataclass), made(record)


def build(cls: Any, *args: Any, **kwargs: Any) -> Any:
    if cls.__dataclass_fields__["x"].kw_only:
        names = ["x", "y", "tags", "note", "weight", "kind"]
        return cls(**dict(zip(names, args)), **kwargs)
    return cls(*args, **kwargs)


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_fields_signature_and_values_are_dataclasses(options: dict[str, bool]) -> None:
    d, r = twins(options)
    assert dataclasses.is_dataclass(r)
    attrs = ("name", "default", "default_factory", "init", "repr", "compare", "hash", "kw_only",
             "metadata")
    assert ([[getattr(f, a) for a in attrs] for f in dataclasses.fields(r)]
            == [[getattr(f, a) for a in attrs] for f in dataclasses.fields(d)])
    shown = [(p.name, p.kind, p.default if p.name not in ("tags",) else None)
             for p in inspect.signature(r).parameters.values()]
    assert shown == [(p.name, p.kind, p.default if p.name not in ("tags",) else None)
                     for p in inspect.signature(d).parameters.values()]
    a, b = build(r, 1, 2, ["t"], "n", 3, "k"), build(d, 1, 2, ["t"], "n", 3, "k")
    assert dataclasses.astuple(a) == dataclasses.astuple(b) == (1, 2, ["t"], "n", 3, "k", [], "f")
    assert build(r, 1).tags is not build(r, 1).tags
    assert build(r, 1).seen is not build(r, 1).seen
    assert r.__match_args__ == d.__match_args__
    assert hasattr(build(r, 1), "__dict__") == hasattr(build(d, 1), "__dict__")


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_repr_eq_and_hash_are_dataclasses(options: dict[str, bool]) -> None:
    d, r = twins(options)
    for args in [(1,), (1, 2, ["a"]), (1, 2, ["a"], "other note", 9)]:
        assert repr(build(r, *args)) == repr(build(d, *args))
    pairs = [((1,), (1,)), ((1,), (2,)), ((1, 2, ["a"]), (1, 2, ["a"])), ((1,), (1, 0, ["a"])),
             ((1, 2, [], "n"), (1, 2, [], "m")), ((1, 2, [], "", 1), (1, 2, [], "", 2))]
    for left, right in pairs:
        assert (build(r, *left) == build(r, *right)) == (build(d, *left) == build(d, *right))
    assert build(r, 1) != build(d, 1)
    assert r.__eq__(build(r, 1), 5) is NotImplemented
    if not options.get("frozen"):
        assert r.__hash__ is None and d.__hash__ is None   # eq and not frozen: unhashable
    else:
        a, b = build(r, 1, 2, (), "n", 7), build(d, 1, 2, (), "n", 7)
        assert hash(a) == hash(b)
        assert hash(build(r, 1, 2, (), "x", 8)) == hash(a)   # note, weight, seen: not hashed


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_frozen_and_replace_are_dataclasses(options: dict[str, bool]) -> None:
    d, r = twins(options)
    for cls in (d, r):
        obj = build(cls, 1, 2)
        if options.get("frozen"):
            with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
                obj.x = 5
            with pytest.raises(FrozenInstanceError, match="cannot delete field 'y'"):
                del obj.y
        else:
            obj.x = 5
            assert obj.x == 5
        changed = dataclasses.replace(obj, y=3, tags=["b"])
        assert (changed.x, changed.y, changed.tags) == (obj.x, 3, ["b"])
    assert repr(dataclasses.replace(build(r, 1), y=4)) == repr(dataclasses.replace(build(d, 1), y=4))


@record(frozen=True, slots=True)
class Frozen:
    name: str
    items: tuple[int, ...] = ()


@record
class Plain:
    name: str
    items: list[int] = field(default_factory=list)


@pytest.mark.parametrize("obj", [Frozen("a", (1, 2)), Plain("a", [1, 2])], ids=repr)
def test_copy_and_pickle(obj: Any) -> None:
    for twin in (copy.copy(obj), copy.deepcopy(obj), pickle.loads(pickle.dumps(obj))):
        assert twin == obj and twin is not obj and type(twin) is type(obj)


def test_post_init_positional_fields_and_inheritance() -> None:
    calls: list[str] = []

    @record(frozen=True, slots=True)
    class Origin:
        file: str
        line: int
        column: int = 1

        def __post_init__(self) -> None:
            calls.append(self.file)

    assert repr(Origin("f", 2)) == "test_post_init_positional_fields_and_inheritance.<locals>." \
                                   "Origin(file='f', line=2, column=1)"
    assert calls == ["f"]

    @record(frozen=True, slots=True, kw_only=True)
    class Base:
        span: int = 0
        other: list[str] = field(default_factory=list)

    @record(frozen=True, slots=True, kw_only=True)
    class Child(Base):
        name: str = ""
        span: int = 5        # a field given a new default keeps its place

    assert [f.name for f in dataclasses.fields(Child)] == ["span", "other", "name"]
    assert Child(name="c") == Child(name="c", span=5) != Child(name="c", span=4)
    with pytest.raises(TypeError):
        Child("c")                                    # type: ignore[misc]
    with pytest.raises(TypeError, match="non-frozen dataclass from a frozen one"):
        @record(kw_only=True)
        class Thawed(Base):
            pass


def test_own_methods_and_docstrings_are_kept() -> None:
    @record(frozen=True)
    class Named:
        """A name."""

        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

        def __hash__(self) -> int:
            return 7

    @record
    class Bare:
        name: str

    assert (repr(Named("a")), hash(Named("a")), Named.__doc__) == ("<a>", 7, "A name.")

    for decorate in (dataclasses.dataclass, record):
        @decorate(frozen=True)
        class Unhashable:
            name: str
            __hash__ = None   # type: ignore[assignment]

        with pytest.raises(TypeError, match="unhashable"):
            hash(Unhashable("a"))
    assert Bare.__doc__ is None
    with pytest.raises(TypeError, match="Cannot overwrite attribute __setattr__"):
        @record(frozen=True)
        class Settable:
            def __setattr__(self, name: str, value: object) -> None:
                pass


def test_a_record_that_contains_itself_is_shown_as_dataclasses_shows_it() -> None:
    d, r = twins({})
    a, b = build(r, 1), build(d, 1)
    a.tags.append(a)
    b.tags.append(b)
    assert repr(a) == repr(b)


def test_record_inits_is_current() -> None:
    spec = importlib.util.spec_from_file_location("build_record_inits", BUILD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (REPO / "kaconf" / "record_inits.py").read_text()
    assert module.render() == current, "run: python scripts/build_record_inits.py"
