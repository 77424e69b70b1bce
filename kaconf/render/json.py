"""`--format json`: a list of diagnostic objects."""
from __future__ import annotations

import json
from typing import TextIO

from kaconf.report import Report


def render_json(report: Report, out: TextIO) -> None:
    json.dump([d.as_dict() for d in report.diagnostics], out, indent=2, ensure_ascii=False)
    out.write("\n")
