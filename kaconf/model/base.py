"""What every model node shares: its span, its syntax node, and the keywords not modelled."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from kaconf.source import Span
from kaconf.tree import Node

# keywords that are one setting under two names
SYNONYMS = {"lvs_sched": ("lvs_sched", "lb_algo"), "lvs_method": ("lvs_method", "lb_kind"),
            "retry": ("retry", "nb_get_retry"), "track_file": ("track_file", "vrrp_track_file"),
            "neighbor_ip": ("neighbor_ip", "neighbour_ip")}


class Directive(BaseModel):
    """A keyword the typed model does not interpret, kept with its arguments and block."""

    # defer_build: schemas are built on first validation or dump, not at import; the
    # builder uses construct(), so `kaconf lint` never pays for them
    model_config = ConfigDict(frozen=True, defer_build=True)

    keyword: str
    args: list[str]
    span: Span
    block: list[Directive] | None = None


class ModelNode(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    span: Span
    node: Node | None = Field(default=None, exclude=True, repr=False)
    other: list[Directive] = Field(default_factory=list)

    def keyword_node(self, keyword: str) -> Node | None:
        """The syntax node that set `keyword` (the last one, as keepalived keeps the last)."""
        if self.node is None:
            return None
        return self.node.find(*SYNONYMS.get(keyword, (keyword,)))

    def arg_span(self, keyword: str, index: int = 0) -> Span:
        """The span of argument `index` of `keyword` in this block; the keyword itself when it
        has no such argument; this node's span when the keyword is absent."""
        found = self.keyword_node(keyword)
        if found is None:
            return self.span
        if index < len(found.args):
            return found.args[index].span
        return found.span

    def has(self, keyword: str) -> bool:
        return self.keyword_node(keyword) is not None


M = TypeVar("M", bound=BaseModel)


@lru_cache(maxsize=None)
def _fields_of(cls: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    return tuple(cls.__pydantic_fields__.items())


def construct(cls: type[M], **values: Any) -> M:
    """An instance from trusted values, without validation: pydantic's model_construct
    without the alias and private-attribute handling these models do not use (it is a third
    of the typed model's build time on a 100,000-line file)."""
    m = cls.__new__(cls)
    data: dict[str, Any] = {}
    for name, field in _fields_of(cls):
        if name in values:
            data[name] = values[name]
        elif not field.is_required():
            data[name] = field.get_default(call_default_factory=True)
    object.__setattr__(m, "__dict__", data)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m
