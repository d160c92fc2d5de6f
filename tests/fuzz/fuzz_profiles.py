"""Hypothesis settings for the fuzz tests: a small CI profile, and a long one for by-hand runs.

The profiles are applied per test (`@FUZZ`), never loaded globally, so that they do not
change the settings of the rest of the suite. `ACCORD_FUZZ=long` selects the long run:

    ACCORD_FUZZ=long .venv/bin/pytest -q tests/fuzz --hypothesis-show-statistics
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Generous against a loaded CI machine: one project compiles in about 0.1 s, so 2 s only
# trips on a real blow-up (a hang, an exponential path), never on noise.
DEADLINE_MS = 2000
# The CLI test reuses pytest's capsys across examples; `run` reads (and so empties) it each time.
_QUIET = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.function_scoped_fixture,
]

settings.register_profile(
    "accord-fuzz-ci",
    max_examples=25,
    deadline=DEADLINE_MS,
    suppress_health_check=_QUIET,
    print_blob=True,
)
settings.register_profile(
    "accord-fuzz-long",
    max_examples=int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "5000")),
    deadline=DEADLINE_MS,
    suppress_health_check=_QUIET,
    print_blob=True,
)

PROFILE = "accord-fuzz-long" if os.environ.get("ACCORD_FUZZ") == "long" else "accord-fuzz-ci"
FUZZ = settings.get_profile(PROFILE)


def scaled(ci_examples: int) -> settings:
    """The active profile, with `ci_examples` examples in CI (cheap tests can afford more)."""
    if PROFILE == "accord-fuzz-long":
        return FUZZ
    return settings(FUZZ, max_examples=ci_examples)
