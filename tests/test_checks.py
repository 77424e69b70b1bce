"""Keyword-table checks: deprecated, arity, values, ranges, duplicates, required (KA104-KA110)."""
from __future__ import annotations

from textwrap import dedent

import pytest

from kaconf.api import parse_text
from kaconf.diagnostics import Diagnostic

INSTANCE = """\
vrrp_instance VI_1 {{
    interface eth0
    virtual_router_id 51
    {line}
}}
"""


def diags_for(line: str) -> list[Diagnostic]:
    return list(parse_text(INSTANCE.format(line=line)).diagnostics)


@pytest.mark.parametrize("line, code, fragment", [
    pytest.param("state master", "KA106", "write 'MASTER'", id="enum-case"),
    pytest.param("state PRIMARY", "KA106", "MASTER, BACKUP", id="enum-unknown"),
    pytest.param("priority 256", "KA107", "1..255", id="priority-high"),
    pytest.param("priority -1", "KA106", "negative", id="priority-negative"),
    pytest.param("priority high", "KA106", "whole number", id="priority-text"),
    pytest.param("advert_int fast", "KA106", "time in seconds", id="timer-text"),
    pytest.param("advert_int 300", "KA107", "0.01..255", id="timer-range"),
    pytest.param("mcast_src_ip 10.0.0.300", "KA106", "not an IP address", id="bad-ip"),
    pytest.param("mcast_src_ip 10.0.0.3/24", "KA106", "drops '/24'", id="ip-suffix"),
    pytest.param("interface averyveryverylongname0", "KA106", "at most 15", id="ifname"),
    pytest.param("priority", "KA105", "needs", id="missing-arg"),
    pytest.param("priority 100 101", "KA105", "ignored", id="extra-arg"),
    pytest.param("nopreempt false", "KA105", "turns nopreempt ON", id="flag-with-off"),
    pytest.param("smtp_alert maybe", "KA106", "on/off", id="bool"),
    pytest.param("lvs_sync_daemon_interface eth1", "KA104", "deprecated", id="deprecated"),
    pytest.param("mcast_dst_ip 192.0.2.1", "KA106", "not a multicast address", id="mcast"),
])
def test_bad_values_are_reported(line: str, code: str, fragment: str) -> None:
    found = [d for d in diags_for(line) if d.code == code]
    assert found, [(d.code, d.message) for d in diags_for(line)]
    assert fragment in found[0].message
    assert found[0].span.line == 4


@pytest.mark.parametrize("line", [
    "state MASTER", "priority 255", "advert_int 0.5", "mcast_src_ip 2001:db8::1",
    "smtp_alert", "smtp_alert off", "nopreempt", "garp_master_delay 5",
    "mcast_dst_ip 224.0.0.20", "mcast_dst_ip ff02::12",
])
def test_good_values_are_quiet(line: str) -> None:
    assert diags_for(line) == []


def test_vip_value_span_points_at_the_value() -> None:
    (d,) = diags_for("priority 999")
    assert (d.span.line, d.span.column, d.span.end_column) == (4, 14, 17)


def test_lb_algo_and_lb_kind_are_only_info_hints() -> None:
    doc = parse_text(dedent("""\
        virtual_server 10.0.0.1 80 {
            lb_algo rr
            lb_kind DR
            real_server 10.0.0.2 80 {
            }
        }
        """))
    assert {(d.code, d.severity.value) for d in doc.diagnostics} == {("KA104", "info")}


def test_nb_get_retry_in_http_get_warns_like_keepalived() -> None:
    doc = parse_text(dedent("""\
        virtual_server 10.0.0.1 80 {
            real_server 10.0.0.2 80 {
                HTTP_GET {
                    url {
                        path /
                    }
                    nb_get_retry 3
                }
            }
        }
        """))
    (d,) = doc.diagnostics
    assert (d.code, d.severity.value, d.span.line) == ("KA104", "warning", 7)
    assert "use 'retry'" in d.message


def test_duplicate_keyword_and_duplicate_name() -> None:
    doc = parse_text(dedent("""\
        vrrp_script chk {
            script "/bin/true"
        }
        vrrp_script chk {
            script "/bin/true"
        }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority 100
            priority 150
        }
        """))
    assert [(d.span.line, d.code) for d in doc.diagnostics] == [(4, "KA109"), (11, "KA108")]


@pytest.mark.parametrize("text, line, missing", [
    pytest.param("vrrp_instance V {\n interface eth0\n}\n", 1, "virtual_router_id", id="vrid"),
    pytest.param("vrrp_instance V {\n virtual_router_id 5\n}\n", 1, "interface", id="interface"),
    pytest.param("vrrp_script s {\n interval 2\n}\n", 1, "script", id="script"),
    pytest.param(dedent("""\
        virtual_server 10.0.0.1 80 {
            real_server 10.0.0.2 80 {
                HTTP_GET {
                    connect_timeout 3
                }
            }
        }
        """), 3, "url", id="http-get-url"),
])
def test_missing_required_keywords(text: str, line: int, missing: str) -> None:
    found = [d for d in parse_text(text).diagnostics if d.code == "KA110"]
    assert [(d.span.line, f"'{missing}'" in d.message) for d in found] == [(line, True)]


def test_virtual_server_header_forms() -> None:
    good = "virtual_server fwmark 1 {\n}\nvirtual_server group G {\n}\nvirtual_server 2001:db8::1 443 {\n}\n"
    assert [d.code for d in parse_text(good).diagnostics] == []
    bad = "virtual_server 10.0.0.1 99999 {\n}\nvirtual_server fwmark x {\n}\n"
    assert [(d.span.line, d.code) for d in parse_text(bad).diagnostics] == [(1, "KA107"), (3, "KA106")]


def test_secret_values_are_not_echoed_in_messages() -> None:
    doc = parse_text(INSTANCE.format(line="authentication {\n auth_type PASS\n auth_pass my secret\n }"))
    (d,) = doc.diagnostics
    assert d.code == "KA105" and "secret" not in d.message


def test_a_comment_glued_to_a_value_is_reported_without_the_secret() -> None:
    doc = parse_text(INSTANCE.format(line="authentication {\n auth_type PASS\n auth_pass ab!cdef\n }"))
    (d,) = [d for d in doc.diagnostics if d.code == "KA007"]
    assert d.span.line == 6 and "ab" not in d.message.replace("about", "")
    quoted = parse_text(INSTANCE.format(line='authentication {\n auth_pass "ab!cdef"\n }'))
    assert [d.code for d in quoted.diagnostics if d.code == "KA007"] == []
    spaced = parse_text(INSTANCE.format(line="priority 100 # a comment\n    interface eth0 #x"))
    assert [d.code for d in spaced.diagnostics if d.code == "KA007"] == []
