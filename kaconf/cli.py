"""The `kaconf` command line: click commands that call kaconf.api, render and exit."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from kaconf import __version__, api
from kaconf.api import DEFAULT_TARGET, Severity, parse_version

if TYPE_CHECKING:
    from kaconf.api import Applied, Settings


def _target(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        parse_version(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


# the path types, made once: each click.Path looks up its translated name in the locale
# files when it is made (gettext, ~0.15 ms each), and 18 of them cost a short run 3 ms
A_PATH = click.Path(path_type=Path)
A_FILE = click.Path(path_type=Path, dir_okay=False)
A_FOLDER = click.Path(path_type=Path, file_okay=False)

target_option = click.option("--target-version", "target", default=DEFAULT_TARGET,
                             show_default=True, callback=_target,
                             help="keepalived version the files are written for")
include_root_option = click.option(
    "--include-root", type=A_FOLDER, default=None,
    help="folder that includes may be read from and fixes written to (default: the folder of "
         "the settings file, else the git work tree, else the file's folder)")
config_id_option = click.option("--config-id", "config_id", default=None,
                                help="evaluate @ID lines as `keepalived -i ID` would "
                                     "(default: this host's name, as keepalived does)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True)
@click.version_option(version=__version__)   # not package_name: importlib.metadata costs 25 ms
@click.option("--debug", is_flag=True, help="show Python tracebacks on internal errors")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Compile and lint keepalived configuration."""
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is None:   # `kaconf` alone: the help is the answer, not an error
        click.echo(ctx.get_help())
        ctx.exit(0)


def _optional_target(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return None if value is None else _target(ctx, param, value)


def _complete_codes(ctx: click.Context, param: click.Parameter,
                    incomplete: str) -> list[click.shell_completion.CompletionItem]:
    """Shell completion after explain, --select and --ignore: codes, then rule names."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(value, help=summary)
            for value, summary in api.complete_codes(incomplete)]


def _codes(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str] | None:
    return api.split_codes(value)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=A_PATH)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "junit"]),
              default="text", show_default=True)
@click.option("--select", multiple=True, callback=_codes, shell_complete=_complete_codes,
              help="only these codes, names or prefixes (KA201, duplicate-vrid, KA2)")
@click.option("--ignore", multiple=True, callback=_codes, shell_complete=_complete_codes,
              help="never these codes")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), default=None,
              help="lowest severity that makes the exit code 1  [default: warning]")
@click.option("--config", "config_path", type=A_FILE,
              help="settings file (default: .kaconf.toml or pyproject.toml found upward)")
@click.option("--fix", is_flag=True,
              help="rewrite what has one safe fix at or above --fail-on, say each fix, then "
                   "report the rest")
@click.option("--fix-all", is_flag=True,
              help="--fix, and also the info hints (synonyms keepalived accepts: lb_algo -> "
                   "lvs_sched)")
@click.option("--diff", "show_diff", is_flag=True,
              help="print the fixes --fix would make as a diff; write nothing (also with --fix)")
@click.option("--stdin-filename", default=None,
              help="with `-` as the file: the name to report and to find settings by")
@click.option("-q", "--quiet", is_flag=True, help="errors and warnings only (no info hints)")
@click.option("--sort", "order", type=click.Choice(["file", "severity"]), default="file",
              show_default=True, help="severity: errors first, then warnings, then hints")
@click.option("--config-id", "config_ids", multiple=True,
              help="evaluate @ID lines as `keepalived -i ID` would; repeat it to read one file "
                   "once per director and check them as a cluster (default: this host's name)")
@click.option("--show-clusters", is_flag=True,
              help="say which files and VRRP instances were matched as clusters")
@click.option("--target-version", "target", default=None, callback=_optional_target,
              help="keepalived version the files are written for  [default: 2.2.7]")
@include_root_option
def lint(paths: tuple[Path, ...], fmt: str, select: list[str] | None, ignore: list[str] | None,
         fail_on: str | None, config_path: Path | None, fix: bool, fix_all: bool,
         show_diff: bool, stdin_filename: str | None, quiet: bool, order: str,
         config_ids: tuple[str, ...], show_clusters: bool, target: str | None,
         include_root: Path | None) -> None:
    """Check keepalived.conf files, alone and as MASTER/BACKUP clusters (`-` reads stdin)."""
    paths, texts = _lint_inputs(paths, stdin_filename)
    _directory_hint(paths)
    settings = _settings(paths, config_path, select=select, ignore=ignore, fail_on=fail_on,
                         target_version=target, config_ids=list(config_ids) or None,
                         include_root=_absolute(include_root))
    report = api.lint_paths(paths, settings=settings, texts=texts)
    if show_clusters:
        for line in api.describe_clusters(report):
            click.echo(line, err=True)
    if fix or fix_all or show_diff:
        if texts and not show_diff:
            _fail("--fix cannot rewrite stdin; use --diff to see the fixes")
        try:
            applied = api.apply_report_fixes(report, write=not show_diff, out=sys.stdout,
                                             least=Severity.INFO if fix_all else settings.fail_on)
        except OSError as exc:
            _fail(f"cannot fix '{exc.filename}': {exc.strerror or exc}")
        _tell_fixes(applied, written=not show_diff)
        if show_diff:
            raise SystemExit(1 if applied else report.exit_code(settings.fail_on))
        if applied:
            report = api.lint_paths(paths, settings=settings, texts=texts)
    api.arrange(report, Severity.WARNING if quiet else Severity.INFO, order)
    api.render(report, fmt, sys.stdout)
    raise SystemExit(report.exit_code(settings.fail_on))


def _lint_inputs(paths: tuple[Path, ...],
                 stdin_filename: str | None) -> tuple[tuple[Path, ...], dict[str, str] | None]:
    """Each file once (`a.conf ./a.conf` is one file), and `-` read from stdin under the name
    --stdin-filename gives."""
    seen: set[str] = set()
    out: list[Path] = []
    texts: dict[str, str] | None = None
    for path in paths:
        if str(path) == "-":
            name = stdin_filename or "<stdin>"
            texts = {name: _stdin_text()}
            path = Path(name)
        key = api.real_path(path)       # never raises, also under /proc
        if key not in seen:
            seen.add(key)
            out.append(path)
    return tuple(out), texts


def _tell_fixes(applied: list[Applied], written: bool) -> None:
    """One line per fix on stderr (stdout keeps the report or the diff), then the count."""
    for fix in applied:
        click.echo(api.shown_safely(fix.describe("fixed" if written else "would fix")), err=True)
    files = len({a.file for a in applied})
    verb = "applied" if written else "to apply"
    click.echo(f"{len(applied)} fix{'es' if len(applied) != 1 else ''} {verb} in {files} "
               f"file{'s' if files != 1 else ''}", err=True)


@cli.command("pre-commit")
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), default=None,
              help="lowest severity that fails the commit  [default: warning]")
def pre_commit(files: tuple[str, ...], fail_on: str | None) -> None:
    """The pre-commit hook: lint the keepalived configurations among FILES (recognised by a
    vrrp_instance, virtual_server or global_defs block) with the other directors' files of the
    repository as their peers."""
    settings = _settings(tuple(Path(f) for f in files[:1]), None, fail_on=fail_on)
    report, chosen = api.lint_for_commit(files, settings)
    if not chosen.changed:
        click.echo(f"kaconf: none of the {len(files)} file(s) is a keepalived configuration "
                   "(no vrrp_instance, virtual_server or global_defs block): nothing to check",
                   err=True)
        raise SystemExit(0)
    if chosen.peers:
        click.echo(f"kaconf: checked with the other configurations of the repository: "
                   f"{', '.join(chosen.peers)}", err=True)
    api.render(report, "text", sys.stdout)
    raise SystemExit(report.exit_code(settings.fail_on))


def _settings(paths: tuple[Path, ...], config_path: Path | None,
              **flags: object) -> Settings:
    try:
        return api.settings_for(paths, config_path, **flags)
    except api.SettingsError as exc:
        _fail(str(exc))
        raise AssertionError from None  # unreachable: _fail exits


@cli.command("rules")
def rules_command() -> None:
    """List every diagnostic code with its name, default severity and summary."""
    for c, severities in api.code_table():
        shown = "/".join(s.value for s in severities)
        click.echo(f"{c.code}  {c.name:<32} {shown:<14} {c.summary}")


@cli.command()
@click.argument("code", shell_complete=_complete_codes)
def explain(code: str) -> None:
    """Explain a code (KA203) or name (auth-pass-truncated): why it matters, bad and good."""
    page = api.explain_page(code)
    if page is None:
        _fail(f"unknown code or name '{code}' (see 'kaconf rules')")
    click.echo(page)


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script: `eval "$(kaconf completion bash)"` in ~/.bashrc."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # the Choice above only allows the shells click supports
    click.echo(cls(cli, {}, "kaconf", "_KACONF_COMPLETE").source())


@cli.command()
@click.argument("path", type=A_PATH)
@click.option("--format", "fmt", type=click.Choice(["json", "conf"]), default="json",
              show_default=True,
              help="json: the syntax tree (or --typed model) with spans; conf: the configuration "
                   "as keepalived reads it (includes inlined, @ lines applied, $ expanded)")
@click.option("--typed", is_flag=True, help="dump the typed model instead of the syntax tree")
@click.option("--show-secrets", is_flag=True,
              help="print passwords and keys as written (masked by default)")
@config_id_option
@target_option
@include_root_option
def dump(path: Path, fmt: str, typed: bool, show_secrets: bool, config_id: str | None,
         target: str, include_root: Path | None) -> None:
    """Print the parsed configuration with source spans."""
    settings = _settings((path,), None, include_root=_absolute(include_root))
    try:
        doc = api.parse_file(path, config_id, target, settings)
    except api.LoadError as exc:
        _directory_hint((path,))
        _fail(exc.diagnostic.message)
    click.echo(api.dump(doc, fmt, typed=typed, secrets=show_secrets,
                        secret_keywords=settings.secret_keywords), nl=False)


@cli.command("fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--check", is_flag=True, help="write nothing; exit 1 if a file would change")
@click.option("--diff", is_flag=True, help="write nothing; print a unified diff, exit 1 if any")
@include_root_option
def fmt_command(paths: tuple[str, ...], check: bool, diff: bool,
                include_root: Path | None) -> None:
    """Reindent keepalived.conf files in place (4 spaces per block); `-` reads stdin."""
    named = tuple(Path(p) for p in paths if p != "-")
    settings = _settings(named, None, include_root=_absolute(include_root))
    mode: Literal["write", "check", "diff"] = "diff" if diff else "check" if check else "write"
    summary, code = api.format_paths(paths, mode, settings, sys.stdin.buffer, sys.stdout.buffer,
                                     sys.stderr)
    click.echo(summary, err=True)
    raise SystemExit(code)


def _stdin_text() -> str:
    """Configuration text from stdin, read as bytes like a file: undecodable bytes kept,
    UTF-16 named, and no more than the file size limit."""
    text, why = api.read_config_stream(sys.stdin.buffer)
    if text is None:
        _fail(f"cannot read stdin: it {why}")
        raise AssertionError from None  # unreachable: _fail exits
    return text


def _absolute(path: Path | None) -> str | None:
    """A folder from the command line, as an absolute path (settings resolve relative ones
    from the settings file's folder)."""
    return None if path is None else str(path.resolve())


def _directory_hint(paths: tuple[Path, ...]) -> None:
    """For a folder given instead of a file: the command to run on the keepalived.conf
    inside it, as the user ran this one (`kaconf graph adir` -> `kaconf graph
    adir/keepalived.conf`)."""
    import os

    ctx = click.get_current_context(silent=True)
    command = ctx.command_path if ctx is not None else "kaconf"
    for path in paths:
        inside = path / "keepalived.conf"
        if os.path.isdir(path) and os.path.isfile(inside):     # never raise, also in /proc
            click.echo(f"kaconf: {path} is a directory; run: {command} {inside}", err=True)


def _fail(message: str) -> None:
    click.echo(f"kaconf: {api.escape_controls(message)}", err=True)
    raise SystemExit(2)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=A_PATH)
@click.option("--config-id", "config_ids", multiple=True,
              help="read each file once per director id, as `kaconf lint --config-id` does")
@click.option("--format", "fmt", type=click.Choice(["text", "mermaid", "dot", "svg", "png"]),
              default=None, help="svg and png run Graphviz's dot  [default: from the -o "
                                 "file's extension (.svg .png .mmd .dot .txt), else text]")
@click.option("-o", "--output", type=A_FILE,
              help="write to this file (atomically) instead of stdout")
@click.option("--force", is_flag=True, help="overwrite OUTPUT when it exists")
@include_root_option
def graph(paths: tuple[Path, ...], config_ids: tuple[str, ...], fmt: str | None,
          output: Path | None, force: bool, include_root: Path | None) -> None:
    """Draw the cluster: directors, VRRP instances and VIPs, virtual and real servers, findings.
    Exits like lint: 1 when a finding is at or above the settings' fail-on level."""
    _directory_hint(paths)
    settings = _settings(paths, None, config_ids=list(config_ids) or None,
                         include_root=_absolute(include_root))
    report = api.lint_paths(paths, settings=settings)
    if report.failures:
        _fail(report.failures[0])
    try:
        api.draw(report, fmt, output, force, sys.stdout)
    except api.DrawError as exc:
        _fail(str(exc))
    raise SystemExit(report.exit_code(settings.fail_on))


@cli.command("gen-pair")
@click.argument("description", required=False, type=A_FILE)
@click.option("-o", "--output", "out", type=A_FOLDER,
              help="folder to write OUT/<director>/keepalived.conf and OUT/realserver/ into")
@click.option("--single-file", is_flag=True,
              help="one keepalived.conf with @NAME lines, for `keepalived --config-id NAME`")
@click.option("--from", "master", type=A_FILE,
              help="derive the other directors from this MASTER keepalived.conf instead")
@click.option("--peer", "peers", multiple=True, metavar="NAME=ADDRESS",
              help="with --from: a director to derive (repeat for more)")
@click.option("--config-id", "config_id", default=None,
              help="with --from: the MASTER's id, for a file with @ID lines")
@click.option("--force", is_flag=True, help="overwrite files that exist")
@click.option("--schema", is_flag=True, help="print the description's JSON Schema and exit")
def gen_pair(description: Path | None, out: Path | None, single_file: bool, master: Path | None,
             peers: tuple[str, ...], config_id: str | None, force: bool, schema: bool) -> None:
    """Write every director's keepalived.conf and the real servers' setup from one cluster
    description (see `kaconf init`), or derive the BACKUPs from a MASTER's file."""
    import json

    if schema:
        click.echo(json.dumps(api.cluster_schema(), indent=2))
        return
    if (description is None) == (master is None) or out is None:
        _fail("give a description and -o OUT/ (or --from MASTER.conf --peer NAME=ADDRESS -o OUT/)")
        return
    if master is None and (peers or config_id):
        _fail("--peer and --config-id go with --from")
    if master is not None and single_file:
        _fail("--single-file goes with a description, not with --from")
    try:
        made = (api.gen_pair(description, out, single_file, force) if description is not None
                else api.gen_pair_from(master or Path(), peers, out, config_id, force))
    except api.GenError as exc:
        for line in str(exc).splitlines():
            click.echo(f"kaconf: {line}", err=True)
        raise SystemExit(2) from None
    for path in made.written:
        click.echo(f"wrote {path}")
    if made.generated_pass:
        click.echo(f"kaconf: no auth_pass in {description}, so one was generated: "
                   f"{made.generated_pass}\nkaconf: add auth_pass = \"{made.generated_pass}\" to "
                   "its [cluster] table, or the next run generates another", err=True)


@cli.command()
@click.argument("path", required=False, default="cluster.toml", type=A_FILE)
def init(path: Path) -> None:
    """Write a commented starter cluster description for gen-pair (never over a file)."""
    try:
        api.init_description(path)
    except api.GenError as exc:
        _fail(str(exc))
    click.echo(f"wrote {path}; edit it, then run: kaconf gen-pair {path} -o OUT/")


@cli.command()
@click.option("--config", "config", type=A_FILE,
              help="the keepalived.conf the directors should run (default for every director "
                   "without its own)")
@click.option("--ipvsadm-output", metavar="FILE|-",
              help="saved `ipvsadm -Sn` (or any -Ln listing, or /proc/net/ip_vs); - reads stdin")
@click.option("--addr-output", metavar="FILE", help="saved `ip -j addr` of that director")
@click.option("--from-dir", type=A_FOLDER,
              help="one folder per director, as --collect writes them")
@click.option("--host", "hosts", multiple=True, metavar="HOST[=CONFIG]",
              help="read a director over ssh (`local`: this machine); repeat it for a fleet")
@click.option("--collect", "collect_only", is_flag=True,
              help="only collect the --host directors into -o DIR, for --from-dir later")
@click.option("-o", "--output", type=A_FOLDER,
              help="folder --collect writes")
@click.option("--force", is_flag=True, help="let --collect replace existing director folders")
@config_id_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "junit"]),
              default="text", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True,
              help="seconds for one director, ssh connection included")
@click.option("--sudo", is_flag=True, help="run ipvsadm through `sudo -n` on the directors")
@click.option("--parallel", type=click.IntRange(min=1), default=16, show_default=True,
              help="directors read at the same time")
@click.option("--ssh-config", type=A_FILE,
              help="ssh client configuration to use instead of ~/.ssh/config (ssh -F)")
def verify(config: Path | None, ipvsadm_output: str | None, addr_output: str | None,
           from_dir: Path | None, hosts: tuple[str, ...], collect_only: bool,
           output: Path | None, force: bool, config_id: str | None, fmt: str, timeout: float,
           sudo: bool, parallel: int, ssh_config: Path | None) -> None:
    """Compare what directors run (IPVS table, VIPs) with their keepalived.conf."""
    if sum(map(bool, (ipvsadm_output, from_dir, hosts))) != 1:
        _fail("give one of --ipvsadm-output, --from-dir or --host")
    if collect_only != (output is not None) or (collect_only and not hosts):
        _fail("--collect goes with --host and -o DIR")
    ssh = ssh_config.absolute() if ssh_config else None
    progress = sys.stderr if sys.stderr.isatty() else None
    try:
        if collect_only and output is not None:
            failed = api.collect(hosts, output, config=config, force=force, timeout=timeout,
                                 sudo=sudo, parallel=parallel, ssh_config=ssh,
                                 progress=progress)
            for line in failed:
                click.echo(f"kaconf: {line}", err=True)
            click.echo(f"collected {len(hosts) - len(failed)} of {len(hosts)} directors "
                       f"into {output}")
            raise SystemExit(2 if failed else 0)
        report = api.verify(config, ipvsadm_output=ipvsadm_output, addr_output=addr_output,
                            from_dir=from_dir, hosts=hosts, config_id=config_id,
                            timeout=timeout, sudo=sudo, parallel=parallel, ssh_config=ssh,
                            progress=progress)
    except api.VerifyError as exc:
        _fail(str(exc))
        raise AssertionError from None  # unreachable: _fail exits
    except api.LoadError as exc:
        _fail(exc.diagnostic.message)
        raise AssertionError from None
    api.render_verify(report, fmt, sys.stdout)
    raise SystemExit(report.exit_code())


@cli.command()
@click.argument("paths", nargs=-1, type=A_FILE)
@click.option("--from", "description", type=A_FILE,
              help="a gen-pair cluster description: drill the files gen-pair makes from it")
@click.option("--config-id", "config_ids", multiple=True, metavar="ID",
              help="one file with @ID lines: each --config-id is a director")
@click.option("--address", "addresses", multiple=True, metavar="NAME=IP",
              help="a director's address when its file has no unicast_src_ip")
@click.option("--fail-script", "fail_scripts", multiple=True, metavar="[DIRECTOR:]NAME",
              help="this vrrp_script's stand-in fails, on every director or on one "
                   "(rehearse a track_script failover)")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--slack", type=click.FloatRange(min=0), default=1.5, show_default=True,
              help="seconds allowed above each promised time (polling, a busy host)")
@click.option("--requests", type=click.IntRange(min=1), default=40, show_default=True,
              help="requests per service for the load-balancing steps")
def drill(paths: tuple[Path, ...], description: Path | None, config_ids: tuple[str, ...],
          addresses: tuple[str, ...], fail_scripts: tuple[str, ...], fmt: str, slack: float,
          requests: int) -> None:
    """Rehearse failover on the directors' own files in a throw-away lab of network
    namespaces (needs root). Exit 0: everything behaved as configured; 1: a behaviour
    differed; 2: the drill could not run."""
    try:
        timeline = api.drill(paths, config_ids=config_ids, description=description,
                             addresses=addresses, fail_scripts=fail_scripts, slack=slack,
                             requests=requests,
                             progress=sys.stderr if sys.stderr.isatty() else None)
    except api.DrillError as exc:
        _fail(str(exc))
        return
    except api.DrillInterrupted as exc:
        click.echo(f"kaconf: drill interrupted ({exc}); the lab was removed", err=True)
        raise SystemExit(130) from None
    api.render_drill(timeline, fmt, sys.stdout)
    raise SystemExit(timeline.exit_code)
