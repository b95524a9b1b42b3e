#!/usr/bin/env python3
"""Write ../avro.sqlite and ../avro-datums.sqlite, two stores whose payloads Python's ``fastavro`` wrote
with the schemas of events.avsc, and expected.json, what the same library reads back from every stored
payload.

Run it in a venv with requirements.txt installed (see README.md). The output is deterministic: a seeded
``random.Random`` and fixed times.

Both stores hold the same events of a shop's orders (one ``events`` table, a stream per order):

- ``avro.sqlite``: each payload in Avro's single-object encoding (``C3 01``, the writer schema's
  CRC-64-AVRO fingerprint as fastavro computes it, then the datum ``fastavro.schemaless_writer`` wrote);
- ``avro-datums.sqlite``: each payload the raw datum alone, its record named by the event's type.

For each event expected.json holds ``data``: the datum fastavro's ``schemaless_reader`` reads back (the
single-object one found by its fingerprint), rendered as Eventscope shows Avro: records as objects in field
order, enums by symbol, unions as the branch's value, bytes as ``{"$bytes": hex}``, timestamp-millis as
RFC 3339 text in UTC with milliseconds, dates as YYYY-MM-DD, decimals as their digits in a string.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from binary_render import interleave, write_store  # noqa: E402

SINGLE_OBJECT = HERE.parent / "avro.sqlite"
DATUMS = HERE.parent / "avro-datums.sqlite"
EXPECTED = HERE / "expected.json"
SEED = 1314
START = dt.datetime(2024, 11, 4, 9, 0, tzinfo=dt.timezone.utc)
MARKER = b"\xc3\x01"


def order_events(rng: random.Random, number: int, at: dt.datetime) -> list[tuple[str, dict]]:
    """The events of one order, in order: (type, record)."""
    order_id = f"ord-{number:04d}"
    currency = rng.choice(["EUR", "USD", "GBP"])
    items = [
        {"sku": f"SKU-{rng.randint(100, 999)}", "quantity": rng.randint(1, 4),
         "unit_price": Decimal(rng.randint(199, 9999)).scaleb(-2)}
        for _ in range(rng.randint(1, 3))
    ]
    total = sum(item["quantity"] * item["unit_price"] for item in items)
    placed_at = at + dt.timedelta(milliseconds=rng.randint(0, 999))
    attributes = {
        key: rng.choice(["web", "app", "spring-sale", "en-GB", "fr-BE"])
        for key in sorted(rng.sample(["channel", "campaign", "locale"], rng.randint(0, 3)))
    }
    placed = {
        "order_id": order_id,
        "customer_id": f"cus-{rng.randint(1, 40):03d}",
        "currency": currency,
        "items": items,
        "shipping_address": {
            "street": f"{rng.randint(1, 120)} {rng.choice(['Main Street', 'Rue Haute', 'Elm Road'])}",
            "city": rng.choice(["Brussels", "Leeds", "Boston"]),
            "postcode": f"{rng.randint(1000, 9999)}",
            "country": rng.choice(["BE", "GB", "US"]),
        },
        "placed_at": placed_at,
        "delivery_date": rng.choice([None, (placed_at + dt.timedelta(days=rng.randint(2, 9))).date()]),
        "attributes": attributes,
        "tags": rng.sample(["gift", "express", "first-order", "b2b"], rng.randint(0, 2)),
        "note": rng.choice([None, "leave at the door", "ring twice"]),
    }
    events = [("OrderPlaced", placed)]
    if number % 5 == 4:
        events.append(("OrderCancelled", {
            "order_id": order_id,
            "reason": rng.choice(["CUSTOMER_REQUEST", "OUT_OF_STOCK"]),
            "note": rng.choice([None, "changed mind", "warehouse empty"]),
            "refund_minor_units": -int(total * 100),
        }))
        return events
    method = rng.choice(["CARD", "BANK_TRANSFER", "VOUCHER"])
    events.append(("PaymentReceived", {
        "order_id": order_id,
        "amount": total,
        "method": method,
        "card": {"brand": rng.choice(["visa", "mastercard"]), "last4": f"{rng.randint(0, 9999):04d}"}
        if method == "CARD" else None,
        "receipt_digest": bytes(rng.getrandbits(8) for _ in range(8)),
        "received_at": at + dt.timedelta(minutes=rng.randint(1, 30), milliseconds=rng.randint(0, 999)),
    }))
    if number % 3 != 0:
        weights = [rng.randint(150, 5000) for _ in range(rng.randint(1, 3))]
        shipped_at = at + dt.timedelta(hours=rng.randint(2, 48))
        events.append(("OrderShipped", {
            "order_id": order_id,
            "carrier": rng.choice(["bpost", "DHL", "UPS"]),
            "tracking_number": f"TRK{rng.getrandbits(40):012X}",
            "shipped_at": shipped_at,
            "estimated_delivery": (shipped_at + dt.timedelta(days=rng.randint(1, 5))).date(),
            "parcel_weights_g": weights,
            "total_weight_kg": sum(weights) / 1000,
        }))
    return events


def render(value):
    """A value fastavro read, as Eventscope shows Avro (see the module's doc)."""
    if isinstance(value, dict):
        return {key: render(v) for key, v in value.items()}
    if isinstance(value, list):
        return [render(v) for v in value]
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.timezone.utc)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def main() -> None:
    schemas = json.loads((HERE / "events.avsc").read_text())
    named: dict = {}
    parsed = {s["name"]: fastavro.parse_schema(s, named_schemas=named) for s in schemas}
    by_fingerprint = {
        bytes.fromhex(fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO")): schema
        for schema in parsed.values()
    }
    rng = random.Random(SEED)
    pending: dict[str, list] = {}
    for number in range(1, 15):
        stream = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        at = START + dt.timedelta(hours=number * 3)
        for version, (kind, record) in enumerate(order_events(rng, number, at), start=1):
            pending.setdefault(stream, []).append((version, kind, (kind, record)))
    ordered = [(stream, *event) for stream, event in interleave(rng, pending)]

    def datum(payload) -> bytes:
        kind, record = payload
        out = io.BytesIO()
        fastavro.schemaless_writer(out, parsed[kind], record)
        return out.getvalue()

    def single_object(payload) -> bytes:
        schema = parsed[payload[0]]
        header = fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO")
        return MARKER + bytes.fromhex(header) + datum(payload)

    def read_single_object(stored: bytes):
        assert stored[:2] == MARKER
        schema = by_fingerprint[stored[2:10]]
        return render(fastavro.schemaless_reader(io.BytesIO(stored[10:]), schema))

    kinds = iter([kind for _, _, kind, _ in ordered])

    def read_datum(stored: bytes):
        return render(fastavro.schemaless_reader(io.BytesIO(stored), parsed[next(kinds)]))

    single = write_store(SINGLE_OBJECT, "Order", ordered, random.Random(SEED + 1), START, 90, single_object,
                         read_single_object)
    raw = write_store(DATUMS, "Order", ordered, random.Random(SEED + 1), START, 90, datum, read_datum)
    assert single == raw, "both stores read back the same"
    expected = {"library": {"fastavro": fastavro.__version__}, "events": single}
    EXPECTED.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {SINGLE_OBJECT.name}, {DATUMS.name} ({len(ordered)} events, {len(pending)} streams), {EXPECTED.name}")


if __name__ == "__main__":
    main()
