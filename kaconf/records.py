"""`record`: a dataclass that is cheap to define at import.

`dataclasses.dataclass` compiles `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`
and `__delattr__` with `exec` for every class and writes a docstring from the class's
signature: about 1 ms a class, and kaconf defines some fifty on the way to a lint. `record`
takes the same arguments and makes the same class: `dataclasses` still collects the fields (so
`fields`, `replace`, `is_dataclass`, `asdict` and field metadata work), `__repr__`, `__eq__`,
`__hash__`, `__setattr__` and `__delattr__` are shared functions that read the class's field
names (same repr text, same equality and hash, FrozenInstanceError on assignment, copy and
pickle of frozen slotted records), and `__init__`, which runs tens of thousands of times on a
big file, is written for the class as dataclasses would write it. Its text depends only on the
class's *shape* (see `_shape`); kaconf.record_inits holds it compiled ahead for every record in
kaconf, so none is compiled at run time (a shape not there is compiled with `exec`). A frozen
slotted record of a few fields sets them through the slots' descriptors; one of SWAP_FIELDS
or more is made an object of its unfrozen twin class while it assigns them, then its own
class again: VrrpInstance() takes 1.7 us where the descriptors take 3.4 and dataclasses'
6.2. Equality is slower (attrgetter: 1.7 us against 1.1), and no hot path compares records.
`maker(cls)` makes records without calling the class, from every field's value by position
(a RealServer as the model makes it: 0.6 us where calling the class takes 1.9), for the
model, which makes tens of thousands of them.

Differences: a record without a docstring gets none (dataclasses writes its signature there);
`order`, `unsafe_hash`, `match_args=False` and `InitVar` fields are not supported; a plain
subclass of a frozen record is frozen for every attribute, not only its fields.
"""
from __future__ import annotations

import dataclasses
from _thread import get_ident
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter
from types import MemberDescriptorType
from typing import Any, TypeVar, dataclass_transform, overload

from kaconf.record_inits import MAKERS, NEWS

T = TypeVar("T", bound=type)
R = TypeVar("R")


@overload
def record(cls: T, /) -> T: ...
@overload
def record(*, init: bool = True, repr: bool = True, eq: bool = True, frozen: bool = False,
           kw_only: bool = False, slots: bool = False) -> Callable[[T], T]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: T | None = None, /, *, init: bool = True, repr: bool = True, eq: bool = True,
           frozen: bool = False, kw_only: bool = False, slots: bool = False) -> Any:
    """`dataclasses.dataclass`, with the same meaning for these arguments."""
    def wrap(cls: T) -> T:
        return _make(cls, init, repr, eq, frozen, kw_only, slots)
    return wrap if cls is None else wrap(cls)


def _make(cls: T, init: bool, repr: bool, eq: bool, frozen: bool, kw_only: bool,
          slots: bool) -> T:
    own = cls.__dict__      # the class as written (dataclass makes a new one for slots)
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    bases = [b for b in cls.__mro__[1:] if hasattr(b, "__dataclass_fields__")]
    if bases and any(_is_frozen(b) for b in bases) != frozen:
        raise TypeError(f"cannot inherit {'' if frozen else 'non-'}frozen dataclass from a "
                        f"{'non-' if frozen else ''}frozen one")
    for name in ("__setattr__", "__delattr__"):
        if frozen and name in own:
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    if not cls.__doc__:
        cls.__doc__ = "-"      # so that dataclasses does not write one (inspect.signature)
    made: Any = dataclasses.dataclass(cls, init=False, repr=False, eq=False, frozen=False,
                                      kw_only=kw_only, slots=slots)
    if made.__doc__ == "-":
        made.__doc__ = None
    fields = dataclasses.fields(made)
    made.__record_frozen__ = frozen
    if init and "__init__" not in own:
        # the shape of the __init__ written and its values, which maker(made) takes too
        made.__record_init__ = _shape(made, frozen)
        made.__init__ = _init(made, *made.__record_init__)
    if repr and "__repr__" not in own:
        made.__record_repr__ = tuple(f.name for f in fields if f.repr)
        made.__repr__ = _repr
    if eq and "__eq__" not in own:
        made.__record_eq__ = _getter([f.name for f in fields if f.compare])
        made.__eq__ = _eq
    if eq and not explicit_hash:
        if frozen:
            made.__record_hash__ = _getter([f.name for f in fields
                                            if (f.compare if f.hash is None else f.hash)])
            made.__hash__ = _hash
        else:
            made.__hash__ = None
    if frozen:
        made.__setattr__ = _frozen_setattr
        made.__delattr__ = _frozen_delattr
        if slots:
            made.__getstate__ = _getstate
            made.__setstate__ = _setstate
    return made  # type: ignore[no-any-return]


def _is_frozen(cls: type) -> bool:
    return bool(cls.__dict__.get("__record_frozen__", cls.__dataclass_params__.frozen))  # type: ignore[attr-defined]


def _getter(names: list[str]) -> Callable[[object], tuple[Any, ...]]:
    """The tuple of these attributes of an object (what dataclasses compares and hashes)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


_repr_running: set[tuple[int, int]] = set()


def _repr(self: Any) -> str:
    key = (id(self), get_ident())
    if key in _repr_running:      # a record that contains itself, shown as dataclasses does
        return "..."
    _repr_running.add(key)
    try:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
        return f"{self.__class__.__qualname__}({values})"
    finally:
        _repr_running.discard(key)


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__record_eq__
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_hash__(self))


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: object) -> list[Any]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]  # type: ignore[arg-type]


def _setstate(self: object, state: list[Any]) -> None:
    for f, value in zip(dataclasses.fields(self), state):  # type: ignore[arg-type]
        object.__setattr__(self, f.name, value)


FACTORY: Any = object()     # a default_factory's value, made when the record is made
# a frozen slotted record with at least this many fields is set in its unfrozen twin: an
# assignment there takes ~10 ns where a slot's __set__ takes ~75, and the two swaps of
# __class__ ~200 ns in all
SWAP_FIELDS = 4


_TWINS: dict[type, type] = {}


def _unfrozen(cls: type) -> type:
    """A subclass of frozen slotted `cls` with its layout and the plain __setattr__: `cls`'s
    __init__ makes the object one of these while it assigns the fields, then `cls` again."""
    twin = _TWINS.get(cls)
    if twin is None:
        twin = _TWINS[cls] = type(cls.__name__, (cls,), {
            "__slots__": (), "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__, "__module__": cls.__module__,
            "__qualname__": cls.__qualname__, "__doc__": cls.__doc__})
    return twin


# the classes whose maker was asked for, in order: scripts/build_record_inits.py writes the
# makers of those asked for on import
ASKED: list[type] = []


def maker(cls: type[R]) -> Callable[..., R]:
    """A function that makes a `cls` from the value of each of its init fields, by position
    in field order, as `cls(**values)` makes it, without calling the class (type.__call__ and
    matching keywords to parameters cost more than setting the fields). FACTORY stands for a
    new value of a field's default_factory; `defaults(cls)` gives every field's default."""
    written = cls.__dict__.get("__record_init__")
    if written is None or any("__new__" in base.__dict__ for base in cls.__mro__[:-1]):
        raise TypeError(f"{cls!r} is not a record class with the __init__ record writes")
    ASKED.append(cls)
    shape, values = written
    make = NEWS.get(shape)
    if make is None:
        namespace: dict[str, Any] = {}
        exec(init_source(shape, new=True), namespace)
        make = namespace["__make__"]
    kind = _unfrozen(cls) if shape.startswith("swap") else cls
    made: Callable[..., R] = make(object.__new__, kind, *values)
    made.__qualname__ = f"{cls.__qualname__}.__record_new__"
    return made


def swapped(cls: type) -> tuple[type, list[str]] | None:
    """For a record whose maker sets every field in the unfrozen twin (shape `swap`, every
    field an init field, no __post_init__): the twin and the fields' names in order, so that
    code written for the class can make one as the maker does (`object.__new__(twin)`, each
    field assigned, then `__class__ = cls`; a default_factory called for a new value). None
    for any other record."""
    written = cls.__dict__.get("__record_init__")
    if written is None or any("__new__" in base.__dict__ for base in cls.__mro__[:-1]):
        return None
    how, *words = written[0].split()
    if how != "swap" or any(w.startswith("~") for w in words):
        return None
    return _unfrozen(cls), [w.lstrip("*").partition("=")[0] for w in words]


def defaults(cls: type) -> list[Any]:
    """The value of each init field of `cls` when none is given, in field order: its default,
    FACTORY for a default_factory, MISSING for a field without a default."""
    return [FACTORY if f.default_factory is not MISSING else f.default
            for f in dataclasses.fields(cls) if f.init]


def _init(cls: type, shape: str, values: list[Any]) -> Callable[..., None]:
    maker = MAKERS.get(shape)
    if maker is None:
        namespace: dict[str, Any] = {}
        exec(init_source(shape), namespace)
        maker = namespace["__make__"]
    made: Callable[..., None] = maker(*values)
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    return made


def _shape(cls: type, frozen: bool) -> tuple[str, list[Any]]:
    """What decides the text of `cls.__init__`, and the values it refers to, in the order of
    the parameters of the function init_source(shape) writes.

    The shape is how fields are set (`slots`: through each slot of a frozen slotted class,
    `swap`: by assignment while the object is of the class's _unfrozen twin, `frozen`: with
    object.__setattr__, `plain`: by assignment), `+post_init` when the class
    has one, then a word for each field set: its name, with `*` before it when keyword-only,
    `~` when not a parameter, and `=d` after it with a default, `=f` with a default_factory."""
    fields = dataclasses.fields(cls)
    how = "plain"
    setters: list[Any] = []
    if frozen:
        setters = [getattr(cls, f.name, None) for f in fields]
        how = "slots" if all(type(s) is MemberDescriptorType for s in setters) else "frozen"
        if how == "slots" and len(fields) >= SWAP_FIELDS:
            how = "swap"
    words = [how + "+post_init" if hasattr(cls, "__post_init__") else how]
    values: list[Any] = [FACTORY]
    if how == "frozen":
        values.append(object.__setattr__)
    elif how == "swap":
        values += [object.__setattr__, cls, _unfrozen(cls)]
    for i, f in enumerate(fields):
        if f.default_factory is not MISSING:
            values.append(f.default_factory)
            tail = "=f"
        elif f.default is not MISSING:
            values.append(f.default)
            tail = "=d"
        elif f.init:
            tail = ""
        else:
            continue
        if how in ("slots", "swap"):
            values.append(setters[i].__set__)
        if not f.init:
            words.append("~" + f.name + tail)
        else:
            words.append(("*" + f.name if f.kw_only else f.name) + tail)
    return " ".join(words), values


def init_source(shape: str, name: str = "__make__", new: bool = False) -> str:
    """The source of the function `name(*values)` (the values `_shape` gives) that returns
    the `__init__` of a class of this shape; with `new`, of `name(alloc, kind, *values)`, which
    returns the class's maker: it takes the init fields by position, makes the object with
    alloc(kind) (the class, or its twin) and sets them as the `__init__` sets them."""
    how, *words = shape.split()
    how, _, post_init = how.partition("+")
    closure = (["_new", "_kind"] if new else []) + ["_HAS_FACTORY"] + {
        "frozen": ["_set"], "swap": ["_set", "_cls", "_open"]}.get(how, [])
    params: list[str] = [] if new else ["self"]
    keyword_params: list[str] = []
    body: list[str] = ["self = _new(_kind)"] if new else []
    opened: list[str] = []      # swap: the fields, set by assignment in the unfrozen twin
    for word in words:
        field_name, _, default = word.lstrip("*~").partition("=")
        value = field_name
        param = field_name
        if default == "d":
            closure.append(f"_d_{field_name}")
            param += f"=_d_{field_name}"
            if word.startswith("~"):
                value = f"_d_{field_name}"
        elif default == "f":
            closure.append(f"_f_{field_name}")
            param += "=_HAS_FACTORY"
            if word.startswith("~"):
                value = f"_f_{field_name}()"
            else:
                body += [f"if {field_name} is _HAS_FACTORY:",
                         f"    {field_name} = _f_{field_name}()"]
        if how == "swap":
            if value != field_name:     # evaluated once, before either way of setting
                body.append(f"{field_name} = {value}")
            closure.append(f"_s_{field_name}")
            opened.append(field_name)
        elif how == "slots":
            closure.append(f"_s_{field_name}")
            body.append(f"_s_{field_name}(self, {value})")
        elif how == "frozen":
            body.append(f"_set(self, {field_name!r}, {value})")
        else:
            body.append(f"self.{field_name} = {value}")
        if new and not word.startswith("~"):
            params.append(field_name)     # every init field, by position
        elif not word.startswith("~"):
            (keyword_params if word.startswith("*") else params).append(param)
    if keyword_params:
        params += ["*", *keyword_params]
    if how == "swap" and new:     # made as an object of the twin
        body += [*(f"self.{name} = {name}" for name in opened), "self.__class__ = _cls"]
    elif how == "swap":     # a plain subclass (another layout) is set slot by slot
        body += ["if self.__class__ is _cls:", '    _set(self, "__class__", _open)',
                 *(f"    self.{name} = {name}" for name in opened), "    self.__class__ = _cls",
                 "else:", *(f"    _s_{name}(self, {name})" for name in opened)]
    if post_init:
        body.append("self.__post_init__()")
    if new:
        body.append("return self")
    inner = "make" if new else "__init__"
    return "".join([f"def {name}(\n", *(f"    {c},\n" for c in closure), "):\n",
                    f"    def {inner}(\n", *(f"        {p},\n" for p in params), "    ):\n",
                    *(f"        {line}\n" for line in body or ["pass"]),
                    f"    return {inner}\n"])
