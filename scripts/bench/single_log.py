#!/usr/bin/env python3
"""Write the big single log of the side-by-side benchmark (standard library only).

    python3 scripts/bench/single_log.py OUT.sqlite [EVENTS]

The layout of sample-data/single_log.sqlite, an application log with no stream column:
`event_log(id INTEGER PRIMARY KEY, type TEXT, timestamp INTEGER (Unix epoch ms), payload BLOB)`, by default
10,000,000 events from a building's thermostats: `SensorRead` {room, temperature, humidity} most of the time,
now and then `SetpointChanged` {setpoint{room, value}}, `ModeChanged` {mode}, `AlarmRaised` {alarm{code,
message, room}} and `AlarmCleared` {alarm: null}. Payloads are compact UTF-8 JSON stored as BLOBs; timestamps
go strictly up with `id`, 1 ms to 2 s apart (about four months in all). Every payload decodes, so the log is
clean for `verify`.

Deterministic (seeded `random.Random`). Written fast: one transaction, journal_mode=OFF and synchronous=OFF
while writing, then journal_mode=DELETE; under a temporary name, renamed into place when complete. A manifest
`OUT.json` beside it records the facts the benchmark needs.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
from pathlib import Path

ROOMS = ["lab", "office-1", "office-2", "hall", "kitchen", "server-room", "lobby", "attic"]
MODES = ["heat", "cool", "auto", "off"]
START_MS = 1_715_000_000_000  # 2024-05-06T12:53:20Z


def rows(rng: random.Random, count: int):
    t = START_MS
    alarm_room = None
    for position in range(1, count + 1):
        t += rng.randint(1, 2_000)
        roll = rng.random()
        room = rng.choice(ROOMS)
        if alarm_room is not None and roll < 0.002:
            kind, payload = "AlarmCleared", '{"alarm":null}'
            alarm_room = None
        elif alarm_room is None and roll < 0.001:
            alarm_room = room
            kind = "AlarmRaised"
            payload = f'{{"alarm":{{"code":"T{rng.randint(100, 199)}","message":"temperature out of range","room":"{room}"}}}}'
        elif roll < 0.02:
            kind, payload = "SetpointChanged", f'{{"setpoint":{{"room":"{room}","value":{rng.randint(180, 240) / 10}}}}}'
        elif roll < 0.025:
            kind, payload = "ModeChanged", f'{{"mode":"{rng.choice(MODES)}"}}'
        else:
            kind = "SensorRead"
            payload = (f'{{"room":"{room}","temperature":{rng.randint(150, 300) / 10},'
                       f'"humidity":{rng.randint(250, 700) / 10}}}')
        yield position, kind, t, payload.encode()


def main() -> None:
    out = Path(sys.argv[1]).resolve()
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    started = time.monotonic()
    db = sqlite3.connect(tmp, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE event_log (id INTEGER PRIMARY KEY, type TEXT NOT NULL, timestamp INTEGER NOT NULL,"
               " payload BLOB)")
    db.execute("BEGIN")
    db.executemany("INSERT INTO event_log VALUES (?, ?, ?, ?)", rows(random.Random(1010), count))
    db.execute("COMMIT")
    assert db.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    assert db.execute("SELECT count(*) FROM event_log").fetchone()[0] == count
    json.loads(db.execute("SELECT payload FROM event_log ORDER BY id DESC LIMIT 1").fetchone()[0])
    db.close()
    tmp.rename(out)
    manifest = {
        "layout": "single log (single_log.sqlite's), no stream column",
        "events": count,
        "streams": 1,
        "seconds_to_write": round(time.monotonic() - started, 1),
    }
    out.with_suffix(".json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {count} events to {out} in {manifest['seconds_to_write']} s")


if __name__ == "__main__":
    main()
