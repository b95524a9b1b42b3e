#!/usr/bin/env python3
"""Write ../cbor.sqlite, a store whose payloads the Python ``cbor2`` package serialized, and expected.json,
what the same package reads back from every stored payload.

Run it in a venv with requirements.txt installed (see README.md). The output is deterministic: a seeded
``random.Random``, fixed times, and cbor2's own encoding.

The store tracks parcels: one ``events`` table, a stream per parcel, BLOB payloads that are CBOR maps
holding what JSON cannot: byte strings (a barcode, a signature image), a tagged value (tag 6000, an
application tag cbor2 does not interpret: a declared value as ``[cents, currency]``), maps with integer
keys (scan counts by conveyor) and ``undefined`` (simple value 23). expected.json shows every payload in
Eventscope's JSON rendering of binary formats (see the repository README, "Binary payloads"), made here from
what ``cbor2.loads`` returned.
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

import cbor2
from importlib.metadata import version as package_version

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from binary_render import interleave, render, write_store  # noqa: E402

STORE = HERE.parent / "cbor.sqlite"
EXPECTED = HERE / "expected.json"
SEED = 8949
START = datetime(2024, 10, 7, 6, 0, tzinfo=timezone.utc)
# The application tag a declared value is stored under (not one cbor2 interprets).
MONEY_TAG = 6000
HUBS = ["Lyon", "Turin", "Basel", "Graz"]


def parcel_events(rng: random.Random, number: int) -> list[tuple[str, dict]]:
    """The events of one parcel, in order: (type, payload)."""
    events: list[tuple[str, dict]] = [
        (
            "ParcelRegistered",
            {
                "reference": f"PX-{number:04d}",
                "weight_g": rng.randint(200, 9000),
                "dims_cm": [rng.randint(10, 60), rng.randint(10, 40), rng.randint(2, 30)],
                "barcode": bytes(rng.getrandbits(8) for _ in range(10)),
                "declared": cbor2.CBORTag(MONEY_TAG, [rng.randint(500, 50000), rng.choice(["EUR", "CHF"])]),
                "fragile": rng.random() < 0.3,
                "insurance": cbor2.undefined if number % 2 else None,
            },
        )
    ]
    for hub in rng.sample(HUBS, rng.randint(2, 4)):
        events.append(
            (
                "Scanned",
                {
                    "hub": hub,
                    "belts": {belt: rng.randint(1, 3) for belt in sorted(rng.sample([1, 2, 3, 4, 5], 2))},
                    "temperature_c": round(rng.uniform(4.0, 28.0), 1),
                    "delay_s": -rng.randint(0, 600),
                },
            )
        )
    if number % 4 == 0:
        events.append(("DeliveryFailed", {"attempt": 1, "note": "nobody home", "photo": bytes(range(8))}))
    events.append(
        (
            "Delivered",
            {"signed_by": rng.choice(["M. Rossi", "L. Weber", "A. Dubois"]), "signature": bytes(rng.getrandbits(8) for _ in range(16))},
        )
    )
    return events


def cbor_special(value):
    """What only cbor2 returns: tags it does not interpret, undefined and other simple values."""
    if isinstance(value, cbor2.CBORTag):
        return {"$tag": value.tag, "value": rendered(value.value)}
    if value is cbor2.undefined:
        return {"$simple": 23}
    if isinstance(value, cbor2.CBORSimpleValue):
        return {"$simple": value.value}
    return None


def rendered(value):
    """Eventscope's JSON rendering of what ``cbor2.loads`` returned."""
    return render(value, cbor_special)


def main() -> None:
    rng = random.Random(SEED)
    pending: dict[str, list] = {}
    for number in range(1, 9):
        stream = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        pending[stream] = list(enumerate(parcel_events(rng, number), start=1))
    # Interleave the parcels in time, each stream's versions in order.
    streams = list(pending)
    ordered = [(stream, version, *event) for stream, (version, event) in interleave(rng, pending)]

    expected_events = write_store(
        STORE, "Parcel", ordered, rng, START, 120, cbor2.dumps, lambda stored: rendered(cbor2.loads(stored))
    )

    expected = {"library": {"cbor2": package_version("cbor2")}, "events": expected_events}
    EXPECTED.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {STORE.name} ({len(ordered)} events, {len(streams)} streams) and {EXPECTED.name}")


if __name__ == "__main__":
    main()
