#!/usr/bin/env python3
"""Write ../protobuf.sqlite, a store whose payloads Python's ``protobuf`` package serialized from the
classes ``grpcio-tools`` generated out of events.proto, the descriptor set events.desc beside it, and
expected.json, what the same package reads back from every stored payload.

Run it in a venv with requirements.txt installed (see README.md). The output is deterministic: a seeded
``random.Random``, fixed times, and protobuf's deterministic serialization.

The store is a shop's orders: one ``events`` table, a stream per order, BLOB payloads that are the
serialized messages (``OrderPlaced`` with nested line items, a map and a Timestamp; ``PaymentReceived`` with
a oneof and bytes; ``OrderShipped`` with a packed repeated field and a double; ``OrderCancelled`` with an
enum, a sint64 and a negative int32). For each payload expected.json holds:

- ``data``: ``json_format.MessageToDict`` of the message its type names (protobuf's canonical JSON mapping:
  lowerCamelCase names, enums by name, 64-bit integers as strings, default values left out), what
  Eventscope shows with the descriptor set;
- ``wire``: the wire tree Eventscope shows without a schema, made here from the library's own reading of
  the bytes as unknown fields (``UnknownFieldSet``), the length-delimited fields guessed by the rule the
  repository README gives (*Binary payloads*).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import unicodedata
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from binary_render import interleave, write_store  # noqa: E402

STORE = HERE.parent / "protobuf.sqlite"
EXPECTED = HERE / "expected.json"
DESCRIPTORS = HERE / "events.desc"
SEED = 1313
START = datetime(2024, 10, 7, 9, 0, tzinfo=timezone.utc)


def compile_proto() -> None:
    """events.proto -> events_pb2.py and events.desc, by the protoc grpcio-tools carries."""
    from grpc_tools import protoc

    status = protoc.main(
        [
            "protoc",
            f"-I{HERE}",
            f"-I{Path(protoc.__file__).parent / '_proto'}",
            f"--python_out={HERE}",
            f"--descriptor_set_out={DESCRIPTORS}",
            "--include_imports",
            str(HERE / "events.proto"),
        ]
    )
    if status != 0:
        raise SystemExit(f"protoc failed ({status})")


def timestamp(pb, at: datetime):
    ts = pb.Timestamp()
    ts.FromDatetime(at)
    return ts


def order_events(rng: random.Random, ev, pb, number: int, at: datetime) -> list[tuple[str, object]]:
    """The events of one order, in order: (type, message)."""
    order_id = f"ord-{number:04d}"
    currency = rng.choice([ev.EUR, ev.USD, ev.GBP])
    items = [
        ev.LineItem(
            sku=f"SKU-{rng.randint(100, 999)}",
            quantity=rng.randint(1, 4),
            unit_price=ev.Money(currency=currency, minor_units=rng.randint(199, 9999)),
        )
        for _ in range(rng.randint(1, 3))
    ]
    total = sum(item.quantity * item.unit_price.minor_units for item in items)
    placed = ev.OrderPlaced(
        order_id=order_id,
        customer_id=f"cus-{rng.randint(1, 40):03d}",
        items=items,
        shipping_address=ev.Address(
            street=f"{rng.randint(1, 120)} {rng.choice(['Main Street', 'Rue Haute', 'Elm Road'])}",
            city=rng.choice(["Brussels", "Leeds", "Boston"]),
            postcode=f"{rng.randint(1000, 9999)}",
            country=rng.choice(["BE", "GB", "US"]),
        ),
        placed_at=timestamp(pb, at + timedelta(milliseconds=rng.randint(0, 999))),
        tags=rng.sample(["gift", "express", "first-order", "b2b"], rng.randint(0, 2)),
    )
    for key in sorted(rng.sample(["channel", "campaign", "locale"], rng.randint(0, 3))):
        placed.attributes[key] = rng.choice(["web", "app", "spring-sale", "en-GB", "fr-BE"])
    events: list[tuple[str, object]] = [("OrderPlaced", placed)]
    if number % 5 == 4:
        events.append(
            (
                "OrderCancelled",
                ev.OrderCancelled(
                    order_id=order_id,
                    reason=rng.choice([ev.CUSTOMER_REQUEST, ev.OUT_OF_STOCK]),
                    note=rng.choice(["", "changed mind", "warehouse empty"]),
                    refund_minor_units=-total,
                    stock_adjustment=-sum(item.quantity for item in items),
                ),
            )
        )
        return events
    payment = ev.PaymentReceived(
        order_id=order_id,
        amount=ev.Money(currency=currency, minor_units=total),
        received_at=timestamp(pb, at + timedelta(minutes=rng.randint(1, 30))),
        receipt_digest=bytes(rng.getrandbits(8) for _ in range(8)),
    )
    method = rng.choice(["card", "bank", "voucher"])
    if method == "card":
        payment.card.CopyFrom(ev.Card(brand=rng.choice(["visa", "mastercard"]), last4=f"{rng.randint(0, 9999):04d}"))
    elif method == "bank":
        payment.bank_transfer.CopyFrom(
            ev.BankTransfer(iban=f"BE{rng.randint(10**13, 10**14 - 1)}", reference=f"REF{number}")
        )
    else:
        payment.voucher_code = f"V-{rng.randint(10000, 99999)}"
    events.append(("PaymentReceived", payment))
    if number % 3 != 0:
        weights = [rng.randint(150, 5000) for _ in range(rng.randint(1, 3))]
        events.append(
            (
                "OrderShipped",
                ev.OrderShipped(
                    order_id=order_id,
                    carrier=rng.choice(["bpost", "DHL", "UPS"]),
                    tracking_number=f"TRK{rng.getrandbits(40):012X}",
                    shipped_at=timestamp(pb, at + timedelta(hours=rng.randint(2, 48))),
                    parcel_weights_g=weights,
                    total_weight_kg=sum(weights) / 1000,
                ),
            )
        )
    return events


def wire_tree(data: bytes, empty_pb2, unknown_fields) -> dict:
    """Eventscope's schemaless rendering of `data`, from the library's reading of it as unknown fields."""
    message = empty_pb2.Empty()
    message.ParseFromString(data)
    return fields_tree(unknown_fields.UnknownFieldSet(message), empty_pb2, unknown_fields)


def fields_tree(fields, empty_pb2, unknown_fields) -> dict:
    names = {0: "varint", 1: "i64", 5: "i32"}
    tree: dict[str, list] = {}
    for field in fields:
        if field.wire_type == 2:
            what, value = guess(field.data, empty_pb2, unknown_fields)
        elif field.wire_type == 3:
            what, value = "group", fields_tree(field.data, empty_pb2, unknown_fields)
        else:
            what, value = names[field.wire_type], field.data
        tree.setdefault(f"{field.field_number}:{what}", []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in tree.items()}


def guess(data: bytes, empty_pb2, unknown_fields):
    """A length-delimited field's reading: text without control characters, else a message, else text
    whose only control characters are tabs and line breaks, else bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not any(unicodedata.category(c) == "Cc" for c in text):
        return "string?", text
    try:
        return "message?", wire_tree(data, empty_pb2, unknown_fields)
    except Exception:  # noqa: BLE001 - the library's DecodeError: not a message
        pass
    if text is not None and not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
        return "string?", text
    return "bytes", {"$bytes": data.hex()}


def main() -> None:
    compile_proto()
    sys.path.insert(0, str(HERE))
    import events_pb2 as ev  # noqa: PLC0415 - generated just now
    import google.protobuf
    from google.protobuf import empty_pb2, json_format, unknown_fields
    from google.protobuf import timestamp_pb2 as pb

    rng = random.Random(SEED)
    pending: dict[str, list] = {}
    for number in range(1, 15):
        stream = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        at = START + timedelta(hours=number * 3)
        for version, (kind, message) in enumerate(order_events(rng, ev, pb, number, at), start=1):
            pending.setdefault(stream, []).append((version, kind, message))
    streams = list(pending)
    ordered = [(stream, *event) for stream, event in interleave(rng, pending)]

    def read_back(kind: str):
        def read(stored: bytes) -> dict:
            message = getattr(ev, kind)()
            message.ParseFromString(stored)
            data = json_format.MessageToDict(message)
            # A map's entries in key order: MessageToDict walks them in no fixed order.
            if "attributes" in data:
                data["attributes"] = dict(sorted(data["attributes"].items()))
            return {
                "data": data,
                "wire": wire_tree(stored, empty_pb2, unknown_fields),
            }

        return read

    # write_store reads each payload back by one function: the type is known from the row written.
    kinds = iter([kind for _, _, kind, _ in ordered])
    expected_events = write_store(
        STORE,
        "Order",
        ordered,
        rng,
        START,
        90,
        lambda message: message.SerializeToString(deterministic=True),
        lambda stored: read_back(next(kinds))(stored),
    )
    for event in expected_events:
        both = event.pop("data")
        event["data"] = both["data"]
        event["wire"] = both["wire"]

    expected = {
        "library": {"protobuf": google.protobuf.__version__},
        "events": expected_events,
    }
    EXPECTED.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {STORE.name} ({len(ordered)} events, {len(streams)} streams), {DESCRIPTORS.name} and {EXPECTED.name}")


if __name__ == "__main__":
    main()
