"""The GA4 BigQuery export schema, mapped to canonical events (as Ibis expressions).

Works on the export's nested schema wherever Ibis reaches it: Parquet or JSON Lines exports read
by DuckDB or Spark, or the BigQuery table itself (pass an Ibis table to :func:`read_ga4`).

- ``customer_id``: the ``user_id`` seen on any event of the device (``user_pseudo_id``), else
  the ``user_pseudo_id``; events with neither are left out (GA4's cookieless pings).
- ``timestamp``: ``event_timestamp`` (microseconds since the epoch, UTC).
- ``session_id``: ``user_pseudo_id`` + ``.`` + the ``ga_session_id`` event parameter.
- ``revenue``: ``ecommerce.purchase_revenue``.
- ``channel``: GA4's default channel group of the session, from the source, medium and campaign
  of the session's first event that has them (event parameters, else ``collected_traffic_source``
  manual fields, else ``google``/``cpc`` for a ``gclid``); sessions without any are Direct.
- ``properties``: page_location, page_referrer, page_title, the session's source, medium and
  campaign, the user's first-touch source, medium and campaign (``traffic_source``), and device,
  country, platform, ga_session_number and transaction_id where the export has them.
"""

from __future__ import annotations

from typing import cast

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from journeymap.data.canonical import to_canonical
from journeymap.data.channels import add_default_channel
from journeymap.data.events import Events, EventsError

GA4_REQUIRED: tuple[str, ...] = ("event_name", "event_timestamp", "user_pseudo_id")
PAGE_PARAMS: tuple[str, ...] = ("page_location", "page_referrer", "page_title")
_VALUE_FIELDS = ("string_value", "int_value", "double_value", "float_value")
# (property name, struct column, field) read when the export has them
_STRUCT_PROPERTIES: tuple[tuple[str, str, str], ...] = (
    ("first_user_source", "traffic_source", "source"),
    ("first_user_medium", "traffic_source", "medium"),
    ("first_user_campaign", "traffic_source", "name"),
    ("device_category", "device", "category"),
    ("country", "geo", "country"),
    ("transaction_id", "ecommerce", "transaction_id"),
)


def read_ga4(table: ibis.Table, *, label: str = "<GA4 table>") -> Events:
    """Canonical events from a GA4 export table (e.g. ``bigquery.table("events_*")``)."""
    return to_canonical(ga4_events(table, label=label), label=label)


def ga4_events(table: ibis.Table, *, label: str) -> ibis.Table:
    """The canonical columns of a GA4 export table, as a lazy expression (not yet checked)."""
    missing = [c for c in GA4_REQUIRED if c not in table.columns]
    if missing:
        raise EventsError(
            f"{label}: not a GA4 export: missing column {missing[0]!r} "
            f"(expected {', '.join(GA4_REQUIRED)}, event_params, ...)"
        )
    params = _Params(table, label)
    pseudo = table.user_pseudo_id.cast(dt.string)
    if "user_id" in table.columns:
        device_user = table.user_id.cast(dt.string).max().over(group_by=pseudo)
        customer = ibis.coalesce(device_user, pseudo)
    else:
        customer = pseudo
    micros = table.event_timestamp.cast(dt.int64)
    timestamp = (micros // 1_000_000).as_timestamp("s") + (micros % 1_000_000).as_interval("us")
    session_number = params.integer("ga_session_id")
    session = ibis.cases(
        (session_number.notnull(), pseudo.concat(".", session_number.cast(dt.string))),
        else_=ibis.null(dt.string),
    )
    paid_click = _struct_field(table, "collected_traffic_source", "gclid").notnull()
    base = table.select(
        customer_id=customer,
        timestamp=timestamp,
        event=table.event_name.cast(dt.string),
        session_id=session,
        revenue=_struct_field(table, "ecommerce", "purchase_revenue", dt.float64),
        _source=_first_of(
            params.text("source"),
            _struct_field(table, "collected_traffic_source", "manual_source"),
            ibis.cases((paid_click, "google"), else_=ibis.null(dt.string)),
        ),
        _medium=_first_of(
            params.text("medium"),
            _struct_field(table, "collected_traffic_source", "manual_medium"),
            ibis.cases((paid_click, "cpc"), else_=ibis.null(dt.string)),
        ),
        _campaign=_first_of(
            params.text("campaign"),
            _struct_field(table, "collected_traffic_source", "manual_campaign_name"),
        ),
        **{f"_p_{name}": params.text(name) for name in PAGE_PARAMS},
        _p_ga_session_number=params.text("ga_session_number"),
        _p_platform=table.platform.cast(dt.string)
        if "platform" in table.columns
        else ibis.null(dt.string),
        **{
            f"_p_{name}": _struct_field(table, column, field)
            for name, column, field in _STRUCT_PROPERTIES
        },
    ).filter(ibis._.customer_id.notnull())
    with_session = _session_traffic(base)
    keys = [
        *PAGE_PARAMS,
        "source",
        "medium",
        "campaign",
        "ga_session_number",
        "platform",
        *(name for name, _, _ in _STRUCT_PROPERTIES),
    ]
    values = [
        with_session[f"_p_{k}"] if f"_p_{k}" in with_session.columns else with_session[f"_s{k}"]
        for k in keys
    ]
    grouped = add_default_channel(
        with_session, with_session._ssource, with_session._smedium, with_session._scampaign
    )
    return grouped.select(
        "customer_id",
        "timestamp",
        "event",
        "session_id",
        "channel",
        "revenue",
        properties=_text_map(keys, [grouped[v.get_name()] for v in values]),
    )


def _text_map(keys: list[str], values: list[ir.Value]) -> ir.MapValue:
    """A text map of the ``keys`` whose value is not NULL in this row."""
    entries = ibis.array(
        [ibis.struct({"k": key, "v": value}) for key, value in zip(keys, values, strict=True)]
    ).filter(lambda entry: entry.v.notnull())
    return cast(
        ir.MapValue,
        ibis.map(entries.map(lambda entry: entry.k), entries.map(lambda entry: entry.v)),
    )


def _session_traffic(base: ibis.Table) -> ibis.Table:
    """Add ``_ssource``/``_smedium``/``_scampaign``: the traffic of the session's first event
    that has any (the event's own where it has no session). One window, no join."""
    has_traffic = (base._source.notnull() | base._medium.notnull()).cast(dt.int8)
    window = ibis.window(
        group_by=base.session_id,
        order_by=[ibis.desc(has_traffic), base.timestamp, base._source, base._medium],
    )
    in_session = base.session_id.notnull()
    return base.mutate(
        **{
            f"_s{name}": ibis.cases(
                (in_session, base[f"_{name}"].first().over(window)), else_=base[f"_{name}"]
            )
            for name in ("source", "medium", "campaign")
        }
    )


class _Params:
    """Typed lookups of keys in the repeated ``event_params`` key/value records."""

    def __init__(self, table: ibis.Table, label: str) -> None:
        self.column: ir.ArrayValue | None = None
        self.value_fields: tuple[str, ...] = ()
        if "event_params" not in table.columns:
            return
        dtype = table.schema()["event_params"]
        item = dtype.value_type if isinstance(dtype, dt.Array) else None
        value = item.fields.get("value") if isinstance(item, dt.Struct) else None
        if not isinstance(item, dt.Struct) or "key" not in item.names:
            raise EventsError(
                f"{label}: column 'event_params' must be a list of {{key, value}} records, "
                f"not {dtype}"
            )
        if not isinstance(value, dt.Struct):
            raise EventsError(
                f"{label}: column 'event_params': value must be a record of "
                f"{', '.join(_VALUE_FIELDS)}, not {value}"
            )
        self.column = cast(ir.ArrayValue, table.event_params)
        self.value_fields = tuple(f for f in _VALUE_FIELDS if f in value.names)

    def _value(self, key: str) -> ir.StructValue | None:
        if self.column is None or not self.value_fields:
            return None
        return cast(ir.StructValue, self.column.filter(lambda p: p.key == key)[0].value)

    def text(self, key: str) -> ir.StringValue:
        """The parameter's value as text, whichever value field holds it."""
        value = self._value(key)
        if value is None:
            return cast(ir.StringValue, ibis.null(dt.string))
        return cast(
            ir.StringValue,
            ibis.coalesce(*[value[f].cast(dt.string) for f in self.value_fields]),
        )

    def integer(self, key: str) -> ir.IntegerValue:
        """The parameter's value as an integer (int_value, or digits in string_value)."""
        value = self._value(key)
        if value is None:
            return cast(ir.IntegerValue, ibis.null(dt.int64))
        parts = [
            value[f].try_cast(dt.int64)
            for f in ("int_value", "string_value")
            if f in self.value_fields
        ]
        return cast(ir.IntegerValue, ibis.coalesce(*parts) if parts else ibis.null(dt.int64))


def _has_field(table: ibis.Table, column: str, field: str) -> bool:
    if column not in table.columns:
        return False
    dtype = table.schema()[column]
    return isinstance(dtype, dt.Struct) and field in dtype.names


def _struct_field(
    table: ibis.Table, column: str, field: str, to: dt.DataType = dt.string
) -> ir.Value:
    """``column.field`` cast to ``to``, or a typed NULL when the export has no such field."""
    if not _has_field(table, column, field):
        return ibis.null(to)
    return cast(ir.StructValue, table[column])[field].cast(to)


def _first_of(*values: ir.Value) -> ir.StringValue:
    return cast(ir.StringValue, ibis.coalesce(*values))
