"""The deploy targets, by name: how to make each platform from the environment.

One line per platform. A factory reads its settings and credentials from `settings.environ`
(engine.credentials: `NAME` or `NAME_FILE`) and raises MissingCredential when one is not
set; nothing is sent until `current()` or `apply()` is called.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from engine.deploy import Platform, hubspot, marketo, salesforce
from engine.http_client import DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Settings:
    environ: Mapping[str, str]
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    sleep: Callable[[float], None] = field(default=time.sleep)


PlatformFactory = Callable[[Settings], Platform]

PLATFORMS: dict[str, PlatformFactory] = {
    "hubspot": lambda s: hubspot.from_environment(s.environ, timeout=s.timeout, sleep=s.sleep),
    "marketo": lambda s: marketo.from_environment(s.environ, timeout=s.timeout, sleep=s.sleep),
    "salesforce": salesforce.from_settings,
}
