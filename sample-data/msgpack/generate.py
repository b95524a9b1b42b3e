#!/usr/bin/env python3
"""Write ../msgpack.sqlite, a store whose payloads the Python ``msgpack`` package serialized, and
expected.json, what the same package reads back from every stored payload.

Run it in a venv with requirements.txt installed (see README.md). The output is deterministic: a seeded
``random.Random``, fixed times, and msgpack's own encoding (no timestamps, no randomness).

The store is a fleet of sensor devices: one ``events`` table, a stream per device, BLOB payloads that are
MessagePack maps holding what JSON cannot: ``bin`` values (a firmware digest, raw sensor frames), an
extension type (type 5: a signed firmware blob), and maps with integer keys (calibration offsets by
channel). expected.json shows every payload in Eventscope's JSON rendering of binary formats (see the
repository README, "Binary payloads"), made here from what ``msgpack.unpackb`` returned.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

import msgpack

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from binary_render import interleave, render, write_store  # noqa: E402

STORE = HERE.parent / "msgpack.sqlite"
EXPECTED = HERE / "expected.json"
SEED = 5150
START = datetime(2024, 9, 2, 8, 0, tzinfo=timezone.utc)
# The extension type the firmware blobs are stored as (application-defined, 0..127).
FIRMWARE_EXT = 5


def device_events(rng: random.Random, number: int) -> list[tuple[str, dict]]:
    """The events of one device, in order: (type, payload)."""
    name = f"sensor-{number:02d}"
    events: list[tuple[str, dict]] = [
        (
            "DeviceRegistered",
            {
                "name": name,
                "model": rng.choice(["TH-100", "TH-200", "AQ-3"]),
                "site": {"building": rng.choice(["North", "South"]), "floor": rng.randint(0, 4)},
                "serial": rng.getrandbits(63),
                "firmware": {"version": "1.0.0", "sha256": hashlib.sha256(name.encode()).digest()[:8]},
            },
        )
    ]
    firmware = 0
    for _ in range(rng.randint(5, 9)):
        kind = rng.random()
        if kind < 0.6:
            events.append(
                (
                    "ReadingRecorded",
                    {
                        "temperature": round(rng.uniform(17.0, 26.0), 2),
                        "humidity": rng.randint(30, 70),
                        "frame": bytes(rng.getrandbits(8) for _ in range(6)),
                    },
                )
            )
        elif kind < 0.8:
            firmware += 1
            blob = bytes(rng.getrandbits(8) for _ in range(12))
            events.append(
                (
                    "FirmwareUpdated",
                    {
                        "version": f"1.{firmware}.0",
                        "image": msgpack.ExtType(FIRMWARE_EXT, blob),
                        "sha256": hashlib.sha256(blob).digest()[:8],
                    },
                )
            )
        else:
            channels = rng.sample([1, 2, 3, 4], 2)
            events.append(
                (
                    "Calibrated",
                    {
                        "offsets": {ch: round(rng.uniform(-1, 1), 2) for ch in sorted(channels)},
                        "by": rng.choice(["ana", "ben", None]),
                        "drift": -rng.randint(1, 300),
                    },
                )
            )
    if number % 3 == 0:
        events.append(("DeviceRetired", {"reason": "replaced", "counter": 2**64 - 1}))
    return events


def rendered(value):
    """Eventscope's JSON rendering of what ``msgpack.unpackb`` returned."""
    # ExtType is a namedtuple: told from a list before lists are rendered.
    return render(
        value,
        lambda v: {"$ext": {"type": v.code, "hex": v.data.hex()}} if isinstance(v, msgpack.ExtType) else None,
    )


def main() -> None:
    rng = random.Random(SEED)
    rows = []
    for number in range(1, 7):
        stream = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        for version, (kind, payload) in enumerate(device_events(rng, number), start=1):
            rows.append((stream, version, kind, payload))
    # Interleave the devices in time, each stream's versions in order.
    pending: dict[str, list] = {}
    for stream, version, kind, payload in rows:
        pending.setdefault(stream, []).append((version, kind, payload))
    streams = list(pending)
    ordered = [(stream, *event) for stream, event in interleave(rng, pending)]

    expected_events = write_store(
        STORE, "Device", ordered, rng, START, 90, lambda payload: msgpack.packb(payload, use_bin_type=True), lambda stored: rendered(msgpack.unpackb(stored, raw=False, strict_map_key=False))
    )

    expected = {
        "library": {"msgpack": ".".join(map(str, msgpack.version))},
        "events": expected_events,
    }
    EXPECTED.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {STORE.name} ({len(ordered)} events, {len(streams)} streams) and {EXPECTED.name}")


if __name__ == "__main__":
    main()
