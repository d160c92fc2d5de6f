"""Volume commitments in an impact diff: each period as the base and the head deliver it."""

from __future__ import annotations

import datetime as dt

from engine.commitments import CommitmentResult, target
from engine.diff.report import CommitmentImpact, CommitmentPeriod, Count


def compare_commitments(
    base: tuple[CommitmentResult, ...], head: tuple[CommitmentResult, ...]
) -> tuple[CommitmentImpact, ...]:
    """Count commitments measured on either side, by id (the head's order, then the base's)."""
    before = {r.commitment.id: r for r in base if r.measured}
    after = {r.commitment.id: r for r in head if r.measured}
    found = []
    for key in dict.fromkeys([*after, *before]):
        old, new = before.get(key), after.get(key)
        shown = new or old
        assert shown is not None
        values: dict[dt.date, list[tuple[float, bool] | None]] = {}
        for index, result in enumerate((old, new)):
            for period in result.periods if result else ():
                values.setdefault(period.start, [None, None])[index] = (period.value, period.met)
        periods = tuple(
            CommitmentPeriod(
                start,
                b[0] if b else None,
                h[0] if h else None,
                b[1] if b else None,
                h[1] if h else None,
            )
            for start, (b, h) in sorted(values.items())
        )
        found.append(
            CommitmentImpact(
                id=key,
                owner=shown.commitment.owner.id,
                to=shown.commitment.to.id if shown.commitment.to else None,
                target=target(shown.commitment),
                measure=shown.commitment.measure.value,
                periods=periods,
                missed=Count(old.missed if old else 0, new.missed if new else 0),
            )
        )
    return tuple(found)
