"""`kaconf lint PATHS... [options]`, the command of almost every run, read without click:
importing click is a fifth of a lint of a small file (about 20 ms).

run() takes an argument list only when click's lint command would take every word of it the
same plain way, and then does what that command does with it, stdin included (`-`, as an
editor sends the buffer on every save). Anything else (help, a mistake, --fix, a folder, a
bad settings file...) it leaves to kaconf.cli, having written nothing and read nothing from
stdin. tests/test_cli.py runs both on many argument lists and compares them.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from kaconf import api

# the options of lint taken here, as kaconf.cli declares them: option -> choices (None: any
# word); --select, --ignore and --config-id may be repeated, the others keep their last value
CHOICES: dict[str, tuple[str, ...] | None] = {
    "--format": ("text", "json", "sarif", "github", "junit"),
    "--sort": ("file", "severity"),
    "--fail-on": tuple(s.value for s in api.Severity),
    "--select": None,
    "--ignore": None,
    "--config-id": None,
    "--target-version": None,
    "--config": None,
    "--stdin-filename": None,
}
QUIET = ("-q", "--quiet")


def run(argv: list[str]) -> bool:
    """Lint as `kaconf ARGV...` would and exit; False (nothing done) when kaconf.cli must
    read ARGV. Interrupts and a closed stdout end the run as click's own main does."""
    try:
        return _lint(argv)
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\nAborted!\n")
        sys.stderr.flush()
        raise SystemExit(1) from None
    except BrokenPipeError:
        raise SystemExit(1) from None


def _lint(argv: list[str]) -> bool:
    given = _parse(argv)
    if given is None:
        return False
    stdin_name = _last(given, "--stdin-filename") or "<stdin>"
    first: dict[str, Path] = {}       # each file once: `a.conf ./a.conf` is one file
    for word in given["paths"]:
        path = Path(stdin_name if word == "-" else word)
        first.setdefault(api.real_path(path), path)
    paths = tuple(first.values())
    if any(os.path.isdir(p) for p in paths):
        return False                  # the command names the keepalived.conf inside
    config = given.get("--config")
    try:
        settings = api.settings_for(paths, Path(config[-1]) if config else None,
                                    select=api.split_codes(given.get("--select", [])),
                                    ignore=api.split_codes(given.get("--ignore", [])),
                                    fail_on=_last(given, "--fail-on"),
                                    target_version=_last(given, "--target-version"),
                                    config_ids=given.get("--config-id"), include_root=None)
    except api.SettingsError:         # click says why (also for a bad --target-version, or
        return False                  # a folder as --config)
    texts = None
    if "-" in given["paths"]:         # read only now: from here on the run is this one
        text, why = api.read_config_stream(sys.stdin.buffer)
        if text is None:
            sys.stderr.write(f"kaconf: {api.escape_controls(f'cannot read stdin: it {why}')}\n")
            raise SystemExit(2)
        texts = {stdin_name: text}
    report = api.lint_paths(paths, settings=settings, texts=texts)
    api.arrange(report, api.Severity.WARNING if "quiet" in given else api.Severity.INFO,
                _last(given, "--sort") or "file")      # _parse refused an empty choice
    api.render(report, _last(given, "--format") or "text", sys.stdout)
    raise SystemExit(report.exit_code(settings.fail_on))


def _parse(argv: list[str]) -> dict[str, list[str]] | None:
    """The words of `lint ...` by option ("paths" for the arguments, "quiet" when given), or
    None unless click would take each of them without a word to say."""
    if (argv[:1] != ["lint"] or any(k.endswith("_COMPLETE") for k in os.environ)
            or os.name == "nt"):      # another command, a shell asking for completions, or
        return None                   # Windows, where click expands wildcards itself
    given: dict[str, list[str]] = {"paths": []}
    words = iter(argv[1:])
    for word in words:
        if word[:1] != "-" or word == "-":
            given["paths"].append(word)
        elif word in QUIET:
            given["quiet"] = []
        else:                         # `--format json` or `--format=json`
            option, eq, attached = word.partition("=")
            value = attached if eq else next(words, None)
            if option not in CHOICES or value is None:
                return None           # `-`, `--`, help, an option not taken here
            given.setdefault(option, []).append(value)
    for option, choices in CHOICES.items():
        if choices is not None and option in given and given[option][-1] not in choices:
            return None
    paths = [p for p in given["paths"] if p != "-"] + given.get("--config", [])[-1:]
    if (not given["paths"] or given["paths"].count("-") > 1    # click reads stdin for each
            or not all(map(_readable, paths))):
        return None
    return given


def _readable(word: str) -> bool:
    """click.Path's check: a path that exists can be read (a missing one is the lint's KA004)."""
    return not os.path.exists(word) or os.access(word, os.R_OK)


def _last(given: dict[str, list[str]], option: str) -> str | None:
    return given[option][-1] if option in given else None
