"""Build the LeadModel (rules/lead.yaml) and the Project (accord.yaml)."""

from __future__ import annotations

from engine.build.context import BuildContext
from engine.diagnostics import did_you_mean
from engine.ir import FieldRole, FieldType, LeadField, LeadModel, Party


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
    return LeadModel(id_field=id_field, fields=tuple(fields), span=ctx.span(()))


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
