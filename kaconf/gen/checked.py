"""A description read, shaped and judged: what the builders may rely on."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kaconf.gen.description import Description, DescriptionError, read_description
from kaconf.gen.refusals import refusals
from kaconf.gen.roles import Role, RoleError, plan_roles


def checked(desc: Description, source: str,
            taken: Sequence[tuple[str, int, str]] = ()) -> list[Role]:
    """The directors' roles, or DescriptionError with every refusal (key path first)."""
    problems = refusals(desc, taken)
    try:
        roles = plan_roles(desc)
    except RoleError as exc:
        problems += exc.problems
        roles = []
    if problems:
        raise DescriptionError(source, problems)
    return roles


def read_checked(path: str | Path,
                 taken: Sequence[tuple[str, int, str]] = ()) -> tuple[Description, list[Role]]:
    """Read, validate and judge a description file. Raises DescriptionError."""
    desc = read_description(path)
    return desc, checked(desc, str(path), taken)
