"""Team strategies as closed forms: which member takes a team's k-th lead, for SQL.

Every strategy of docs/evaluation.md reduces to a `prefix` of members taken in order and
then a `cycle` repeated forever: member(k) = prefix[k] if k < len(prefix) else
cycle[(k - len(prefix)) mod len(cycle)], where k counts the team's leads in arrival order
(over the whole history, or within the week for capacity_aware). The interpreter replays
the same strategies step by step instead (engine/interpreter/replay.py), so the parity tests
compare two independent derivations.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from engine.ir import Strategy, Team


@dataclass(frozen=True)
class MemberSequence:
    prefix: tuple[str, ...]
    cycle: tuple[str, ...]
    weekly: bool  # k restarts every week (capacity_aware)


def member_capacities(team: Team) -> tuple[int | None, ...]:
    """Each member's weekly capacity: its own, else the team's split evenly, else unlimited."""
    shared = team.capacity_per_week // len(team.members) if team.capacity_per_week else None
    return tuple(
        m.capacity_per_week if m.capacity_per_week is not None else shared for m in team.members
    )


def integer_weights(team: Team) -> tuple[int, ...]:
    """The weights scaled to the smallest whole numbers with the same ratios."""
    exact = [Fraction(str(m.weight)) for m in team.members]
    scale = lcm(*(w.denominator for w in exact))
    return tuple(int(w * scale) for w in exact)


def _smooth_weighted_cycle(members: tuple[str, ...], weights: tuple[int, ...]) -> tuple[str, ...]:
    """Closed form of smooth weighted round robin: one full period of picks."""
    total = sum(weights)
    credit = [0] * len(members)
    picks = []
    for _ in range(total):
        for index, weight in enumerate(weights):
            credit[index] += weight
        best = max(range(len(members)), key=lambda i: (credit[i], -i))
        credit[best] -= total
        picks.append(members[best])
    return tuple(picks)


def member_sequence(team: Team) -> MemberSequence:
    members = tuple(m.id for m in team.members)
    if team.strategy is Strategy.WEIGHTED:
        return MemberSequence((), _smooth_weighted_cycle(members, integer_weights(team)), False)
    if team.strategy is Strategy.ROUND_ROBIN:
        return MemberSequence((), members, False)
    capacities = member_capacities(team)
    finite = [c for c in capacities if c is not None]
    rounds = max(finite, default=0)
    prefix = tuple(
        member
        for r in range(rounds)
        for member, capacity in zip(members, capacities, strict=True)
        if capacity is None or capacity > r
    )
    unlimited = tuple(m for m, c in zip(members, capacities, strict=True) if c is None)
    return MemberSequence(prefix, unlimited or members, True)
