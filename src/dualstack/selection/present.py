"""The shapes a selection is shown in: the ``--json`` object (``dualstack-select/1``) and the
text lines, both from one :class:`~dualstack.selection.order.Selection` (CLI and web alike)."""

from __future__ import annotations

from typing import Any

from dualstack.addr.text import compressed
from dualstack.selection.order import Ranked, Selection
from dualstack.selection.rules import Decision, scope_name

SCHEMA = "dualstack-select/1"


def _text(address: Any) -> str:
    return compressed(address)


def _decision(decision: Decision, merged: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": decision.kind,
        "rule": decision.rule,
        "name": decision.name,
        "winner": _text(decision.winner),
        "loser": _text(decision.loser),
        "detail": decision.detail,
    }
    if decision.kind == "destination":
        out["merge_order"] = merged
    return out


def _destination(ranked: Ranked) -> dict[str, Any]:
    d = ranked.destination
    rules = [_decision(x) for x in d.source_decisions]
    if ranked.before_next is not None:
        rules.append(_decision(ranked.before_next, ranked.merged))
    return {
        "address": _text(d.address),
        "zone": d.zone,
        "name": ranked.name,
        "source": None if d.source is None else _text(d.source.address),
        "unusable": d.unusable,
        "scope": scope_name(d.scope),
        "label": d.label,
        "precedence": d.precedence,
        "source_scope": None if d.source_scope is None else scope_name(d.source_scope),
        "source_label": d.source_label,
        "rules": rules,
    }


def selection(chosen: Selection) -> dict[str, Any]:
    """The ``--json`` object: the destinations in the order chosen, each with its source and
    the rules behind both (source rules against each other candidate; the destination rule
    against the next destination)."""
    return {
        "schema": SCHEMA,
        "policy": chosen.policy.name,
        "policy_description": chosen.policy.description,
        "host": [str(h) for h in chosen.host],
        "destinations": [_destination(r) for r in chosen.destinations],
    }


def lines(chosen: Selection) -> list[str]:
    """The text report: one block per destination, in order."""
    out = [f"policy {chosen.policy.name}: {chosen.policy.description}"]
    width = max((len(_label(r)) for r in chosen.destinations), default=0)
    following = [*chosen.destinations[1:], None]
    for number, (ranked, after) in enumerate(zip(chosen.destinations, following, strict=True), 1):
        d = ranked.destination
        source = f"from {_text(d.source.address)}" if d.source else f"unusable: {d.unusable}"
        out.append(f"{number:>3}  {_label(ranked):<{width}}  {source}")
        for decision in d.source_decisions:
            out.append(f"       source over {_text(decision.loser)}: {_rule(decision)}")
        if ranked.before_next is not None and after is not None:
            note = " (kept by the merge order: this pair alone goes the other way)"
            out.append(
                f"       before {_text(after.destination.address)}: {_rule(ranked.before_next)}"
                + (note if ranked.merged else "")
            )
    return out


def _label(ranked: Ranked) -> str:
    d = ranked.destination
    text = _text(d.address) + (f"%{d.zone}" if d.zone else "")
    return f"{text} ({ranked.name})" if ranked.name else text


def _rule(decision: Decision) -> str:
    return f"rule {decision.kind[0].upper()}{decision.rule} {decision.name} ({decision.detail})"
