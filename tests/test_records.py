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

from kaconf import records
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


def many_fields(swap_fields: int) -> Any:
    """A frozen slotted record of seven fields, made while records.SWAP_FIELDS is this."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(records, "SWAP_FIELDS", swap_fields)

        @record(frozen=True, slots=True, kw_only=True)
        class Many:
            a: int
            b: int = 2
            c: list[int] = field(default_factory=list)
            d: str = field(default="d", compare=False)
            e: list[int] = field(default_factory=list, init=False)
            f: str = field(default="f", init=False)
            g: tuple[int, ...] = ()
        return Many


def test_a_record_of_many_fields_is_set_in_its_unfrozen_twin() -> None:
    """A frozen slotted record of SWAP_FIELDS fields or more assigns them while the object is
    of an unfrozen twin class, then makes it its own class again; a plain subclass (another
    layout) is set slot by slot. Each gives what setting every slot gives."""
    swapped, by_slots = many_fields(4), many_fields(100)
    assert "_open" in swapped.__init__.__code__.co_freevars
    assert "_open" not in by_slots.__init__.__code__.co_freevars

    class Loose(swapped):          # a __dict__ of its own: not the layout of the twin
        pass

    class Tight(swapped):
        __slots__ = ()

    for cls in (swapped, Loose, Tight, by_slots):
        for kwargs in [{"a": 1}, {"a": 1, "b": 3, "c": [4], "d": "x", "g": (5,)}]:
            obj, want = cls(**kwargs), by_slots(**kwargs)
            assert type(obj) is cls
            assert [getattr(obj, f.name) for f in dataclasses.fields(obj)] == \
                [getattr(want, f.name) for f in dataclasses.fields(want)]
            assert repr(obj).split("(", 1)[1] == repr(want).split("(", 1)[1]
            assert obj.c is not cls(**kwargs).c or "c" in kwargs
            with pytest.raises(FrozenInstanceError):
                obj.a = 2
            for twin in (copy.copy(obj), copy.deepcopy(obj)):
                assert twin == obj and type(twin) is cls


def test_a_maker_makes_what_the_class_makes() -> None:
    """records.maker(cls) takes every init field by position and makes what cls(**fields)
    makes, for each way a record sets its fields; FACTORY gives a new default_factory value."""
    def point(options: dict[str, bool]) -> Any:
        return twins(options)[1]

    classes = [point(o) for o in OPTIONS] + [many_fields(4), many_fields(100)]
    calls: list[int] = []

    @record(frozen=True, slots=True, kw_only=True)
    class Checked:
        a: int
        b: list[int] = field(default_factory=list)

        def __post_init__(self) -> None:
            calls.append(self.a)

    for cls in [*classes, Checked]:
        make = records.maker(cls)
        names = [f.name for f in dataclasses.fields(cls) if f.init]
        given = records.defaults(cls)
        assert [d is dataclasses.MISSING for d in given] == [
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            for f in dataclasses.fields(cls) if f.init]
        for values in ([7 if d is dataclasses.MISSING else d for d in given],
                       [[n] for n in range(len(names))]):
            made, want = make(*values), cls(**{
                n: v for n, v in zip(names, values) if v is not records.FACTORY})
            assert type(made) is cls
            assert [getattr(made, f.name) for f in dataclasses.fields(cls)] == \
                [getattr(want, f.name) for f in dataclasses.fields(cls)]
            assert repr(made) == repr(want)
            again = make(*values)
            for n, v in zip(names, values):
                if v is records.FACTORY:
                    assert getattr(made, n) == [] and getattr(made, n) is not getattr(again, n)
            if cls.__record_frozen__:
                with pytest.raises(FrozenInstanceError):
                    made.x = 1
    assert calls == [7, 7, 7, [0], [0], [0]]

    class Own(point({})):
        def __init__(self) -> None:
            super().__init__(1)
    with pytest.raises(TypeError, match="not a record class"):
        records.maker(Own)


def test_swapped_says_how_a_maker_sets_its_record() -> None:
    """records.swapped gives the twin and the field names of a record whose maker sets every
    field in the twin; code that does the same makes what the maker makes. Other records
    (set slot by slot, through object.__setattr__ or plainly, with __post_init__ or a field
    that is not an init field) get None."""
    @record(frozen=True, slots=True, kw_only=True)
    class Swapped:
        a: int
        b: int = 2
        c: list[int] = field(default_factory=list)
        d: str = field(default="d", compare=False)

    swapped = Swapped
    twin, names = records.swapped(swapped) or (None, [])
    assert names == [f.name for f in dataclasses.fields(swapped)]
    assert twin is not None and issubclass(twin, swapped) and twin.__slots__ == ()
    made = object.__new__(twin)
    values = [n if d is dataclasses.MISSING else [n] for n, d in
              enumerate(records.defaults(swapped))]
    for name, value in zip(names, values):
        setattr(made, name, value)
    made.__class__ = swapped
    assert type(made) is swapped and made == records.maker(swapped)(*values)
    with pytest.raises(FrozenInstanceError):
        made.a = 2

    @record(frozen=True, slots=True)
    class Checked:
        a: int
        b: int = 0
        c: int = 0
        d: int = 0

        def __post_init__(self) -> None:
            pass

    # many_fields(4) has fields that are not init fields
    for other in (many_fields(4), many_fields(100), Checked, *(twins(o)[1] for o in OPTIONS)):
        assert records.swapped(other) is None, other


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
