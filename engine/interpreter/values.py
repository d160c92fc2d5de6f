"""The values an evaluator works with: a lead's field values and what conditions compute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

# Datetimes are naive and hold UTC; dates are calendar days. None is a missing value.
Value = str | int | float | bool | dt.date | dt.datetime | None
Lead = Mapping[str, Value]

# Keys of the evaluation environment that no definition id can take (ids have no `$`).
AS_OF = "$as_of"
