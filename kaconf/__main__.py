"""`python -m kaconf`, and the `kaconf` console script (pyproject.toml points it at main): a
plain `kaconf lint` runs through kaconf.lint_argv, every other command through click
(kaconf.cli), both under one guard."""
import gc

# a short run makes no reference cycles worth collecting, so the collector only costs time:
# from here, before the imports (3% of a lint of a small file; 2 s of 6 on a 100,000-line one)
gc.disable()

import os  # noqa: E402
import sys  # noqa: E402

from kaconf import lint_argv  # noqa: E402


def main() -> None:
    """Entry point: no Python traceback reaches the user unless --debug is given."""
    debug = "--debug" in sys.argv[1:]
    # whatever the terminal's encoding, output never fails on a character: kaconf escapes
    # what comes from configs, and this catches anything left
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        if not lint_argv.run(sys.argv[1:]):
            from kaconf.cli import cli

            cli.main(standalone_mode=True)
    except SystemExit as exc:
        if debug:
            raise
        _leave(exc.code)
    except KeyboardInterrupt:
        _say("kaconf: interrupted")
        raise SystemExit(130) from None
    except Exception as exc:  # noqa: BLE001 - the last guard before the user
        if debug:
            raise
        _say(f"kaconf: internal error: {type(exc).__name__}: {exc} "
             "(run with --debug for details)")
        raise SystemExit(2) from None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _leave(code: object) -> None:
    """Exit as SystemExit(code) would, without tearing down every object of the run first
    (a million of them on a 100,000-line file: 100-150 ms): flush, then os._exit. A flush
    that fails (a closed pipe) gives status 120, as the interpreter's own exit does."""
    status = code if isinstance(code, int) else 0 if code is None else 1
    if not isinstance(code, int) and code is not None:
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = status or 120
    os._exit(status)


if __name__ == "__main__":
    main()
