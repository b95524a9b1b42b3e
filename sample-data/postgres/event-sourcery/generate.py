#!/usr/bin/env python3
"""Write an Event Sourcery sample store on SQLAlchemy + PostgreSQL.

Run inside a virtualenv with ``sample-data/event-sourcery/requirements.txt`` installed, against a throwaway
server (see README.md):

    python generate.py SERVER_DIR        # SERVER_DIR: the directory given to scripts/pg-server.sh start

It drops and recreates the database ``event_sourcery``, then runs the SQLAlchemy scenario of
``sample-data/event-sourcery/generate.py`` (``build_sqlalchemy``, imported as it is: the same e-commerce flow in
two tenants, snapshots, outbox, projector cursors) with its engine pointed at PostgreSQL through psycopg2. The
library's own models make the tables: ``event_sourcery_streams``, ``event_sourcery_events`` and
``event_sourcery_snapshots`` (``data`` and ``event_context`` are ``jsonb``, ids ``uuid``, times ``timestamp``
without time zone), ``event_sourcery_outbox_entries`` and ``event_sourcery_projector_cursors``.

Then it reads the store back through the library (a fresh ``SQLAlchemyBackend``): every event in position
order from its subscription (``backend.subscriber.start_from(0).build_batch``), and each stream with
``EventStore.load_stream`` in its tenant, which starts from the newest snapshot when there is one. It writes
``expected.json`` and dumps the database to ``sample-data/postgres/event_sourcery.sql``.

Determinism: event and stream UUIDs and every ``created_at`` come from the scenario's seeded RNG and clock,
outbox times from the scenario clock, ids from sequences counting from 1 in a fresh database; before dumping,
each table is rewritten in primary-key order (CLUSTER, then SET WITHOUT CLUSTER), because updated rows (stream
versions, outbox tries) move within the table. So a new run writes the same dump.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
POSTGRES_DIR = HERE.parent
SQLITE_GENERATOR = POSTGRES_DIR.parent / "event-sourcery" / "generate.py"
sys.path.insert(0, str(POSTGRES_DIR))

import pgsamples  # noqa: E402

DATABASE = "event_sourcery"
TABLES = ["event_sourcery_streams", "event_sourcery_events", "event_sourcery_snapshots",
          "event_sourcery_outbox_entries", "event_sourcery_projector_cursors"]

# The SQLite generator's scenario, loaded as a module (it puts its folder, with shop_events.py, on sys.path).
_spec = importlib.util.spec_from_file_location("esy_sqlite_generate", SQLITE_GENERATOR)
assert _spec is not None and _spec.loader is not None
esy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(esy)

import sqlalchemy  # noqa: E402
from event_sourcery import StreamId  # noqa: E402
from event_sourcery._event_store.event.registry import event_name  # noqa: E402


def pg_url(srv: pgsamples.Server) -> str:
    return srv.url(DATABASE).replace("postgres://", "postgresql+psycopg2://", 1)


@contextmanager
def engine_on(url: str) -> Iterator[None]:
    """Point build_sqlalchemy's ``create_engine("sqlite:///...")`` at PostgreSQL instead."""
    real = sqlalchemy.create_engine

    def create_engine(_sqlite_url: str, **kwargs: Any) -> sqlalchemy.Engine:
        return real(url, **kwargs)

    sqlalchemy.create_engine = create_engine
    try:
        yield
    finally:
        sqlalchemy.create_engine = real


def iso(t: datetime) -> str:
    return t.isoformat()


def fold(category: str, items: list[Any]) -> dict[str, Any]:
    """Replay one stream from what load_stream returned (a snapshot first, when there is one)."""
    state: dict[str, Any] = {}
    for w in items:
        e = w.event
        kind = type(e).__name__
        if category == "cart":
            if kind == "CartSnapshot":
                state = {"lines": {ln.sku: ln.quantity for ln in e.lines}, "coupon": e.coupon,
                         "status": "open", "from_snapshot_version": w.version}
            elif kind == "CartCreated":
                state.update(customer=e.customer.email, currency=e.currency, channel=e.channel,
                             lines={}, coupon=None, status="open")
            elif kind == "ItemAdded":
                lines = state.setdefault("lines", {})
                lines[e.product.sku] = lines.get(e.product.sku, 0) + e.quantity
            elif kind == "ItemQuantityChanged":
                state["lines"][e.sku] = e.new_quantity
            elif kind == "ItemRemoved":
                state["lines"].pop(e.sku, None)
            elif kind == "CouponApplied":
                state["coupon"] = e.code
            elif kind == "ShippingAddressSet":
                state["ship_to"] = e.address.city
            elif kind == "CartCheckedOut":
                state.update(status="checked_out", order_id=str(e.order_id), total=str(e.total.amount),
                             item_count=e.item_count)
            elif kind == "CartAbandoned":
                state["status"] = "abandoned"
        elif category == "order":
            if kind == "OrderPlaced":
                state.update(order_number=e.order_number, total=str(e.total.amount), status="placed")
            elif kind == "OrderPaid":
                state["status"] = "paid"
            elif kind == "OrderShipped":
                state.update(status="shipped", carrier=e.carrier, parcels=len(e.parcels))
            elif kind == "OrderDelivered":
                state["status"] = "delivered"
            elif kind == "OrderCancelled":
                state.update(status="cancelled", reason=e.reason)
        elif category == "payment":
            state["status"] = {"PaymentRequested": "requested", "PaymentAuthorized": "authorized",
                               "PaymentDeclined": "declined", "PaymentCaptured": "captured"}[kind]
            if kind == "PaymentRequested":
                state["amount"] = str(e.amount.amount)
        else:
            state["events"] = state.get("events", 0) + 1
    return state


def read_back(url: str) -> dict[str, Any]:
    from sqlalchemy.orm import DeclarativeBase, Session

    from event_sourcery_sqlalchemy import SQLAlchemyBackend, SQLAlchemyConfig, configure_models

    class Base(DeclarativeBase):
        pass

    configure_models(Base)
    engine = sqlalchemy.create_engine(url)
    try:
        with Session(engine) as session:
            backend = SQLAlchemyBackend().configure(session, SQLAlchemyConfig())
            recorded = []
            for batch in backend.subscriber.start_from(0).build_batch(size=10_000, timelimit=0.2):
                if not batch:
                    break
                recorded.extend(batch)
            streams: dict[str, Any] = {}
            ids: dict[str, tuple[str, StreamId]] = {}
            for r in recorded:
                sid = r.stream_id
                key = f"{r.tenant_id}/{sid}"
                ids.setdefault(key, (r.tenant_id, sid))
                w = r.wrapped_event
                s = streams.setdefault(key, {
                    "tenant": r.tenant_id, "stream_id": str(sid), "name": sid.name,
                    "category": sid.category or "", "events": 0, "types": {}, "versions": [],
                    "positions": [], "first_time": iso(w.created_at),
                })
                s["events"] += 1
                name = event_name(type(w.event))
                s["types"][name] = s["types"].get(name, 0) + 1
                s["versions"].append(w.version)
                s["positions"].append(r.position)
                s["last_time"] = iso(w.created_at)
                s["correlation_ids"] = sorted({*s.get("correlation_ids", []),
                                               *([str(w.context.correlation_id)]
                                                 if w.context.correlation_id else [])})
            for key, (tenant, sid) in ids.items():
                store = backend.in_tenant_mode(tenant).event_store if tenant else backend.event_store
                loaded = store.load_stream(sid)
                s = streams[key]
                s["first_position"], s["last_position"] = s["positions"][0], s["positions"][-1]
                versions = s.pop("versions")
                s["first_version"], s["last_version"] = versions[0], versions[-1]
                del s["positions"]
                s["load_stream"] = {
                    "items": len(loaded),
                    "starts_with_snapshot": type(loaded[0].event).__name__ == "CartSnapshot",
                    "first_version": loaded[0].version,
                }
                s["state"] = fold(s["category"], list(loaded))
            return {"events": len(recorded), "streams": streams}
    finally:
        engine.dispose()


def main() -> None:
    srv = pgsamples.server_from_argv(sys.argv)
    srv.recreate_database(DATABASE)
    url = pg_url(srv)
    with engine_on(url):
        esy.build_sqlalchemy(Path("unused.sqlite"))
    from importlib.metadata import version

    summary: dict[str, Any] = {
        "python-event-sourcery": version("python-event-sourcery"),
        "sqlalchemy": version("SQLAlchemy"),
        "psycopg2": version("psycopg2-binary"),
        "database": DATABASE,
        "tables": {t: int(srv.psql(DATABASE, f"SELECT count(*) FROM {t};").strip()) for t in TABLES},
        **read_back(url),
    }
    for table in TABLES:
        srv.cluster(DATABASE, table, f"{table}_pkey")
    srv.dump(DATABASE)
    pgsamples.write_expected(HERE, summary)


if __name__ == "__main__":
    main()
