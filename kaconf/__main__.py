"""`python -m kaconf`, and the `kaconf` console script (pyproject.toml points it at main)."""
import gc

# a short run makes no reference cycles worth collecting, so the collector only costs time:
# from here, before the imports (3% of a lint of a small file); kaconf.cli.main keeps it off
gc.disable()

from kaconf.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
