#!/usr/bin/env python3
"""Write a one-stream store of N events (default 1,000,000) for screenshots and by-hand checks of the timeline
at scale: a plain events(id, stream_id, version, type, data, created_at) table, bursts a second apart and
quiet hours, deterministic. Usage: python3 scripts/big_store.py OUT.sqlite [N]"""
import datetime
import json
import random
import sqlite3
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rng = random.Random(7)
db = sqlite3.connect(out)
db.execute("DROP TABLE IF EXISTS events")
db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,"
           " type TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL)")
db.execute("CREATE UNIQUE INDEX events_stream ON events (stream_id, version)")
kinds = ["Deposited"] * 5 + ["Withdrawn"] * 3 + ["FeeCharged", "InterestPaid", "StatementIssued"]
t = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
rows = []
balance = 0
for version in range(1, count + 1):
    # Busy weekdays, quiet nights: most gaps are seconds, some are hours.
    t += datetime.timedelta(seconds=rng.choice([1, 2, 3, 5, 8, 20]) if rng.random() > 0.002 else rng.randint(3600, 40000))
    kind = "Opened" if version == 1 else rng.choice(kinds)
    amount = rng.randint(1, 500)
    balance += -amount if kind in ("Withdrawn", "FeeCharged") else amount
    rows.append(("account-1", version, kind, json.dumps({"amount": amount, "balance": balance}),
                 t.isoformat().replace("+00:00", "Z")))
db.executemany("INSERT INTO events (stream_id, version, type, data, created_at) VALUES (?, ?, ?, ?, ?)", rows)
db.commit()
print(f"wrote {count} events to {out}")
