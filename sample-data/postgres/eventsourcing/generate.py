#!/usr/bin/env python3
"""Write PostgreSQL sample stores with the real ``eventsourcing`` library (``eventsourcing.postgres``).

Run inside a virtualenv that has ``requirements.txt`` installed, against a throwaway server (see README.md):

    python generate.py SERVER_DIR        # SERVER_DIR: the directory given to scripts/pg-server.sh start

It drops, recreates and writes these databases, then dumps each to ``sample-data/postgres/<database>.sql``:

eventsourcing_bank
    ``PERSISTENCE_MODULE=eventsourcing.postgres``, one ``Banking`` application (the bank domain of
    ``sample-data/eventsourcing/bankdomain.py``), so the tables are ``banking_events`` and
    ``banking_snapshots`` (``originator_id uuid``, ``state bytea`` holding compact JSON). Six
    ``bankdomain:BankAccount`` aggregates with uuid5 ids, 110 events, a snapshot every 5th version.

eventsourcing_compressed
    The same persistence and domain with ``COMPRESSOR_TOPIC=eventsourcing.compressor:ZlibCompressor``: every
    ``state`` (events and snapshots) is ``zlib.compress(json)``. Three accounts, 30 events: the scenario and
    seed of ``sample-data/eventsourcing-compressed.sqlite``, so both decode to the same JSON.

Then it reads every database back through the library (a fresh application) and writes ``expected.json``.

Determinism: aggregate ids and transaction ids are uuid5; event and snapshot timestamps come from the
domain's seeded clock (``bankdomain.CLOCK``, through the library's ``create_timestamp()`` hook); amounts come
from ``random.Random(seed)``; ``notification_id`` is the table's identity column, counting from 1 in a fresh
database. Before dumping, each table is rewritten in the order of an index (CLUSTER, then SET WITHOUT CLUSTER:
events by notification_id, snapshots by their primary key), because the library's connection pool scatters rows
over pages and pg_dump copies rows in page order. So the same versions of the library and of pg_dump write the
same dump files.
"""

from __future__ import annotations

import importlib.util
import os
import random
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

HERE = Path(__file__).resolve().parent
POSTGRES_DIR = HERE.parent
SQLITE_GENERATOR = POSTGRES_DIR.parent / "eventsourcing" / "generate.py"
sys.path.insert(0, str(POSTGRES_DIR))
sys.path.insert(0, str(SQLITE_GENERATOR.parent))

# The library merges os.environ into every application's environment: drop what could change the output.
for _key in list(os.environ):
    if _key.startswith("POSTGRES_"):
        del os.environ[_key]

# The SQLite generator's scenario (account drivers, random operations) and domain, reused as they are. Loading
# it also removes the library's other environment variables (cipher, compressor, persistence...).
_spec = importlib.util.spec_from_file_location("es_sqlite_generate", SQLITE_GENERATOR)
assert _spec is not None and _spec.loader is not None
sqlite_gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sqlite_gen)

from bankdomain import CLOCK, BankAccount, Banking  # noqa: E402

import pgsamples  # noqa: E402

UTC = timezone.utc
COMPRESSOR = {"COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor"}


def postgres_env(srv: pgsamples.Server, database: str, **extra: str) -> dict[str, str]:
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": database,
        "POSTGRES_HOST": srv.host,
        "POSTGRES_PORT": str(srv.port),
        "POSTGRES_USER": "eventscope_admin",
        "POSTGRES_PASSWORD": "admin",
    }
    env.update(extra)
    return env


def build_bank(env: dict[str, str]) -> None:
    """Six UUID accounts, 110 events: the bank scenario of the SQLite sample without its text-id accounts."""
    CLOCK.reset(datetime(2024, 3, 1, 8, 0, tzinfo=UTC), seed=11)
    rng = random.Random(1011)
    app = Banking(env=env)
    try:
        specs = [
            ("DE-0001", "Anna Schmidt", "EUR", datetime(2024, 2, 20, 10, 15, tzinfo=UTC)),
            ("DE-0002", "Jörg Müller", "EUR", datetime(2024, 2, 21, 11, 30, 5, 250000, tzinfo=sqlite_gen.CET)),
            ("GB-0003", "Oliver Brown", "GBP", datetime(2024, 2, 22, 9, 0, tzinfo=UTC)),
            ("US-0004", "Maria Garcia", "USD", datetime(2024, 2, 23, 16, 45, tzinfo=UTC)),
            ("PL-0005", "Zofia Kowalska", "PLN", datetime(2024, 2, 24, 8, 5)),  # deliberately naive
            ("FR-0006", "Chloé Martin", "EUR", datetime(2024, 2, 25, 13, 20, tzinfo=UTC)),
        ]
        drivers = [
            sqlite_gen.open_account(app, BankAccount, number, owner, currency, kyc,
                                    opening_deposit=sqlite_gen.money(rng.randint(10_000, 500_000)))
            for number, owner, currency, kyc in specs
        ]
        # 6 accounts x (Opened + Deposited) = 12 events so far.
        renames = {1: ["Jörg Müller-Weiß"], 3: ["Maria García López"]}
        sqlite_gen.random_ops(rng, drivers, weights=[8, 3, 3, 2, 2, 2], n_events=90, renames=renames)
        sqlite_gen.finish_renames(drivers, renames)
        drivers[4].close()  # PL-0005: Withdrawn (what is left) + Closed, in one transaction
        while app.recorder.max_notification_id() < 109:
            drivers[0].deposit(sqlite_gen.money(rng.randint(1, 50_000)))
        drivers[2].deposit(Decimal("1234.56"))
        assert app.recorder.max_notification_id() == 110, app.recorder.max_notification_id()
    finally:
        app.close()


def read_back(env: dict[str, str]) -> dict[str, Any]:
    """What the library reports through a fresh application: notifications, streams, snapshots, states."""
    app = Banking(env=env)
    try:
        notifications = app.recorder.select_notifications(start=1, limit=100_000)
        order: list[str] = []
        for n in notifications:
            key = str(n.originator_id)
            if key not in order:
                order.append(key)
        streams: dict[str, Any] = {}
        for key in order:
            events = list(app.events.get(UUID(key)))
            snapshots = list(app.snapshots.get(UUID(key))) if app.snapshots else []
            acc = app.repository.get(UUID(key))
            topics: dict[str, int] = {}
            for e in events:
                name = type(e).__qualname__
                topics[name] = topics.get(name, 0) + 1
            streams[key] = {
                "aggregate": type(acc).__name__,
                "events": len(events),
                "first_version": events[0].originator_version,
                "last_version": events[-1].originator_version,
                "event_types": topics,
                "first_time": events[0].timestamp.isoformat(),
                "last_time": events[-1].timestamp.isoformat(),
                "snapshot_versions": [s.originator_version for s in snapshots],
                "state": {
                    "account_number": acc.account_number,
                    "owner": acc.owner,
                    "currency": acc.currency,
                    "kyc_checked_at": acc.kyc_checked_at.isoformat(),
                    "balance": str(acc.balance),
                    "is_closed": acc.is_closed,
                    "version": acc.version,
                    "created_on": acc.created_on.isoformat(),
                    "modified_on": acc.modified_on.isoformat(),
                },
            }
        return {
            "notifications": len(notifications),
            "max_notification_id": app.recorder.max_notification_id(),
            "first_notification_topic": notifications[0].topic,
            "streams": streams,
        }
    finally:
        app.close()


def tables(srv: pgsamples.Server, database: str) -> dict[str, int]:
    rows = srv.psql(database, """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1;
    """).split()
    return {t: int(srv.psql(database, f"SELECT count(*) FROM public.{t};").strip()) for t in rows}


def main() -> None:
    srv = pgsamples.server_from_argv(sys.argv)
    from importlib.metadata import version

    summary: dict[str, Any] = {
        "eventsourcing_version": version("eventsourcing"),
        "psycopg_version": version("psycopg"),
        "databases": {},
    }
    jobs = [
        ("eventsourcing_bank", {}, lambda env: build_bank(env)),
        ("eventsourcing_compressed", COMPRESSOR,
         lambda env: sqlite_gen.build_small_bank(Path("unused"), env, 21)),
    ]
    for database, extra, build in jobs:
        srv.recreate_database(database)
        env = postgres_env(srv, database, **extra)
        build(env)
        summary["databases"][database] = {
            "persistence": "eventsourcing.postgres",
            "env": {k: v for k, v in env.items() if not k.startswith("POSTGRES_")},
            "application": "Banking",
            "tables": tables(srv, database),
            **read_back(env),
        }
        srv.cluster(database, "public.banking_events", "banking_events_notification_id_idx")
        srv.cluster(database, "public.banking_snapshots", "banking_snapshots_pkey")
        srv.dump(database)

    pgsamples.write_expected(HERE, summary)


if __name__ == "__main__":
    main()
