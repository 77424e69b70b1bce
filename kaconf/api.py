"""The library API: every stage of kaconf as a function that the CLI and the tests call.

    load ─▶ parse ─▶ build_tree ─▶ check_keywords ─▶ build_ast ─▶ lint ─▶ render
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, TextIO

from kaconf.diagnostics import Severity
from kaconf.keywords import DEFAULT_TARGET, parse_version

if TYPE_CHECKING:
    from kaconf import model as model
    from kaconf.document import Document, Report
    from kaconf.drill import DrillError
    from kaconf.drill import Interrupted as DrillInterrupted
    from kaconf.fixes import Applied
    from kaconf.gen import GenError
    from kaconf.loader import LoadError
    from kaconf.loader.files import real_path
    from kaconf.model import effective as effective
    from kaconf.parse import dedupe, parse_file, parse_loaded, parse_text
    from kaconf.precommit import Selection
    from kaconf.secrets import escape_controls, shown_safely
    from kaconf.settings import Settings, SettingsError
    from kaconf.source import Span
    from kaconf.verify import VerifyError


# the facade stays cheap to import (the CLI imports it for every command): what it
# re-exports is imported on first use
_LAZY: dict[str, tuple[str, str]] = {   # name -> (module, attribute; "" for the module)
    "Applied": ("kaconf.fixes", "Applied"),
    "Document": ("kaconf.document", "Document"),
    "DrillError": ("kaconf.drill", "DrillError"),
    "DrillInterrupted": ("kaconf.drill", "Interrupted"),
    "GenError": ("kaconf.gen", "GenError"),
    "LoadError": ("kaconf.loader", "LoadError"),
    "Report": ("kaconf.document", "Report"),
    "Selection": ("kaconf.precommit", "Selection"),
    "Settings": ("kaconf.settings", "Settings"),
    "SettingsError": ("kaconf.settings", "SettingsError"),
    "escape_controls": ("kaconf.secrets", "escape_controls"),
    "real_path": ("kaconf.loader.files", "real_path"),
    "shown_safely": ("kaconf.secrets", "shown_safely"),
    "Span": ("kaconf.source", "Span"),
    "VerifyError": ("kaconf.verify", "VerifyError"),
    "dedupe": ("kaconf.parse", "dedupe"),
    "effective": ("kaconf.model.effective", ""),
    "load_settings": ("kaconf.settings", "load_settings"),
    "load_text": ("kaconf.loader", "load_text"),
    "model": ("kaconf.model", ""),
    "parse_file": ("kaconf.parse", "parse_file"),
    "parse_loaded": ("kaconf.parse", "parse_loaded"),
    "parse_text": ("kaconf.parse", "parse_text"),
    "read_limits": ("kaconf.parse", "read_limits"),
    "summarise": ("kaconf.parse", "summarise"),
}


def __getattr__(name: str) -> object:
    import importlib

    found = _LAZY.get(name)
    if found is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(found[0])
    value = getattr(module, found[1]) if found[1] else module
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from kaconf.diagnostics import Code
    from kaconf.model import Config
    from kaconf.secrets import Masker


def settings_for(paths: Sequence[Path], config_path: Path | None, **flags: object) -> Settings:
    """The settings for a run: `config_path`, else the settings file found upward from the
    first path, with the command line's flags on top. Raises SettingsError."""
    from kaconf.settings import SettingsError, find_settings_file, load_settings, merge_cli

    found = config_path or find_settings_file(paths[0] if paths else Path.cwd())
    if config_path is not None and not config_path.is_file():
        raise SettingsError(f"{config_path}: no such settings file")
    return merge_cli(load_settings(found), **flags)


def read_config_stream(stream: BinaryIO) -> tuple[str | None, str]:
    """Configuration text from a byte stream (stdin), read like a file: undecodable bytes
    kept, UTF-16 named, no more than the file size limit. (None, why) when it cannot be."""
    from kaconf.loader import DEFAULT_LIMITS
    from kaconf.loader.files import decode_config

    limit = DEFAULT_LIMITS.file_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        return None, f"is larger than {limit // 1_000_000} MB"
    return decode_config(data)


def format_paths(paths: Sequence[str], mode: Literal["write", "check", "diff"],
                 settings: Settings, stdin: BinaryIO, out: BinaryIO,
                 err: TextIO) -> tuple[str, int]:
    """`kaconf fmt`: reindent each file (`-`: stdin to stdout), check or diff; returns the
    summary line and the exit code."""
    from kaconf.fmt import Mode, Tally, format_path, render_outcome
    from kaconf.settings import include_root

    how = {"write": Mode.WRITE, "check": Mode.CHECK, "diff": Mode.DIFF}[mode]
    tally = Tally()
    for path in paths:
        root = include_root(settings, path if path != "-" else ".")
        outcome = format_path(path, how, stdin, root, settings.max_file_size,
                              settings.secret_keywords)
        render_outcome(outcome, how, out, err)
        tally.add(outcome)
    return tally.summary(how), tally.exit_code(how)


def lint_paths(paths: Sequence[str | Path], config_ids: Sequence[str] | str | None = None,
               target: str | None = None, settings: Settings | None = None,
               strict: bool = False, texts: dict[str, str] | None = None) -> Report:
    """Read every file (once per config id) and run the rules selected by `settings`, then
    check the files that form MASTER/BACKUP clusters together. Unreadable files become KA004
    and a failure (exit status 2). A path in `texts` is read from that text instead of the
    file system (`kaconf lint -` with `--stdin-filename`)."""
    from kaconf.document import Report
    from kaconf.lint import cluster_findings, lint_document
    from kaconf.parse import dedupe, summarise
    from kaconf.rules import CLUSTER_RULES, FILE_RULES
    from kaconf.settings import load_settings

    settings = settings or load_settings(None)
    version = target or settings.target_version
    ids: list[str | None] = ([config_ids] if isinstance(config_ids, str)
                             else [*(config_ids or settings.config_ids)] or [None])
    report = Report(secret_keywords=tuple(settings.secret_keywords))
    for path in paths:
        for cid in ids:
            doc = _read(path, cid, version, report, texts, settings)
            if doc is not None:
                report.documents.append(doc)
                report.diagnostics.extend(lint_document(doc, settings, FILE_RULES, strict))
    groups, extra = cluster_groups(settings, paths)
    peers = [d for f in extra for cid in ids
             if (d := _read(f, cid, version, report, None, settings))]
    report.clusters, found = cluster_findings(report.documents + peers, groups, CLUSTER_RULES,
                                              settings, strict)
    report.diagnostics.extend(found)
    report.diagnostics = summarise(dedupe(report.diagnostics))
    return report


def _read(path: str | Path, config_id: str | None, target: str, report: Report,
          texts: dict[str, str] | None = None, settings: Settings | None = None
          ) -> Document | None:
    from kaconf.loader import LoadError, load_text
    from kaconf.parse import parse_file, parse_loaded, read_limits
    try:
        if texts is not None and str(path) in texts:
            from kaconf.loader import default_config_id

            cid = config_id if config_id is not None else default_config_id()
            root, limits = read_limits(path, settings)
            doc = parse_loaded(load_text(texts[str(path)], str(path), cid, root, limits), target)
        else:
            doc = parse_file(path, config_id, target, settings)
    except LoadError as exc:
        report.diagnostics.append(exc.diagnostic)
        report.failures.append(exc.diagnostic.message)
        return None
    report.sources.update(doc.sources)
    return doc


def cluster_groups(settings: Settings,
                   paths: Sequence[str | Path]) -> tuple[list[list[str]], list[str]]:
    """The settings' cluster groups that involve one of `paths` (file names resolved from the
    settings file's folder), and the members of those groups that were not given."""
    import os

    from kaconf.loader.files import real_path

    base = os.path.dirname(settings.source) if settings.source else os.getcwd()
    given = {real_path(p) for p in paths}
    groups: list[list[str]] = []
    extra: list[str] = []
    for group in settings.cluster:
        # named relative to the working directory, as the files given on the command line are
        files = [f if os.path.isabs(f) else os.path.relpath(os.path.join(base, f))
                 for f in group.files]
        real = [real_path(f) for f in files]
        if not given & set(real):
            continue
        groups.append(files)
        extra += [f for f, r in zip(files, real) if r not in given and f not in extra]
    return groups, extra


def apply_report_fixes(report: Report, write: bool, out: TextIO,
                       least: Severity = Severity.INFO) -> list[Applied]:
    """Apply the safe fixes of findings at or above `least`: rewrite the files atomically
    (write=True) or print them as a unified diff. Returns the fixes that change a file."""
    from kaconf.fileio import write_atomic
    from kaconf.fixes import fix_files, unified_diff
    from kaconf.secrets import report_masker

    done: list[Applied] = []
    for file, after, applied in fix_files(report.diagnostics, report.sources, least):
        done += applied
        if write:
            write_atomic(file, after, expected=report.sources[file])
        else:
            out.write(report_masker(report).diff(unified_diff(file, report.sources[file], after)))
    return done


def lint_for_commit(files: Sequence[str], settings: Settings | None = None
                    ) -> tuple[Report, Selection]:
    """What the pre-commit hook runs: the keepalived configurations among `files` (by
    content), linted with the other configurations of the git repository as their peers; the
    report keeps what concerns the committed files (kaconf.precommit)."""
    from kaconf.document import Report
    from kaconf.precommit import concerning, repository_files, select

    chosen = select(files, repository_files())
    if not chosen.changed:
        return Report(), chosen
    report = lint_paths([*chosen.changed, *chosen.peers], settings=settings)
    return concerning(report, chosen.changed), chosen


def arrange(report: Report, least: Severity = Severity.INFO,
            order: Literal["file", "severity"] | str = "file") -> None:
    """Keep the findings at or above `least` (`--quiet`: errors and warnings) and sort them by
    file and line, or errors first (`--sort severity`), in place."""
    report.diagnostics = [d for d in report.diagnostics if d.severity.rank >= least.rank]
    if order == "severity":
        report.diagnostics.sort(key=lambda d: (-d.severity.rank, d.sort_key()))


DUMP_HEADER = ["the configuration as keepalived 2.2.7 reads it (kaconf dump --format conf):",
               "includes inlined, @ lines applied, $ parameters expanded, comments dropped"]


def print_config(config: Config, show_secrets: bool = False,
                 header: list[str] | None = None) -> str:
    """keepalived.conf text for a typed model (read from a file or built in code)."""
    from kaconf.emit.printer import Secrets
    from kaconf.emit.printer import print_config as _print

    return _print(config, Secrets.SHOW if show_secrets else Secrets.MASK, header)


def dump(doc: Document, fmt: str = "json", typed: bool = False, secrets: bool = False,
         secret_keywords: Sequence[str] = ()) -> str:
    """`kaconf dump`: JSON of the tree or model with spans, or (`conf`) the configuration as
    keepalived reads it, printed back from the model. Secrets are masked unless `secrets`
    (also the values of `secret_keywords`, from the settings)."""
    if fmt == "conf":
        from kaconf.secrets import masker_for, shown_safely

        text = print_config(doc.config, secrets, DUMP_HEADER)
        if secrets:
            return shown_safely(text)
        return masker_for(doc.sources, [doc.tree], secret_keywords).document(text)
    from kaconf.emit.dump import dump_json

    return dump_json(doc, typed=typed, secrets=secrets, extra=secret_keywords) + "\n"


# -- what the command line shows: codes, explanations, renderings, pictures -----------------

class DrawError(Exception):
    """A picture that cannot be drawn or written (graph): one line for the user."""


def code_table() -> list[tuple[Code, tuple[Severity, ...]]]:
    """Every code with every severity it is reported with, its default first (`kaconf
    rules`)."""
    from kaconf.registry import all_codes, severities

    return [(c, severities(c.code)) for c in all_codes().values()]


def explain_page(word: str) -> str | None:
    """`kaconf explain`: the page for a code, name or lower-case code; None when `word` names
    no single code. Cluster rules show their examples as two files first."""
    from kaconf.explain import two_file_form
    from kaconf.registry import all_codes, explanation, resolve

    found = resolve(word)
    if len(found) != 1:
        return None
    (key,) = found
    info = all_codes()[key]
    body = two_file_form(explanation(key).rstrip()) or info.summary
    return f"{info.code} {info.name} ({info.severity.value})\n\n{body}"


def split_codes(values: Sequence[str]) -> list[str] | None:
    """--select/--ignore as given: codes, names or prefixes, repeated or comma-separated
    (None when the option is not given)."""
    if not values:
        return None
    return [w.strip() for v in values for w in v.split(",") if w.strip()]


def complete_codes(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of codes, then names, for the last of comma-separated words:
    (completion, summary)."""
    from kaconf.registry import all_codes

    word = incomplete.split(",")[-1]
    head = incomplete[:len(incomplete) - len(word)]
    codes = all_codes().values()
    return ([(head + c.code, c.summary) for c in codes if c.code.startswith(word.upper())]
            + [(head + c.name, c.summary) for c in codes
               if word and c.name.startswith(word.lower())])


def render(report: Report, fmt: str, out: TextIO) -> None:
    """The report in one of the output formats (text, json, sarif, github, junit)."""
    from kaconf.render import RENDERERS

    RENDERERS[fmt](report, out)


def describe_clusters(report: Report) -> list[str]:
    """Which files and VRRP instances were matched as clusters, and why (--show-clusters)."""
    from kaconf.cluster import describe

    return list(describe(report.clusters, report.documents))


def draw(report: Report, fmt: str | None, output: str | Path | None, force: bool,
         out: TextIO) -> None:
    """The cluster picture in `fmt` (default: from the extension of `output`, else text), on
    `out` or written to `output` (atomically; an existing file only with `force`); secrets
    masked as everywhere. Raises DrawError."""
    import io

    from kaconf.emit import graph as g

    masker = mask_report(report)
    try:
        chosen = g.output_format(output, fmt)
        picture = g.build_graph(report)
        if output is None:
            buffer = io.StringIO()
            g.write_graph(picture, chosen, buffer)
            out.write(masker.document(buffer.getvalue()))
            return
        drawn = g.render_file(picture, chosen)
        (g.write_replacing if force else g.write_new)(
            output, masker.document(drawn) if isinstance(drawn, str) else drawn)
    except g.GraphError as exc:
        raise DrawError(str(exc)) from None


def mask_report(report: Report) -> Masker:
    """Mask the report's findings in place as they would leave kaconf (secrets hidden,
    control characters escaped), for output built from them outside a renderer (graph);
    returns the masker for the rest of that output."""
    from kaconf.secrets import masked_diagnostic, report_masker

    masker = report_masker(report)
    report.diagnostics = [masked_diagnostic(d, masker) for d in report.diagnostics]
    return masker


__all__ = ["DEFAULT_TARGET", "Settings", "SettingsError", "escape_controls", "format_paths",
           "parse_version", "read_config_stream", "real_path", "settings_for", "shown_safely",
           "Applied", "Document", "DrawError", "LoadError", "Report", "Severity", "Span",
           "arrange", "code_table", "complete_codes", "dedupe", "describe_clusters", "draw",
           "explain_page", "render",
           "dump", "effective", "lint_for_commit", "lint_paths", "mask_report", "model",
           "parse_file", "parse_loaded", "parse_text", "print_config"]


# -- gen-pair: a cluster description compiled into the directors' files -------------------
if TYPE_CHECKING:
    from kaconf.gen.pair import Generated


def cluster_schema() -> dict[str, object]:
    """The JSON Schema of gen-pair's cluster description."""
    from kaconf.gen.description import json_schema

    return json_schema()


def init_description(path: str | Path) -> None:
    """Write the commented starter description; never over an existing file. Raises GenError."""
    from kaconf.gen.output import OutputError, write_one
    from kaconf.gen.starter import STARTER

    if Path(path).exists() or Path(path).is_symlink():
        raise OutputError(f"{path}: already exists; kaconf init never overwrites a file")
    write_one(Path(path), STARTER, 0o644, replace=False)


def gen_pair(description: str | Path, out: str | Path, single_file: bool = False,
             force: bool = False) -> Generated:
    """Compile a cluster description into one keepalived.conf per director (or one file with
    @NAME lines) and the real servers' setup under `out`, check them with lint as a cluster,
    then write them. Raises GenError (exit 2)."""
    from kaconf.gen.description import read_description
    from kaconf.gen.output import write_files
    from kaconf.gen.pair import generate

    desc = read_description(description)
    taken = [t for t in _vrids_in_settings(Path(description), Path(out))
             if t[3] != desc.cluster.name]
    made = generate(desc, str(description), single_file, [t[:3] for t in taken])
    _check_generated(made, Path(out), {})
    made.written = write_files(Path(out), made.files, force)
    return made


def gen_pair_from(master: str | Path, peers: Sequence[str], out: str | Path,
                  config_id: str | None = None, force: bool = False) -> Generated:
    """Derive the other directors' files from the MASTER's (`peers`: NAME=ADDRESS), check the
    result with lint as a cluster, and write them under `out`. Raises GenError."""
    from kaconf.gen.derive import DeriveError, parse_peer
    from kaconf.gen.output import write_files
    from kaconf.gen.pair import derive, prepare_master
    from kaconf.parse import parse_text

    try:
        text = Path(master).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DeriveError(f"{master}: cannot read: {getattr(exc, 'strerror', None) or exc}"
                          ) from None
    parsed = [parse_peer(p) for p in peers]
    text = prepare_master(text, str(master), parsed, config_id)
    doc = parse_text(text, str(master))
    errors = [d for d in doc.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise DeriveError(f"{master}:{errors[0].span.line}:{errors[0].span.column}: "
                          f"{errors[0].message}; fix the MASTER's file first (kaconf lint)")
    made = derive(doc.config, text, str(master), parsed)
    _check_generated(made, Path(out), {str(master): text})
    made.written = write_files(Path(out), made.files, force)
    return made


def _check_generated(made: Generated, out: Path, others: dict[str, str]) -> None:
    """Lint the generated files with `others` (path -> text: a MASTER they were derived
    from) as one cluster; an error or warning in a generated file, or about the cluster, stops
    gen-pair before it writes anything (the MASTER's own findings are its author's)."""
    from kaconf.gen import GenError
    from kaconf.settings import load_settings
    texts = {**others, **{str(out / f.path): f.text for f in made.files}}
    paths = [*others, *dict.fromkeys(str(out / p) for p, _ in made.configs)]
    ids = sorted({cid for _, cid in made.configs if cid}) or None
    report = lint_paths(paths, config_ids=ids, settings=load_settings(None), texts=texts)
    bad = [d for d in report.diagnostics if d.severity in (Severity.ERROR, Severity.WARNING)
           and (d.span.file not in others or d.code.startswith("KA5"))]
    if bad:
        raise GenError("\n".join(
            [f"{d.span.file}:{d.span.line}:{d.span.column}: {d.severity.value} {d.code} "
             f"{d.message}" for d in bad]
            + ["the generated files would not pass kaconf lint, so nothing was written"]))


def _vrids_in_settings(description: Path, out: Path) -> list[tuple[str, int, str, str]]:
    """(interface, virtual_router_id, where, instance name) of every vrrp_instance in the
    cluster files that kaconf's settings (found from the description's folder) name, except
    files under `out` (the previous output of this very description)."""
    import os

    from kaconf.loader import LoadError
    from kaconf.parse import parse_file
    from kaconf.settings import SettingsError, find_settings_file, load_settings

    try:
        settings = load_settings(find_settings_file(description.resolve().parent))
    except SettingsError:
        return []
    base = Path(os.path.dirname(settings.source)) if settings.source else Path.cwd()
    found = []
    for group in settings.cluster:
        for name in group.files:
            path = (base / name).resolve()
            if path.is_relative_to(out.resolve()):
                continue
            try:
                config = parse_file(path).config
            except LoadError:
                continue
            found += [(i.interface, i.virtual_router_id, f"vrrp_instance {i.name} in {name}",
                       i.name) for i in config.vrrp_instances
                      if i.interface is not None and i.virtual_router_id is not None]
    return found


__all__ += ["GenError", "cluster_schema", "gen_pair", "gen_pair_from", "init_description"]


# -- verify: what directors run against what their configuration says ---------------------
def verify(config: str | Path | None = None, *, ipvsadm_output: str | None = None,
           addr_output: str | None = None, from_dir: str | Path | None = None,
           hosts: Sequence[str] = (), config_id: str | None = None, timeout: float = 15.0,
           sudo: bool = False, parallel: int = 16, ssh_config: str | Path | None = None,
           progress: TextIO | None = None) -> Report:
    """Diff the configuration against the IPVS tables and addresses directors run, from one
    saved `ipvsadm` output (`-` is stdin; with `addr_output`, saved `ip -j addr`), from
    `--collect` folders, or from live hosts (`local`, `HOST`, `HOST=CONFIG`) read in parallel
    (`parallel` at a time, `timeout` seconds each; a line per host on `progress`). Findings
    are KA600-KA612; a director that cannot be read is KA600 and exit status 2. Raises
    VerifyError for saved output that is not a listing or a missing folder, LoadError for an
    unreadable configuration in single-output mode."""
    from kaconf.verify import directors as d
    from kaconf.verify.hosts import (
        collect,
        collect_options,
        progress_printer,
        read_dir,
        read_output,
    )

    cfg = str(config) if config is not None else None
    if ipvsadm_output is not None:
        found = d.from_outputs(cfg, read_output(ipvsadm_output),
                               read_output(addr_output) if addr_output else None, config_id)
    elif from_dir is not None:
        found = d.from_collected(read_dir(from_dir), cfg, config_id)
    else:
        specs = [d.parse_host_spec(h) for h in hosts]
        options = collect_options(timeout, sudo, parallel, str(ssh_config) if ssh_config else None)
        got = collect(specs, options, progress_printer(len(specs), progress))
        found = d.from_collected(got, cfg, config_id, {h: c for h, c in specs})
    return d.verify_directors(found)


def collect(hosts: Sequence[str], out: str | Path, *, config: str | Path | None = None,
            timeout: float = 15.0, sudo: bool = False, parallel: int = 16,
            ssh_config: str | Path | None = None, force: bool = False,
            progress: TextIO | None = None) -> list[str]:
    """Collect `hosts` (`HOST` or `HOST=CONFIG`) and write one folder per director that
    answered under `out` (atomically; an existing folder only with `force`), ready for
    `verify(from_dir=out)`. Returns one line per host that failed (`HOST: why`); raises
    VerifyError when a folder exists or a host name is not one."""
    from kaconf.verify.directors import parse_host_spec
    from kaconf.verify.hosts import (
        Capture,
        collect_options,
        progress_printer,
        with_config,
        write_dir,
    )
    from kaconf.verify.hosts import collect as collect_hosts
    from kaconf.verify.untrusted import escape_controls

    specs = [parse_host_spec(h) for h in hosts]
    options = collect_options(timeout, sudo, parallel, str(ssh_config) if ssh_config else None)
    got = collect_hosts(specs, options, progress_printer(len(specs), progress))
    configs = {h: c or (str(config) if config is not None else None) for h, c in specs}
    write_dir([with_config(g, configs.get(g.host)) for g in got if isinstance(g, Capture)],
              out, force)
    return [f"{escape_controls(g.host, 80)}: {g.reason}" for g in got
            if not isinstance(g, Capture)]


def render_verify(report: Report, fmt: str, out: TextIO) -> None:
    """A verify report as lint renders one; on a terminal, text adds a table of the
    configuration's values against the live ones."""
    from kaconf.verify.directors import render_verify as render

    render(report, fmt, out)


__all__ += ["VerifyError", "collect", "render_verify", "verify"]


# -- drill: the cluster's failover rehearsed in a lab of network namespaces ---------------
if TYPE_CHECKING:
    from kaconf.drill.timeline import Step, Timeline


def drill(paths: Sequence[str | Path] = (), *, config_ids: Sequence[str] = (),
          description: str | Path | None = None, addresses: Sequence[str] = (),
          fail_scripts: Sequence[str] = (), slack: float = 1.5, requests: int = 40,
          on_step: Callable[[Step], None] | None = None,
          progress: TextIO | None = None) -> Timeline:
    """Run the directors' configurations (or gen-pair's files for `description`) with
    Debian's keepalived in a lab of network namespaces and time the three behaviours against
    what they promise; each step as it ends goes to `on_step` and, one line each, to
    `progress`. Needs root. Raises DrillError (exit 2) when it cannot run, and
    DrillInterrupted on SIGINT/SIGTERM, after removing the lab."""
    from kaconf.drill.run import Options
    from kaconf.drill.run import drill as run_drill
    from kaconf.drill.timeline import progress_lines

    tell = progress_lines(progress, on_step) if progress is not None else on_step
    return run_drill(Options(paths=[Path(p) for p in paths], config_ids=config_ids,
                             description=Path(description) if description else None,
                             addresses=addresses, fail_scripts=fail_scripts, slack=slack,
                             requests=requests, on_step=tell))


def render_drill(timeline: Timeline, fmt: Literal["text", "json"] | str, out: TextIO) -> None:
    """The drill's timeline as a rich table (text) or JSON."""
    from kaconf.drill.timeline import render_json, render_text

    (render_json if fmt == "json" else render_text)(timeline, out)


__all__ += ["DrillError", "DrillInterrupted", "drill", "render_drill"]
