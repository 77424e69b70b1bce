"""A short run stays short (issue 12): what `kaconf lint` and `kaconf --version` import.

Most of a lint of a small file is start-up; these tests keep the heavy modules that the run
does not need out of it, without timing anything."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import kaconf

REPO = Path(__file__).resolve().parent.parent
MASTER = REPO / "corpus" / "classic-dr" / "master.conf"

# what a run of `kaconf ARGS...` imported, printed on stderr where the entry point would exit
PROBE = """
import sys
from kaconf import __main__ as entry
sys.argv = ["kaconf", *sys.argv[1:]]
entry._leave = lambda code: print("MODULES", *sorted(sys.modules), file=sys.stderr)
entry.main()
"""

# nothing a lint of one file uses: pydantic and tomllib are for settings files, rich for
# nothing on this path, lark for the grammar tests, importlib.metadata for nothing, difflib
# only to suggest a name, click (and what it imports) for any command but a plain lint,
# kaconf.cluster when two files are linted together, kaconf.suppress for a `# kaconf:` comment
NOT_FOR_LINT = {"rich", "pydantic", "pydantic_core", "lark", "tomllib", "importlib.metadata",
                "difflib", "kaconf.gen", "kaconf.drill", "kaconf.emit", "kaconf.fixes", "kaconf.fmt",
                "click", "kaconf.cli", "gettext", "uuid", "platform", "datetime", "kaconf.cluster",
                "kaconf.suppress"}


def imported(*args: str, cwd: Path, stdin: str = "") -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True,
                            text=True, timeout=120, input=stdin)
    line = next(ln for ln in result.stderr.splitlines() if ln.startswith("MODULES "))
    return set(line.split()[1:])


def test_lint_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    shutil.copy(MASTER, tmp_path / "keepalived.conf")
    # a pyproject.toml without [tool.kaconf] is not even parsed
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\n'
                                             'dependencies = ["kaconf"]\n')
    modules = imported("lint", "keepalived.conf", cwd=tmp_path)
    assert "kaconf.rules" in modules and "kaconf.lint_argv" in modules
    assert modules & NOT_FOR_LINT == set()
    # one file forms no cluster: the cluster rules are not even imported
    assert not [m for m in modules if m.startswith("kaconf.rules.ka5")]


def test_every_output_format_leaves_out_the_same_modules(tmp_path: Path) -> None:
    """SARIF gives kaconf's version from kaconf.__version__, not from package metadata; it
    describes each rule it names from the registry of every code, which imports the cluster
    rules (and kaconf.cluster) too."""
    shutil.copy(MASTER, tmp_path / "keepalived.conf")
    for fmt in ("json", "sarif", "github", "junit"):
        modules = imported("lint", "--format", fmt, "keepalived.conf", cwd=tmp_path)
        allowed = {"kaconf.cluster"} if fmt == "sarif" else set()
        assert modules & NOT_FOR_LINT <= allowed, fmt


def test_an_editor_sending_its_buffer_on_stdin_does_not_wait_for_click(tmp_path: Path) -> None:
    modules = imported("lint", "--format", "json", "--stdin-filename", "keepalived.conf", "-",
                       cwd=tmp_path, stdin=MASTER.read_text())
    assert "kaconf.lint_argv" in modules
    assert modules & NOT_FOR_LINT == set()


def test_a_lint_that_is_not_plain_goes_through_click(tmp_path: Path) -> None:
    shutil.copy(MASTER, tmp_path / "keepalived.conf")
    modules = imported("lint", "--show-clusters", "keepalived.conf", cwd=tmp_path)
    assert {"click", "kaconf.cli"} <= modules


def test_version_is_the_package_version_without_reading_metadata(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "kaconf", "--version"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout == f"python -m kaconf, version {kaconf.__version__}\n"
    assert "importlib.metadata" not in imported("--version", cwd=tmp_path)
    # what pip installed says the same (pyproject.toml takes the version from kaconf)
    from importlib.metadata import version

    assert version("kaconf") == kaconf.__version__


# pyproject.toml texts: whether each has a [tool.kaconf] table is what tomllib says
PYPROJECTS = [
    '[project]\nname = "kaconf-configs"\ndependencies = ["kaconf>=0.1"]\n',
    '[project.scripts]\nkaconf = "kaconf.cli:main"\n[tool.setuptools.package-data]\nkaconf = []\n',
    '[tool.black]\nline-length = 100\n# kaconf = 1\n',
    '[tool.kaconf]\nignore = ["KA201"]\n',
    '[ tool . "kaconf" ]\nignore = []\n',
    "[tool.'kaconf'.extra]\nx = 1\n",
    '[tool]\nkaconf.ignore = ["KA201"]\n',
    '[tool]\n"kaconf" = { ignore = [] }\n',
    'tool.kaconf.ignore = ["KA201"]\n',
    'tool = { kaconf = { ignore = [] } }\n',
    '[project]\nname = "x"\n[tool]\nblack = {}\n',
    '[[tool.kaconf.cluster]]\nfiles = ["a.conf"]\n',
    'tool . kaconf . ignore = []\n',
    '[tool] # tools\nkaconf = {}\n',
    '[tool.kaconfig]\nx = 1\n',
    '[tool]\n# kaconf = {}\nblack = {}\n',
]


def test_a_pyproject_is_parsed_when_it_may_have_a_kaconf_table(tmp_path: Path) -> None:
    import tomllib

    from kaconf.settings import find_settings_file

    for text in PYPROJECTS:
        (tmp_path / "pyproject.toml").write_text(text)
        has_table = "kaconf" in tomllib.loads(text).get("tool", {})
        found = find_settings_file(tmp_path)
        assert (found == tmp_path / "pyproject.toml") == has_table, text
