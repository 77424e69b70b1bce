"""ka4xx_scripts.script_commands keeps the scripts of the last configuration asked (KA401,
KA403 and KA404 ask in turn): each configuration still gets its own scripts, the same as
worked out afresh."""
from __future__ import annotations

from pathlib import Path

from kaconf.parse import parse_text
from kaconf.rules.ka4xx_scripts import find_script_commands, script_commands

CASES = Path(__file__).parent / "cases"


def test_each_configuration_gets_its_own_scripts() -> None:
    configs = [parse_text(p.read_text(), str(p)).config
               for code in ("KA401", "KA403", "KA404", "KA205", "KA307")
               for p in sorted((CASES / code).glob("*.conf"))]
    fresh = [find_script_commands(c) for c in configs]
    assert any(fresh) and not all(fresh)
    for _ in range(2):      # asked again, and interleaved with the others
        for config, expected in zip(configs, fresh):
            assert script_commands(config) == expected
            assert script_commands(config) == expected
