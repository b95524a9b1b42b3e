#!/usr/bin/env python3
"""Write the PostgreSQL store of scripts/bench-pg.sh: the events of es_store.py, in eventsourcing's own layout.

Run with the venv of sample-data/postgres/eventsourcing/requirements.txt (eventsourcing[postgres] 9.5.6):

    python scripts/bench/es_pg_store.py SERVER_DIR           # write database bench_es unless it is there
    python scripts/bench/es_pg_store.py SERVER_DIR --check   # read it back through the library only

SERVER_DIR is a directory given to `scripts/pg-server.sh start` (its admin.env names the superuser's URL).

The database `bench_es` holds what `Banking` (sample-data/eventsourcing/bankdomain.py) writes with
`PERSISTENCE_MODULE=eventsourcing.postgres`: the library itself creates the tables, indexes, type and function
(`banking_events`, `banking_snapshots`, `es_insert_events_uuid`, which NOTIFYs), the same DDL as in
sample-data/postgres/eventsourcing_bank.sql; there are no snapshots. The events are those of the SQLite bench
store (es_store.py's scenario, seeds and clock, so the same ids, topics `bankdomain:BankAccount.*` and
payloads): 1,191,468 events in 100,001 streams, one of 200,000 events. Each is turned into its row by the
library's own mapper and transcoder (`app.mapper.to_stored_event`); only the writing differs: the rows go in by
one COPY, in the order `app.save` would have inserted them (notification_id from the table's own sequence),
instead of one insert transaction per save. Then VACUUM ANALYZE and a CHECKPOINT, so the benchmark reads a
settled table.

Idempotent: a database bench_es with the right number of rows is left as it is; one with any other count is
dropped and written again. Either way it then reads the 200,000-event stream and a small one back through the
library (`repository.get`, as the read-only role eventscope_reader) and compares them with what the generator's
aggregates held (kept in SERVER_DIR/bench_es.json, the manifest, with the facts the benchmark needs).
Progress and timings go to stderr; the manifest is printed on stdout.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any
from uuid import UUID

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "sample-data" / "postgres"))

for _key in list(os.environ):
    if _key.startswith(("POSTGRES_", "PG")):
        del os.environ[_key]

import es_store  # noqa: E402  (also cleans the library's variables from os.environ, puts bankdomain on the path)
import pgsamples  # noqa: E402
import psycopg  # noqa: E402

import bankdomain  # noqa: E402
from bankdomain import Banking  # noqa: E402

DATABASE = "bench_es"
SMALL_INDEX = 4_242  # the small account read back besides the big one (BE-004242)


def pg_env(srv: pgsamples.Server, user: str, password: str) -> dict[str, str]:
    """The library's env for bench_es, eventsourcing.postgres.

    The writer (eventscope_admin) has snapshotting on so that the library creates banking_snapshots too, as in
    sample-data/postgres/eventsourcing_bank.sql; it stays empty, since rows are mapped here and never go
    through app.save. The reader replays every event (snapshotting off) and creates nothing.
    """
    writer = user == "eventscope_admin"
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": DATABASE,
        "POSTGRES_HOST": srv.host,
        "POSTGRES_PORT": str(srv.port),
        "POSTGRES_USER": user,
        "POSTGRES_PASSWORD": password,
        "IS_SNAPSHOTTING_ENABLED": "y" if writer else "n",
        "CREATE_TABLE": "y" if writer else "n",
    }


def reader_env(srv: pgsamples.Server) -> dict[str, str]:
    return pg_env(srv, "eventscope_reader", "reader")


def summary(account: Any) -> dict[str, str]:
    """What is compared between the generator's aggregate and the library's `repository.get`."""
    return {
        "version": str(account.version),
        "balance": str(account.balance),
        "owner": account.owner,
        "currency": account.currency,
        "is_closed": str(account.is_closed),
        "modified_on": account.modified_on.isoformat(),
    }


def row_count(srv: pgsamples.Server) -> int | None:
    """Rows in bench_es.banking_events, or None when the database or the table is missing."""
    exists = srv.psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}';").strip()
    if not exists:
        return None
    table = srv.psql(DATABASE, "SELECT to_regclass('public.banking_events') IS NOT NULL;").strip()
    if table != "t":
        return None
    return int(srv.psql(DATABASE, "SELECT count(*) FROM public.banking_events;").strip())


def generate(srv: pgsamples.Server) -> dict[str, Any]:
    """Recreate bench_es and fill it; returns the generator's facts for the manifest."""
    started = time.monotonic()
    srv.recreate_database(DATABASE)
    bankdomain.CLOCK = es_store.BenchClock()
    bankdomain.CLOCK.reset(es_store.START, seed=2011)
    rng = random.Random(2011)
    counts = es_store.small_counts(rng)
    app = Banking(env=pg_env(srv, "eventscope_admin", "admin"))  # creates the tables as the library does
    expected: dict[str, Any] = {}
    written = 0
    try:
        mapper = app.mapper
        with psycopg.connect(srv.url(DATABASE)) as conn, conn.cursor() as cur:
            copy_sql = ("COPY public.banking_events (originator_id, originator_version, topic, state) "
                        "FROM STDIN")
            with cur.copy(copy_sql) as copy:
                big = es_store.Account(rng, es_store.BIG_ACCOUNT)
                big_left = es_store.BIG_EVENTS - 2
                per_round = es_store.SMALL_ACCOUNTS // es_store.ROUNDS
                for r in range(es_store.ROUNDS):
                    first = r * per_round
                    smalls = [es_store.small_account(rng, i, counts[i]) for i in range(first, first + per_round)]
                    if first <= SMALL_INDEX < first + per_round:
                        small = smalls[SMALL_INDEX - first]
                        expected["small_stream"] = str(small.id)
                        expected["small_state"] = summary(small)
                    chunk = big_left // (es_store.ROUNDS - r)
                    for _ in range(chunk):
                        big.one_command()
                    big_left -= chunk
                    # In the order app.save(*smalls, big.agg) records them (es_store.py).
                    for aggregate in [*smalls, big.agg]:
                        for event in aggregate.collect_events():
                            stored = mapper.to_stored_event(event)
                            copy.write_row((stored.originator_id, stored.originator_version, stored.topic,
                                            stored.state))
                            written += 1
                    if r % 10 == 9:
                        print(f"  {r + 1}/{es_store.ROUNDS} rounds, {written} events, "
                              f"{time.monotonic() - started:.0f} s", file=sys.stderr)
                expected["big_stream"] = str(big.agg.id)
                expected["big_state"] = summary(big.agg)
            copied = time.monotonic()
            print(f"  COPY of {written} events: {copied - started:.1f} s", file=sys.stderr)
    finally:
        app.close()
    assert written == es_store.TOTAL_EVENTS, written
    srv.psql(DATABASE, "VACUUM ANALYZE;\nCHECKPOINT;\n")
    print(f"  VACUUM ANALYZE, CHECKPOINT: {time.monotonic() - copied:.1f} s", file=sys.stderr)
    expected["seconds_to_write"] = round(time.monotonic() - started, 1)
    return expected


def read_back(srv: pgsamples.Server, manifest: dict[str, Any]) -> None:
    """repository.get of the big and the small stream through the library, compared with the manifest."""
    app = Banking(env=reader_env(srv))
    try:
        for key in ("small", "big"):
            started = time.perf_counter()
            account = app.repository.get(UUID(manifest[f"{key}_stream"]))
            got = summary(account)
            print(f"  library repository.get of the {key} stream: version {got['version']}, "
                  f"balance {got['balance']} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
            if got != manifest[f"{key}_state"]:
                raise SystemExit(f"{DATABASE}: the library read {got} for the {key} stream, "
                                 f"the generator wrote {manifest[f'{key}_state']}")
    finally:
        app.close()


def main() -> None:
    args = sys.argv[1:]
    check_only = "--check" in args
    args = [a for a in args if a != "--check"]
    if len(args) != 1:
        raise SystemExit(f"usage: {sys.argv[0]} SERVER_DIR [--check]")
    srv = pgsamples.server(args[0])
    manifest_path = Path(args[0]) / f"{DATABASE}.json"
    count = row_count(srv)
    if count == es_store.TOTAL_EVENTS and manifest_path.is_file():
        print(f"{DATABASE}: already there ({count} events), not written again", file=sys.stderr)
        manifest = json.loads(manifest_path.read_text())
    elif check_only:
        raise SystemExit(f"{DATABASE}: {count} events and manifest {manifest_path} "
                         f"{'present' if manifest_path.is_file() else 'missing'}; run without --check to write it")
    else:
        print(f"{DATABASE}: writing {es_store.TOTAL_EVENTS} events (found {count})", file=sys.stderr)
        facts = generate(srv)
        manifest = {
            "layout": "eventsourcing.postgres (eventsourcing 9.5.6), no snapshots; rows by COPY",
            "database": DATABASE,
            "events": es_store.TOTAL_EVENTS,
            "streams": es_store.SMALL_ACCOUNTS + 1,
            "big_stream_events": es_store.BIG_EVENTS,
            **facts,
        }
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    manifest["database_bytes"] = int(srv.psql(DATABASE, f"SELECT pg_database_size('{DATABASE}');").strip())
    manifest["events_table_bytes"] = int(
        srv.psql(DATABASE, "SELECT pg_total_relation_size('public.banking_events');").strip())
    read_back(srv, manifest)
    print(json.dumps(manifest, ensure_ascii=False))


if __name__ == "__main__":
    main()
