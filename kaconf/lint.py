"""The lint engine: run the selected rules on each document, then apply suppression comments,
select/ignore, per-path ignores and severity overrides from the settings."""
from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Container, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import TYPE_CHECKING

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.engine_codes import RULE_CRASHED, UNKNOWN_SUPPRESSION, UNUSED_SUPPRESSION
from kaconf.registry import all_codes, resolve
from kaconf.rules.base import RuleModule
from kaconf.secrets import scrubber
from kaconf.settings import Settings

if TYPE_CHECKING:
    from kaconf.cluster import Cluster
    from kaconf.document import Document
    from kaconf.suppress import Suppression


class RuleCrash(Exception):
    """Raised in strict mode (tests) instead of turning a crash into KA901."""


def run_rules(doc: Document, rules: Sequence[RuleModule],
              strict: bool = False) -> list[Diagnostic]:
    """Every diagnostic the rules find in one document; a crashing rule becomes KA901."""
    out: list[Diagnostic] = []
    config = doc.config
    for mod in rules:
        if mod.check is None:
            continue
        try:
            out.extend(mod.check(config))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the others
            if strict:
                raise RuleCrash(f"{mod.rule.code} crashed on {doc.path}") from exc
            import traceback  # 2 ms at start-up: only for a rule that crashed

            where = traceback.extract_tb(exc.__traceback__)[-1]
            out.append(RULE_CRASHED.at(config.span, f"rule {mod.rule.code} ({mod.rule.name}) "
                                       f"failed: {type(exc).__name__}: {exc} at "
                                       f"{os.path.basename(where.filename)}:{where.lineno}"))
    return out


def cluster_findings(docs: list[Document], groups: list[list[str]] | None,
                     rules: Sequence[RuleModule], settings: Settings,
                     strict: bool = False) -> tuple[list[Cluster], list[Diagnostic]]:
    """The clusters the documents form and every cluster rule's findings on them (and the
    network rules' findings over all documents together)."""
    if len(docs) < 2:
        return [], []         # one document forms no cluster (and imports no kaconf.cluster)
    from kaconf.cluster import form_clusters, network

    clusters = form_clusters(docs, groups)
    diags: list[Diagnostic] = []
    for cluster in clusters:
        diags += run_cluster_rules(cluster, rules, settings, strict)
    everyone = network(docs)
    if everyone is not None:
        diags += run_cluster_rules(everyone, rules, settings, strict, network=True)
    return clusters, diags


def run_cluster_rules(cluster: Cluster, rules: Sequence[RuleModule], settings: Settings,
                      strict: bool = False, network: bool = False) -> list[Diagnostic]:
    """The cluster rules' findings on one cluster (or, with network=True, the network rules'
    findings on every director), with settings and suppressions applied."""
    chosen = selected_codes(settings)
    out: list[Diagnostic] = []
    for mod in rules:
        check = mod.check_network if network else mod.check_cluster
        if check is None or chosen is not None and mod.rule.code not in chosen:
            continue
        try:
            out.extend(check(cluster))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the others
            if strict:
                raise RuleCrash(f"{mod.rule.code} crashed on a cluster") from exc
            span = cluster.members[0].config.span
            out.append(RULE_CRASHED.at(span, f"rule {mod.rule.code} ({mod.rule.name}) failed "
                                       f"on a cluster: {type(exc).__name__}: {exc}"))
    if not out:
        return []   # suppressions of cluster findings are only used, never reported
    sources: dict[str, str] = {}
    for m in cluster.members:
        sources.update(m.doc.sources)
    kept = [d for d in apply_suppressions(out, sources) if d.code not in
            (UNUSED_SUPPRESSION.code, UNKNOWN_SUPPRESSION.code)]

    def secrets() -> AbstractSet[str]:
        return frozenset().union(*(m.doc.secret_values for m in cluster.members))
    return sorted(finish(kept, settings, secrets), key=Diagnostic.sort_key)


def selected_codes(settings: Settings) -> Container[str] | None:
    """The codes the settings let through; None for every one, when they neither select nor
    ignore (told without asking the registry, which imports every rule, the cluster rules
    too)."""
    if settings.select is None and not settings.ignore:
        return None
    codes = set(all_codes())
    if settings.select is not None:
        codes = set().union(*(resolve(s) for s in settings.select)) if settings.select else set()
    for name in settings.ignore:
        codes -= resolve(name)
    return codes


def path_ignores(settings: Settings, file: str) -> set[str]:
    out: set[str] = set()
    base = os.path.dirname(settings.source) if settings.source else os.getcwd()
    candidates = {file, os.path.normpath(file), os.path.relpath(os.path.abspath(file), base)}
    for pattern, names in settings.per_path_ignores.items():
        if any(fnmatch.fnmatch(c, pattern) for c in candidates):
            for name in names:
                out |= resolve(name)
    return out


# comment signs whose lines may_hold_suppressions looks at one by one before it searches the
# whole text (a generated file has a comment or two; a hand-written one may have thousands)
FEW_COMMENTS = 16


def may_hold_suppressions(text: str) -> bool:
    """Whether `text` may hold a suppression comment: `kaconf:` after a `#` or `!` on its line
    (kaconf.suppress reads only comments). The lines of the first FEW_COMMENTS signs of each
    kind are looked at alone: searching a big file for `kaconf:` takes 0.5 ms a megabyte, for
    a sign that is not there about a tenth of that."""
    for sign in "#!":
        at = text.find(sign)
        for _ in range(FEW_COMMENTS):
            if at < 0:
                break
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            if text.find("kaconf:", at, end) >= 0:
                return True
            at = text.find(sign, end)
        else:
            if at >= 0:
                return "kaconf:" in text
    return False


def apply_suppressions(diags: list[Diagnostic], sources: dict[str, str]) -> list[Diagnostic]:
    """Drop suppressed diagnostics; report unused and unknown suppressions."""
    if not any(map(may_hold_suppressions, sources.values())):
        return diags          # no file has a suppression comment: kaconf.suppress not imported
    from kaconf.suppress import find_suppressions

    table: dict[str, list[Suppression]] = {}
    extra: list[Diagnostic] = []
    for file, text in sources.items():
        sups, unknown = find_suppressions(file, text)
        if sups:
            table[file] = sups
        extra += [UNKNOWN_SUPPRESSION.at(span, f"'{word}' is not a kaconf code or rule name")
                  for span, word in unknown]
    if not table:
        return diags + extra
    kept = []
    for d in diags:
        hit = next((s for s in table.get(d.span.file, []) if s.covers(d.code, d.span.line)), None)
        if hit is None:
            kept.append(d)
        else:
            hit.used.add(d.code)
    for sups in table.values():
        for s in sups:
            if not s.used:
                what = "everything" if s.everything else ", ".join(sorted(s.codes)) or "nothing"
                where = "in this file" if s.line is None else (
                    f"on line {s.line}" if s.line > 0 else "on the next line")
                extra.append(UNUSED_SUPPRESSION.at(s.span, f"this suppression of {what} "
                                                   f"silences nothing {where}; remove it"))
    return kept + extra


def finish(diags: Iterable[Diagnostic], settings: Settings,
           secrets: Callable[[], AbstractSet[str]]) -> list[Diagnostic]:
    """Select, ignore, override severities and scrub secrets (`secrets` reads the values to
    scrub; it is only called when a finding is kept)."""
    chosen = selected_codes(settings)
    kept = list(diags) if chosen is None else [d for d in diags if d.code in chosen]
    if settings.per_path_ignores:
        # per file, not per finding (path_ignores resolves paths)
        ignored: dict[str, set[str]] = {}
        for file in {d.span.file for d in kept}:
            ignored[file] = path_ignores(settings, file)
        kept = [d for d in kept if d.code not in ignored[d.span.file]]
    if not kept:
        return kept
    overrides: dict[str, Severity] = {}
    for name, sev in settings.severity.items():
        for code in resolve(name):
            overrides[code] = sev
    values = secrets()
    clean = scrubber(values, [d.message for d in kept]
                     + [r.note for d in kept for r in d.related]) if values else None
    if not overrides and clean is None:
        return kept
    out = []
    for d in kept:
        update: dict[str, object] = {}
        if d.code in overrides:
            update["severity"] = overrides[d.code]
        if clean is not None:
            # a finding is rebuilt only when a secret is really in its text
            message = clean(d.message)
            if message != d.message:
                update["message"] = message
            notes = [clean(r.note) for r in d.related]
            if any(n != r.note for n, r in zip(notes, d.related)):
                update["related"] = tuple(r if n == r.note else Related(span=r.span, note=n)
                                          for n, r in zip(notes, d.related))
        out.append(replace(d, **update) if update else d)  # type: ignore[arg-type]
    return out




def lint_document(doc: Document, settings: Settings, rules: Sequence[RuleModule],
                  strict: bool = False) -> list[Diagnostic]:
    chosen = selected_codes(settings)
    active = rules if chosen is None else [m for m in rules if m.rule.code in chosen]
    diags = list(doc.diagnostics) + run_rules(doc, active, strict)
    diags = apply_suppressions(diags, doc.sources)
    return sorted(finish(diags, settings, lambda: doc.secret_values),
                  key=Diagnostic.sort_key)
