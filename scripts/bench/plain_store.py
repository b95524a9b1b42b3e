#!/usr/bin/env python3
"""Write the big plain `events` store of the side-by-side benchmark (standard library only).

    python3 scripts/bench/plain_store.py OUT.sqlite [EVENTS [STREAMS]]

The hand-rolled layout of sample-data/shop.sqlite, `events(id, stream_id, stream_type, version, type, data,
metadata, created_at)` with a unique index on (stream_id, version): by default 5,000,000 events in 500,000
streams (about 1 GB). Streams are `Customer` (about a third, 2 to 6 events) and `Order` (the rest, longer),
interleaved in time as a live store would be: 2,000 streams are open at once, each event goes to a random open
stream, and a stream that has all its events is replaced by the next. Ids follow `created_at`
(`YYYY-MM-DD HH:MM:SS.ffffff`, strictly increasing), versions run 1, 2, 3... with no gaps and the payload keys
of each type never change, so `verify` has nothing to find. Payloads are written for a deep merge, like
shop.sqlite's.

Deterministic (seeded `random.Random`). Written fast: one transaction, journal_mode=OFF and synchronous=OFF
while writing, the index built after the rows, then journal_mode=DELETE; under a temporary name, renamed into
place when complete. A manifest `OUT.json` beside it records the facts the benchmark needs.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

OPEN_STREAMS = 2_000
USERS = ["alice@shop", "bob@shop", "carol@shop", "dave@shop", "system"]
CITIES = [("Berlin", "10115"), ("Kraków", "30-001"), ("Lyon", "69001"), ("Porto", "4000-001"), ("Malmö", "211 20")]
NAMES = ["Anna Schmidt", "Jörg Müller", "Oliver Brown", "Maria García", "Zofia Kowalska", "Chloé Martin"]
SKUS = [f"SKU-{n:04d}" for n in range(1, 200)]
CARRIERS = ["DHL", "UPS", "GLS", "DPD"]


def stream_lengths(rng: random.Random, events: int, streams: int) -> list[tuple[str, int]]:
    """(stream type, event count) per stream, the counts summing exactly to `events`."""
    kinds = ["Customer" if rng.random() < 0.33 else "Order" for _ in range(streams)]
    counts = [rng.randint(2, 6) if kind == "Customer" else rng.randint(3, 22) for kind in kinds]
    diff = events - sum(counts)
    while diff != 0:
        i = rng.randrange(streams)
        if diff > 0 and kinds[i] == "Order":
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > 3:
            counts[i] -= 1
            diff += 1
    return list(zip(kinds, counts))


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Stream:
    """One stream being written: its id, type, remaining events and what the next event depends on."""

    def __init__(self, rng: random.Random, kind: str, count: int) -> None:
        self.id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.kind = kind
        self.count = count
        self.version = 0
        self.total = 0.0

    def next_event(self, rng: random.Random) -> tuple[str, str]:
        """(type, data) of the next event."""
        self.version += 1
        first, last = self.version == 1, self.version == self.count
        if self.kind == "Customer":
            if first:
                city, zip_code = rng.choice(CITIES)
                name = rng.choice(NAMES)
                return "CustomerRegistered", compact({
                    "name": name, "email": f"{name.split()[0].lower()}{rng.randint(1, 99999)}@example.com",
                    "address": {"city": city, "zip": zip_code}, "tier": "standard"})
            if rng.random() < 0.5:
                city, zip_code = rng.choice(CITIES)
                return "CustomerAddressChanged", compact({"address": {"city": city, "zip": zip_code}})
            return "CustomerTierChanged", compact({"tier": rng.choice(["standard", "silver", "gold"])})
        if first:
            return "OrderCreated", compact({"status": "draft", "currency": "EUR", "total": 0})
        if last:
            return "OrderShipped", compact({"status": "shipped",
                                            "shipping": {"carrier": rng.choice(CARRIERS),
                                                         "tracking": f"TR{rng.randint(10**9, 10**10 - 1)}"}})
        if self.version == self.count - 1:
            return "StatusChanged", compact({"status": "paid"})
        qty, price = rng.randint(1, 5), rng.randint(99, 9999) / 100
        self.total = round(self.total + qty * price, 2)
        return "LineAdded", compact({"items": {rng.choice(SKUS): {"qty": qty, "price": price}}, "total": self.total})


def rows(rng: random.Random, lengths: list[tuple[str, int]]):
    """Every row, in time order."""
    t = datetime(2024, 1, 1)
    pending = iter(lengths)
    open_streams = [Stream(rng, kind, count) for kind, count in (next(pending) for _ in range(OPEN_STREAMS))]
    position = 0
    while open_streams:
        slot = rng.randrange(len(open_streams))
        stream = open_streams[slot]
        event_type, data = stream.next_event(rng)
        t += timedelta(microseconds=rng.randint(1, 1_000_000))
        position += 1
        # Who did it, on one event in five (the rest were the customer's own, with no metadata).
        metadata = f'{{"user":"{rng.choice(USERS)}"}}' if rng.random() < 0.2 else None
        yield (position, stream.id, stream.kind, stream.version, event_type, data, metadata,
               t.strftime("%Y-%m-%d %H:%M:%S.%f"))
        if stream.version == stream.count:
            following = next(pending, None)
            if following is None:
                open_streams[slot] = open_streams[-1]
                open_streams.pop()
            else:
                open_streams[slot] = Stream(rng, *following)


def main() -> None:
    out = Path(sys.argv[1]).resolve()
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
    streams = int(sys.argv[3]) if len(sys.argv) > 3 else events // 10
    assert streams >= OPEN_STREAMS, "at least 2,000 streams"
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    started = time.monotonic()
    rng = random.Random(5005)
    lengths = stream_lengths(rng, events, streams)
    db = sqlite3.connect(tmp, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, stream_type TEXT NOT NULL,"
               " version INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT,"
               " created_at TEXT NOT NULL)")
    db.execute("BEGIN")
    db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows(rng, lengths))
    db.execute("CREATE UNIQUE INDEX events_stream_version ON events (stream_id, version)")
    db.execute("COMMIT")
    assert db.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    written, distinct = db.execute("SELECT count(*), count(DISTINCT stream_id) FROM events").fetchone()
    longest = db.execute("SELECT stream_id, count(*) AS n FROM events GROUP BY stream_id ORDER BY n DESC, stream_id"
                         " LIMIT 1").fetchone()
    db.close()
    assert (written, distinct) == (events, streams), (written, distinct)
    tmp.rename(out)
    manifest = {
        "layout": "plain events (shop.sqlite's)",
        "events": events,
        "streams": streams,
        "big_stream": longest[0],
        "big_stream_events": longest[1],
        "seconds_to_write": round(time.monotonic() - started, 1),
    }
    out.with_suffix(".json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {events} events in {streams} streams to {out} in {manifest['seconds_to_write']} s")


if __name__ == "__main__":
    main()
