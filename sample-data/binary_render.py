"""What the binary-payload generators (msgpack/generate.py, cbor/generate.py) share: map keys written as
Eventscope writes a key that is not a string (see the repository README, "Binary payloads"), and streams
interleaved in time with each stream's versions in order. Standard library only."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import timedelta


def render(value, special):
    """`value` as a library read it, in Eventscope's rendering: `special(value)` renders what only that
    library returns (an ExtType, a CBORTag) or gives None; maps, lists and bytes are rendered here."""
    shown = special(value)
    if shown is not None:
        return shown
    if isinstance(value, dict):
        return {key_text(k): render(v, special) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [render(v, special) for v in value]
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    return value


def key_text(key) -> str:
    """A decoded map key as Eventscope writes it: strings as they are, others as `$<kind>:<value>`."""
    if isinstance(key, str):
        return key
    if isinstance(key, bytes):
        return "$bytes:" + key.hex()
    if key is None:
        return "$null"
    if isinstance(key, bool):
        return "$bool:" + json.dumps(key)
    if isinstance(key, int):
        return f"$int:{key}"
    if isinstance(key, float):
        return "$float:" + json.dumps(key)
    raise TypeError(f"no rendering for key {key!r}")


def interleave(rng: random.Random, pending: dict[str, list]) -> list[tuple[str, object]]:
    """Every stream's items, the streams picked at random, each stream's items kept in order."""
    streams = list(pending)
    ordered = []
    while any(pending.values()):
        stream = rng.choice([s for s in streams if pending[s]])
        ordered.append((stream, pending[stream].pop(0)))
    return ordered


def write_store(path, stream_type: str, ordered, rng: random.Random, start, max_minutes: int, encode, read_back):
    """Write `ordered` events (stream, version, type, payload) into a fresh `events` table at `path`, each
    payload stored as `encode` makes it, times `start` plus random steps; return every event with its
    stored payload as `read_back` reads it (the library's own reading, rendered)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, stream_type TEXT NOT NULL, "
        "version INTEGER NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, created_at TEXT NOT NULL)"
    )
    conn.execute("CREATE UNIQUE INDEX events_stream_version ON events(stream_id, version)")
    at = start
    events = []
    for position, (stream, version, kind, payload) in enumerate(ordered, start=1):
        at += timedelta(minutes=rng.randint(1, max_minutes), seconds=rng.randint(0, 59))
        stored = encode(payload)
        conn.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
            (position, stream, stream_type, version, kind, stored, at.strftime("%Y-%m-%dT%H:%M:%SZ")),
        )
        events.append(
            {"position": position, "stream": stream, "version": version, "type": kind, "data": read_back(stored)}
        )
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return events
