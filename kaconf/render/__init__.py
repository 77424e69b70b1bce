"""Renderers: (report, stream) -> text. They format; they never judge."""
from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from kaconf.document import Report


def _text(report: Report, out: TextIO) -> None:
    from kaconf.render.text import render_text

    render_text(report, out)


def _json(report: Report, out: TextIO) -> None:
    from kaconf.render.json import render_json

    render_json(report, out)


def _sarif(report: Report, out: TextIO) -> None:
    from kaconf.render.sarif import render_sarif

    render_sarif(report, out)


def _github(report: Report, out: TextIO) -> None:
    from kaconf.render.github import render_github

    render_github(report, out)


def _junit(report: Report, out: TextIO) -> None:
    from kaconf.render.junit import render_junit

    render_junit(report, out)


RENDERERS: dict[str, Callable[[Report, TextIO], None]] = {
    "text": _text, "json": _json, "sarif": _sarif, "github": _github, "junit": _junit,
}
