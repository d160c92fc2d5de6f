{#- The instant the decisions are made at: the accord_as_of variable (an ISO 8601 UTC
    instant such as 2026-12-01T00:00:00Z, for runs that must be reproducible), else the
    warehouse's current time in UTC. -#}
{% macro accord_as_of() -%}
  {%- set as_of = var('accord_as_of', none) -%}
  {%- if as_of is none -%}
    current_timestamp AT TIME ZONE 'UTC'
  {%- else -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?Z?', as_of | string) -%}
      {{ exceptions.raise_compiler_error("accord_as_of must be an ISO 8601 instant in UTC such as 2026-12-01T00:00:00Z, not " ~ as_of) }}
    {%- endif -%}
    CAST('{{ as_of | string | replace("T", " ") | replace("Z", "") }}' AS TIMESTAMP)
  {%- endif -%}
{%- endmacro %}
