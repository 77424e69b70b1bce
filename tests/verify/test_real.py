"""verify against tables captured from a real kernel IPVS run by the real keepalived: clean
where configuration and table agree, and exactly the real servers that were down where they
differ (ipvsadm/real/ and a capture with keepalived's check data, tests/verify/data/)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kaconf.verify.directors import Director, verify_directors
from kaconf.verify.hosts import Capture

REAL = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ipvsadm" / "real"
DATA = Path(__file__).resolve().parent / "data"
LISTINGS = ["ipvsadm-Sn.txt", "ipvsadm-Ln.txt", "ipvsadm-Ln--stats.txt",
            "ipvsadm-Ln--rate--exact.txt", "ipvsadm-Ln--thresholds.txt",
            "ipvsadm-Ln--persistent-conn.txt", "proc-net-ip_vs.txt"]
# what differs, read from each scenario's README and run-command: dr-nat ran with
# --down 198.51.100.13:8080 (config line 71) and --stop 198.51.100.12:80 (line 38) before
# after-stop; extended ran with --down 198.51.100.24:80 (line 128). All three have checkers,
# so each is a warning that a health check may have removed it.
DOWN = {("dr-nat", "initial"): [71], ("dr-nat", "traffic"): [71],
        ("dr-nat", "after-stop"): [38, 71],
        ("extended", "initial"): [128], ("extended", "traffic"): [128],
        ("extended", "after-stop"): [128]}


def capture(folder: Path, listing: str, name: str) -> Capture:
    return Capture(name, (folder / listing).read_text(), str(folder / listing),
                   addresses=(folder / "ip-addr.txt").read_text(),
                   addresses_source=str(folder / "ip-addr.txt"))


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize(("scenario", "state"), sorted(DOWN))
def test_real_capture_differs_exactly_where_a_server_was_down(scenario: str, state: str,
                                                               listing: str) -> None:
    folder = REAL / scenario / "states" / state
    report = verify_directors([Director(capture(folder, listing, scenario),
                                        str(REAL / scenario / "keepalived.conf"))])
    assert [(d.code, d.severity.value, d.span.line) for d in report.diagnostics] == [
        ("KA603", "warning", line) for line in DOWN[(scenario, state)]]
    assert report.exit_code() == 1


def test_check_data_from_the_real_keepalived_turns_the_down_server_into_no_finding() -> None:
    folder = DATA / "extended-down"
    cap = Capture("lb", (folder / "ipvsadm-Sn.txt").read_text(), "ipvsadm-Sn.txt",
                  addresses=(folder / "ip-addr.txt").read_text(), addresses_source="ip",
                  check_data=(folder / "check.data").read_text())
    report = verify_directors([Director(cap, str(REAL / "extended" / "keepalived.conf"))])
    assert report.diagnostics == [] and report.exit_code() == 0
