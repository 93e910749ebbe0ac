"""The kit's zones served by a real named: every A, AAAA and PTR of the plan answers."""

from __future__ import annotations

from pathlib import Path

import dns.message
import dns.query
import dns.rdatatype
import dns.reversename

from dualstack.emit.bind import zone_text
from dualstack.plan import check
from dualstack.zones import build_zones
from tests.bindlab import running_bind
from tests.testdata import CONTRACT


def ask(port: int, name: str, rtype: str) -> set[str]:
    query = dns.message.make_query(name, rtype)
    response = dns.query.udp(query, "127.0.0.1", port=port, timeout=2)
    return {item.to_text() for rrset in response.answer for item in rrset}


def test_named_serves_every_record_of_the_plan(tmp_path: Path) -> None:
    plan = check(CONTRACT).plan
    assert plan is not None
    zones = build_zones(plan)
    texts = {z.origin: zone_text(z, 2026112501) for z in zones}
    with running_bind(tmp_path / "bind", texts) as bind:
        for h in plan.interfaces:
            fqdn = f"{h.host.name}.corp.example.net."
            if h.interface.ipv4 is not None:
                assert ask(bind.port, fqdn, "A") == {str(h.interface.ipv4)}
                ptr = dns.reversename.from_address(str(h.interface.ipv4)).to_text()
                assert ask(bind.port, ptr, "PTR") == {fqdn}
            if h.ipv6 is not None:
                assert ask(bind.port, fqdn, "AAAA") == {str(h.ipv6)}
                ptr = dns.reversename.from_address(str(h.ipv6)).to_text()
                assert ask(bind.port, ptr, "PTR") == {fqdn}
        assert ask(bind.port, "hyperv1.corp.example.net.", "CNAME") == {"hv01.corp.example.net."}
        pid = bind.pid
    assert not Path(f"/proc/{pid}").exists()  # stopped by its PID, nothing left behind
