"""The `kaconf` command line: click commands that call kaconf.api, render and exit."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kaconf.diagnostics import Severity
from kaconf.keywords import DEFAULT_TARGET, parse_version


def _target(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        parse_version(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


target_option = click.option("--target-version", "target", default=DEFAULT_TARGET,
                             show_default=True, callback=_target,
                             help="keepalived version the files are written for")
config_id_option = click.option("--config-id", "config_id", default=None,
                                help="evaluate @ID lines as `keepalived -i ID` would "
                                     "(default: this host's name, as keepalived does)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kaconf")
@click.option("--debug", is_flag=True, help="show Python tracebacks on internal errors")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Compile and lint keepalived configuration."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), default="warning",
              show_default=True, help="lowest severity that makes the exit code 1")
@config_id_option
@target_option
def lint(paths: tuple[Path, ...], fmt: str, fail_on: str, config_id: str | None,
         target: str) -> None:
    """Check keepalived.conf files."""
    from kaconf import api
    from kaconf.render import RENDERERS

    report = api.lint_paths(paths, config_id, target)
    RENDERERS[fmt](report, click.get_text_stream("stdout"))
    raise SystemExit(report.exit_code(Severity(fail_on)))


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--typed", is_flag=True, help="dump the typed model instead of the syntax tree")
@config_id_option
@target_option
def dump(path: Path, fmt: str, typed: bool, config_id: str | None, target: str) -> None:
    """Print the parsed configuration with source spans."""
    from kaconf import api
    from kaconf.emit.dump import dump_json

    try:
        doc = api.parse_file(path, config_id, target)
    except api.LoadError as exc:
        _fail(exc.diagnostic.message)
    click.echo(dump_json(doc, typed=typed))


def _fail(message: str) -> None:
    click.echo(f"kaconf: {message}", err=True)
    raise SystemExit(2)


def main() -> None:
    """Entry point: no Python traceback reaches the user unless --debug is given."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("kaconf: interrupted", err=True)
        raise SystemExit(130) from None
    except Exception as exc:  # noqa: BLE001 - the last guard before the user
        if debug:
            raise
        click.echo(f"kaconf: internal error: {type(exc).__name__}: {exc} "
                   "(run with --debug for details)", err=True)
        raise SystemExit(2) from None
