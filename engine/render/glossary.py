"""`accord glossary` output: one term in full, or the list of terms; as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from engine.glossary import Entry, Match
from engine.ir import Term
from engine.span import Span


def _where(span: Span) -> str:
    return f"{span.file}:{span.line}"


def _aliases(term: Term) -> dict[str, list[str]]:
    by_party: dict[str, list[str]] = {}
    for alias in term.aliases:
        by_party.setdefault(alias.party, []).append(alias.text)
    return by_party


def render_entry_text(match: Match, entry: Entry) -> str:
    term = entry.term
    lines = []
    if match.via is not None and match.party is not None:
        lines.append(f"“{match.via}” is what {match.party} calls {term.name} ({term.id}).")
        lines.append("")
    lines.append(f"{term.name} ({term.id})  {_where(term.span)}")
    lines.append(f"  {' '.join(term.definition.split())}")
    lines.append("")
    meaning = entry.meaning
    if meaning.binding is not None:
        bound = f" = {meaning.bound_to}" if meaning.bound_to else ""
        lines.append(f"  Means:     {meaning.binding}{bound}")
        if meaning.text is not None and meaning.span is not None:
            lines.append(f"             {meaning.text}  ({_where(meaning.span)})")
    elif meaning.text is not None:
        lines.append(f"  Means:     {meaning.text}")
    else:
        lines.append("  Means:     (descriptive: no condition decides it)")
    if term.owners:
        lines.append(f"  Owners:    {', '.join(o.id for o in term.owners)}")
    called = sorted(_aliases(term).items())
    width = max((len(party) for party, _ in called), default=0)
    for party, texts in called:
        lines.append(f"  {party + ' calls it:':<{width + 10}} {', '.join(texts)}")
    if term.see_also:
        lines.append(f"  See also:  {', '.join(r.id for r in term.see_also)}")
    lines.append("")
    if entry.used_by:
        count = len(entry.used_by)
        lines.append(f"  Used by {count} definition{'s' if count != 1 else ''}:")
        labels = [f"{u.kind} {u.id}" for u in entry.used_by]
        places = [_where(u.span) for u in entry.used_by]
        label_width, place_width = max(map(len, labels)), max(map(len, places))
        for label, place, usage in zip(labels, places, entry.used_by, strict=True):
            lines.append(f"    {label:<{label_width}}  {place:<{place_width}}  {usage.condition}")
    else:
        lines.append("  Used by no definition.")
    return "\n".join(lines) + "\n"


def render_entry_json(match: Match, entry: Entry) -> str:
    term, meaning = entry.term, entry.meaning
    data = {
        "id": term.id,
        "name": term.name,
        "definition": " ".join(term.definition.split()),
        "where": _where(term.span),
        "matched": {"text": match.via, "party": match.party} if match.via else None,
        "means": {
            "condition": meaning.text,
            "binding": meaning.binding,
            "bound_to": meaning.bound_to,
            "where": _where(meaning.span) if meaning.span else None,
        },
        "owners": [o.id for o in term.owners],
        "aliases": _aliases(term),
        "see_also": [r.id for r in term.see_also],
        "used_by": [
            {"kind": u.kind, "id": u.id, "where": _where(u.span), "condition": u.condition}
            for u in entry.used_by
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def render_list_text(terms: Sequence[Term]) -> str:
    width = max((len(t.id) for t in terms), default=0)
    lines = []
    for term in sorted(terms, key=lambda t: t.id):
        called = "; ".join(f"{p}: {', '.join(ts)}" for p, ts in sorted(_aliases(term).items()))
        lines.append(f"{term.id:<{width}}  {term.name}" + (f"  ({called})" if called else ""))
    return "\n".join(lines) + ("\n" if lines else "")


def render_list_json(terms: Sequence[Term]) -> str:
    data = [
        {"id": t.id, "name": t.name, "aliases": _aliases(t), "where": _where(t.span)}
        for t in sorted(terms, key=lambda t: t.id)
    ]
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
