"""Request bodies as JSON text: the same bytes for the same value, run after run.

Keys are sorted (no JSON object's key order means anything to HubSpot or Marketo), arrays
keep their order (rules, options and filters are listed in the definitions' order), two
spaces of indent, LF line ends and a final newline. The Marketo exporter writes its JSON
files with it too.
"""

from __future__ import annotations

import json


def json_text(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
