"""`--format junit`: JUnit XML for CI test reports (GitLab, Jenkins, Azure and the like).

One testsuite "kaconf"; one testcase per diagnostic, with a <failure> for errors and
warnings (an info is a passing testcase that carries its message), and one passing testcase
per file without findings (in it or in the files it includes), so a clean run still shows
what was checked.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.document import Report
from kaconf.render.sarif import portable_path
from kaconf.secrets import masked_diagnostic, report_masker

# characters XML 1.0 cannot carry even escaped
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def plain(d: Diagnostic) -> str:
    lines = [(f"{portable_path(d.span.file)}:{d.span.line}:{d.span.column}: "
              f"{d.severity.value} {d.code} {d.message}")]
    lines += [f"note: {portable_path(r.span.file)}:{r.span.line}:{r.span.column}: {r.note}"
              for r in d.related]
    return clean("\n".join(lines))


def testcase(d: Diagnostic) -> ET.Element:
    path = portable_path(d.span.file)
    case = ET.Element("testcase", {"classname": clean(path), "file": clean(path),
                                   "line": str(d.span.line),
                                   "name": f"{d.code} {d.name} {d.span.line}:{d.span.column}"})
    if d.severity is Severity.INFO:
        ET.SubElement(case, "system-out").text = plain(d)
    else:
        failure = ET.SubElement(case, "failure", {"type": d.severity.value,
                                                  "message": clean(f"{d.code} {d.message}")})
        failure.text = plain(d)
    return case


def clean_file(path: str) -> ET.Element:
    shown = clean(portable_path(path))
    return ET.Element("testcase", {"classname": shown, "file": shown, "name": "no problems"})


def render_junit(report: Report, out: TextIO) -> None:
    masker = report_masker(report)
    diags = sorted((masked_diagnostic(d, masker) for d in report.diagnostics),
                   key=Diagnostic.sort_key)
    with_findings = {d.span.file for d in diags}
    # a file is clean when nothing was found in it nor in the files it includes
    quiet = sorted({masker.text(doc.path) for doc in report.documents
                    if with_findings.isdisjoint({doc.path, *doc.sources})})
    cases = sorted([((d.span.file, d.span.line, d.span.column, d.code), testcase(d))
                    for d in diags] + [((p, 0, 0, ""), clean_file(p)) for p in quiet],
                   key=lambda pair: pair[0])
    failures = sum(1 for d in diags if d.severity is not Severity.INFO)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0",
              "skipped": "0"}
    root = ET.Element("testsuites", {"name": "kaconf", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "kaconf", **counts})
    suite.extend(case for _, case in cases)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
