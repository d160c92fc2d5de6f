"""Build the LeadModel (rules/lead.yaml) and the Project (accord.yaml)."""

from __future__ import annotations

from engine.build.context import BuildContext
from engine.diagnostics import did_you_mean
from engine.ir import FieldRole, FieldType, IdRef, LeadField, LeadModel, Party, Segment


def build_lead_model(ctx: BuildContext) -> LeadModel:
    fields = []
    for name, spec in ctx.value(("fields",)).items():
        at = ("fields", name)
        kind = FieldType(spec["type"])
        values = spec.get("values")
        if values is not None and kind is not FieldType.STRING:
            ctx.report(
                "R103",
                f"`values` are for string picklists, but `{name}` is {kind.value}",
                ctx.key_span((*at, "values")),
                help="remove `values`, or make the field a string",
            )
        fields.append(
            LeadField(
                id=name,
                type=kind,
                role=FieldRole(spec.get("role", "attribute")),
                description=spec.get("description"),
                values=tuple(values) if values is not None else None,
                salesforce=spec.get("salesforce"),
                hubspot=spec.get("hubspot"),
                span=ctx.key_span(at),
                column=spec.get("column", ""),
                null_values=tuple(spec.get("null_values", ())),
            )
        )
    id_field = ctx.ref(("id_field",))
    known = {f.id: f for f in fields}
    if id_field.id not in known:
        ctx.report(
            "R102",
            f"`id_field` names `{id_field.id}`, which is not a field",
            id_field.span,
            help=did_you_mean(id_field.id, known) or "add the field, or name an existing one",
        )
    elif known[id_field.id].type not in (FieldType.STRING, FieldType.INTEGER):
        ctx.report(
            "R103",
            f"the id field `{id_field.id}` is {known[id_field.id].type.value}; ids are strings or integers",
            id_field.span,
        )
    arrival = ctx.optional_ref(("arrival_field",))
    if arrival is not None and arrival.id in known:
        if known[arrival.id].type is not FieldType.DATETIME:
            ctx.report(
                "R103",
                f"the arrival field `{arrival.id}` is {known[arrival.id].type.value}; it must be a datetime",
                arrival.span,
            )
    elif arrival is not None:
        ctx.report(
            "R102",
            f"`arrival_field` names `{arrival.id}`, which is not a field",
            arrival.span,
            help=did_you_mean(arrival.id, known) or "add the field, or name an existing one",
        )
    report_by: list[IdRef] = []
    segments: list[Segment] = []
    for index, item in enumerate(ctx.value(("report_by",), [])):
        at = ("report_by", index)
        if isinstance(item, str):
            report_by.append(ctx.ref(at))
        else:
            segments.append(Segment(item["name"], ctx.id_refs((*at, "terms")), ctx.span(at)))
    for ref in report_by:
        if ref.id not in known:
            ctx.report(
                "R102",
                f"`report_by` names `{ref.id}`, which is not a field",
                ref.span,
                help=did_you_mean(ref.id, known) or "add the field, or name an existing one",
            )
        elif known[ref.id].type not in _REPORTABLE:
            ctx.report(
                "R103",
                f"`report_by` names `{ref.id}`, a {known[ref.id].type.value} field;"
                " reports break leads down by string, boolean or integer fields",
                ref.span,
                help="name a field with few distinct values, such as a picklist",
            )
    return LeadModel(
        id_field=id_field,
        fields=tuple(fields),
        span=ctx.span(()),
        arrival_field=arrival,
        null_values=tuple(ctx.value(()).get("null_values", ())),
        report_by=tuple(report_by),
        segments=tuple(segments),
    )


_REPORTABLE = (FieldType.STRING, FieldType.BOOLEAN, FieldType.INTEGER)


def build_parties(ctx: BuildContext) -> tuple[Party, ...]:
    return tuple(
        Party(
            id=key,
            name=spec["name"],
            github=spec.get("github"),
            span=ctx.key_span(("parties", key)),
        )
        for key, spec in ctx.value(("parties",)).items()
    )
