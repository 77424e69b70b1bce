"""`--format json`: a list of diagnostic objects."""
from __future__ import annotations

import json
from typing import TextIO

from kaconf.document import Report
from kaconf.secrets import masked_diagnostic, report_masker


def render_json(report: Report, out: TextIO) -> None:
    shown = []
    if report.diagnostics:      # the masker scans every file: made only for a finding
        masker = report_masker(report)
        shown = [masked_diagnostic(d, masker).as_dict() for d in report.diagnostics]
    json.dump(shown, out, indent=2, ensure_ascii=False)
    out.write("\n")
