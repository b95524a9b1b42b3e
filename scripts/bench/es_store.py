#!/usr/bin/env python3
"""Write the big `eventsourcing` store of the side-by-side benchmark with the library's own code.

Run with the venv of sample-data/eventsourcing/requirements.txt (eventsourcing 9.5.6):

    /tmp/es-venv/bin/python scripts/bench/es_store.py OUT.sqlite

It writes 1,191,468 events in 100,001 `bankdomain:BankAccount` streams through `bankdomain.Banking` (imported
from sample-data/eventsourcing, so topics read `bankdomain:BankAccount.Deposited`), persistence
`eventsourcing.sqlite`, with snapshotting switched off (IS_SNAPSHOTTING_ENABLED=n), so `repository.get` replays
every event: one account of 200,000 events (the stream the benchmark replays) and 100,000 accounts of 2 to
~60 events (991,468 together). Aggregates are saved many per `app.save(*aggregates)` call, one transaction each;
every event goes through the library's mapper, transcoder and recorder.

Deterministic: ids are uuid5 of the account number (`BankAccount.create_id`), transaction ids uuid5, amounts and
commands from seeded `random.Random`, timestamps from a seeded clock plugged in where bankdomain's is (its
`CLOCK`), stepping 1 µs to 4 s so the 1.2M events span about four weeks. The file is written under a temporary
name, then checkpointed, switched to journal_mode=DELETE (as the sample files are) and renamed into place. A
manifest `OUT.json` beside it records the facts the benchmark needs (the big stream's id, counts).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from uuid import UUID

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "sample-data" / "eventsourcing"))

# The library merges os.environ into every application's env: keep only what this script sets.
for _key in list(os.environ):
    if any(
        word in _key
        for word in ("PERSISTENCE_MODULE", "SQLITE_", "CIPHER_", "COMPRESSOR_", "TRANSCODER_", "MAPPER_",
                     "ORIGINATOR_ID_TYPE", "SNAPSHOTTING", "CREATE_TABLE", "AGGREGATE_CACHE", "FACTORY_TOPIC",
                     "INFRASTRUCTURE_FACTORY", "RECORDER_TOPIC", "TZINFO_TOPIC", "SQLALCHEMY_")
    ):
        del os.environ[_key]

import bankdomain  # noqa: E402
from bankdomain import BankAccount, Banking, transaction_id  # noqa: E402

TOTAL_EVENTS = 1_191_468
SMALL_ACCOUNTS = 100_000
BIG_EVENTS = 200_000
BIG_ACCOUNT = "XL-000001"
ROUNDS = 100  # each round saves 1,000 small accounts and 2,000 events of the big one
START = datetime(2024, 1, 1, tzinfo=timezone.utc)
OWNERS = ["Anna Schmidt", "Jörg Müller", "Oliver Brown", "Maria García", "Zofia Kowalska", "Chloé Martin",
          "Daan de Vries", "Sven Olsen", "Aiko Tanaka", "Lars Berg"]
CURRENCIES = ["EUR", "EUR", "EUR", "GBP", "USD", "PLN", "SEK"]


def env(path: Path) -> dict[str, str]:
    """The env the generator and the benchmark's `repository.get` both use."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "IS_SNAPSHOTTING_ENABLED": "n",
    }


class BenchClock(bankdomain.DeterministicClock):
    """bankdomain's clock with steps of 1 µs to 4 s instead of minutes (1.2M events would span 200 years)."""

    def now(self) -> datetime:
        self._now += timedelta(microseconds=self._rng.randint(1, 4_000_000))
        return self._now


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def small_counts(rng: random.Random) -> list[int]:
    """Events per small account: 2 or more, summing exactly to TOTAL_EVENTS - BIG_EVENTS."""
    target = TOTAL_EVENTS - BIG_EVENTS
    counts = [2 + min(int(rng.expovariate(1 / 8)), 58) for _ in range(SMALL_ACCOUNTS)]
    diff = target - sum(counts)
    while diff != 0:
        i = rng.randrange(SMALL_ACCOUNTS)
        if diff > 0:
            counts[i] += 1
            diff -= 1
        elif counts[i] > 2:
            counts[i] -= 1
            diff += 1
    return counts


class Account:
    """One BankAccount aggregate and the commands issued to it."""

    def __init__(self, rng: random.Random, number: str) -> None:
        self.rng = rng
        self.number = number
        self.seq = 0
        self.agg = BankAccount(
            account_number=number,
            owner=rng.choice(OWNERS),
            currency=rng.choice(CURRENCIES),
            kyc_checked_at=START - timedelta(days=rng.randint(1, 900)),
        )
        self.deposit(rng.randint(10_000, 500_000))

    def txn(self) -> UUID:
        self.seq += 1
        return transaction_id(self.number, self.seq)

    def deposit(self, cents: int) -> None:
        self.agg.deposit(money(cents), self.txn())

    def one_command(self) -> None:
        """One more event: mostly deposits and withdrawals, now and then a rename."""
        roll = self.rng.random()
        if roll < 0.01:
            self.agg.rename(self.rng.choice(OWNERS))
        elif roll < 0.55 or self.agg.balance < Decimal("1.00"):
            self.deposit(self.rng.randint(1, 250_000))
        else:
            cents = int(self.agg.balance * 100)
            self.agg.withdraw(money(self.rng.randint(1, max(1, cents * 3 // 4))), self.txn())

    def close(self) -> None:
        """Withdraw what is left and close: two events."""
        self.agg.withdraw(self.agg.balance, self.txn())
        self.agg.close()


def small_account(rng: random.Random, index: int, count: int) -> BankAccount:
    account = Account(rng, f"BE-{index:06d}")  # Opened + Deposited
    closing = count >= 4 and rng.random() < 0.05
    for _ in range(count - 2 - (2 if closing else 0)):
        account.one_command()
    if closing:
        account.close()
    return account.agg


def finalize(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0, path
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete", path
        events, streams = conn.execute(
            "SELECT count(*), count(DISTINCT originator_id) FROM stored_events"
        ).fetchone()
        assert (events, streams) == (TOTAL_EVENTS, SMALL_ACCOUNTS + 1), (events, streams)
    finally:
        conn.close()
    for suffix in ("-wal", "-shm", "-journal"):
        assert not Path(f"{path}{suffix}").exists(), f"{path}{suffix} left over"


def main() -> None:
    out = Path(sys.argv[1]).resolve()
    tmp = out.with_name(out.name + ".partial")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    started = time.monotonic()
    bankdomain.CLOCK = BenchClock()
    bankdomain.CLOCK.reset(START, seed=2011)
    rng = random.Random(2011)
    counts = small_counts(rng)
    app = Banking(env=env(tmp))
    try:
        big = Account(rng, BIG_ACCOUNT)  # 2 events
        big_left = BIG_EVENTS - 2
        per_round = SMALL_ACCOUNTS // ROUNDS
        for r in range(ROUNDS):
            smalls = [small_account(rng, i, counts[i]) for i in range(r * per_round, (r + 1) * per_round)]
            chunk = big_left // (ROUNDS - r)
            for _ in range(chunk):
                big.one_command()
            big_left -= chunk
            # Recorded in this order, so positions follow the timestamps.
            app.save(*smalls, big.agg)
            if r % 10 == 9:
                print(f"  {r + 1}/{ROUNDS} rounds, {time.monotonic() - started:.0f} s", file=sys.stderr)
        big_id = big.agg.id
    finally:
        app.close()
    finalize(tmp)
    tmp.rename(out)
    manifest = {
        "layout": "eventsourcing.sqlite (eventsourcing 9.5.6), no snapshots",
        "events": TOTAL_EVENTS,
        "streams": SMALL_ACCOUNTS + 1,
        "big_stream": str(big_id),
        "big_stream_events": BIG_EVENTS,
        "env": {k: v for k, v in env(out).items()},
        "seconds_to_write": round(time.monotonic() - started, 1),
    }
    out.with_suffix(".json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {TOTAL_EVENTS} events in {SMALL_ACCOUNTS + 1} streams to {out} "
          f"in {manifest['seconds_to_write']} s")


if __name__ == "__main__":
    main()
