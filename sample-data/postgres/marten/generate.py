#!/usr/bin/env python3
"""Write a Marten-shaped sample event store from Marten's own schema and append function, without Marten.

There is no .NET here, so Marten itself never runs: ``schema.sql`` (beside this file) is the schema Marten 8.37.2
builds for its event store, written out from Marten's source (its header says which classes and which
configuration), including Marten's own append function ``mt_quick_append_events`` and ``mt_archive_stream``.
Standard library only (psql through ``../pgsamples.py``). Run against a throwaway server (see README.md):

    python3 generate.py SERVER_DIR       # SERVER_DIR: the directory given to scripts/pg-server.sh start

It drops and recreates the database ``marten``, runs ``schema.sql``, appends every event the way Marten's quick
append does (one transaction per ``SaveChanges``: ``mt_quick_append_events`` creates the ``mt_streams`` row at
version 0 on the first append, takes each event's ``seq_id`` from ``mt_events_sequence``, numbers versions and
updates the stream's version), archives one stream with ``mt_archive_stream``, reads everything back with SQL,
writes ``expected.json`` and dumps the database to ``sample-data/postgres/marten.sql``.

The scenario: a bank in two tenants (``acme`` and ``globex``, Marten's conjoined tenancy): ``bank_account`` and
``customer`` streams with Marten's default names (event types as snake_case aliases, ``mt_dotnet_type`` as .NET
full type names with the assembly), correlation and causation ids and headers on every event. One stream id is
used in both tenants (conjoined tenancy keys a stream by tenant and id); one ``globex`` account is archived.

Deterministic: stream and event ids (uuid5), amounts (a seeded ``random.Random``), event timestamps (a seeded
clock, given to the append function as ``QuickWithServerTimestamps`` does), hence seq_ids and versions. NOT
deterministic, because the server sets them: ``mt_streams.timestamp`` and ``created`` (``now()`` at append) and
the constant default of ``mt_events.timestamp`` (Marten writes it as the string ``'(now())'``, which PostgreSQL
turns into the time the table was created). They change in the dump on every run and appear nowhere in
``expected.json``.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, uuid5

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import pgsamples  # noqa: E402

DATABASE = "marten"
NAMESPACE = uuid5(NAMESPACE_URL, "https://eventscope.example/sample-data/marten")
ASSEMBLY = "Bank.Domain"

# (event type alias, .NET type) as Marten's ClassicTypeName naming writes them.
EVENT_TYPES = {
    "AccountOpened": "account_opened",
    "MoneyDeposited": "money_deposited",
    "MoneyWithdrawn": "money_withdrawn",
    "AccountClosed": "account_closed",
    "CustomerRegistered": "customer_registered",
    "EmailChanged": "email_changed",
    "AccountLinked": "account_linked",
}


def stream_id(name: str) -> str:
    return str(uuid5(NAMESPACE, f"stream/{name}"))


class Clock:
    """A seeded clock: each tick moves 1 to 90 minutes and some microseconds on."""

    def __init__(self, rng: random.Random) -> None:
        self.now = datetime(2025, 3, 3, 8, 0, 0, tzinfo=timezone.utc)
        self.rng = rng

    def tick(self) -> datetime:
        self.now += timedelta(minutes=self.rng.randint(1, 90), microseconds=self.rng.randint(0, 999_999))
        return self.now


def sql_text(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def sql_array(values: list[str | None], element: str) -> str:
    return f"ARRAY[{', '.join(sql_text(v) for v in values)}]::{element}[]"


class Scenario:
    """The appends, as one SQL script of transactions, and the facts the generator knows it wrote."""

    def __init__(self) -> None:
        self.rng = random.Random(20250303)
        self.clock = Clock(self.rng)
        self.script: list[str] = []
        self.commands = 0
        self.events = 0

    def append(self, tenant: str, name: str, stream_type: str, events: list[tuple[str, dict[str, Any]]],
               user: str) -> None:
        """One SaveChanges: the events of one command appended to one stream in one transaction."""
        self.commands += 1
        correlation = f"corr-{self.commands:04d}"
        causation = f"cmd-{self.commands:04d}"
        ids, types, dotnet, bodies, times = [], [], [], [], []
        for clr_name, data in events:
            self.events += 1
            ids.append(str(uuid5(NAMESPACE, f"event/{self.events}")))
            types.append(EVENT_TYPES[clr_name])
            dotnet.append(f"{ASSEMBLY}.Events.{clr_name}, {ASSEMBLY}")
            bodies.append(json.dumps(data, separators=(", ", ": ")))
            times.append(self.clock.tick().isoformat())
        headers = [json.dumps({"user": user, "command": causation})] * len(events)
        self.script.append(
            "BEGIN;\nSELECT public.mt_quick_append_events("
            f"{sql_text(stream_id(name))}::uuid, {sql_text(stream_type)}, {sql_text(tenant)}, "
            f"{sql_array(ids, 'uuid')}, {sql_array(types, 'varchar')}, {sql_array(dotnet, 'varchar')}, "
            f"{sql_array(bodies, 'jsonb')}, {sql_array([causation] * len(events), 'varchar')}, "
            f"{sql_array([correlation] * len(events), 'varchar')}, {sql_array(headers, 'jsonb')}, "
            f"{sql_array(times, 'timestamptz')});\nCOMMIT;"
        )

    def archive(self, tenant: str, name: str) -> None:
        self.script.append(f"SELECT public.mt_archive_stream({sql_text(stream_id(name))}::uuid, {sql_text(tenant)});")


# (tenant, stream name, owner or customer name); account `shared` exists in both tenants under one id.
ACCOUNTS = [("acme", "acme-1", "Anna Schmidt"), ("acme", "acme-2", "Jörg Müller-Weiß"),
            ("acme", "shared", "Acme Treasury"), ("globex", "globex-1", "Hank Scorpio"),
            ("globex", "shared", "Globex Treasury"), ("globex", "globex-old", "Frank Grimes")]
CUSTOMERS = [("acme", "acme-cust", "Anna Schmidt"), ("globex", "globex-cust", "Hank Scorpio")]


def run(scenario: Scenario) -> None:
    rng = scenario.rng
    for number, (tenant, name, owner) in enumerate(ACCOUNTS, start=1):
        opened = {"AccountId": stream_id(name), "AccountNumber": f"DE-{4000 + number}", "Owner": owner,
                  "Currency": "EUR"}
        scenario.append(tenant, name, "bank_account",
                        [("AccountOpened", opened), ("MoneyDeposited", {"Amount": 100 * number})], owner)
    for tenant, name, customer in CUSTOMERS:
        email = customer.lower().replace(" ", ".") + "@example.com"
        scenario.append(tenant, name, "customer",
                        [("CustomerRegistered", {"CustomerId": stream_id(name), "Name": customer, "Email": email})],
                        "web")
    for tenant, name, _ in CUSTOMERS:
        for account_tenant, account, _ in ACCOUNTS:
            if account_tenant == tenant and account != "globex-old":
                scenario.append(tenant, name, "customer", [("AccountLinked", {"AccountId": stream_id(account)})],
                                "backoffice")
    open_accounts = [a for a in ACCOUNTS]
    for _ in range(40):
        tenant, name, owner = rng.choice(open_accounts)
        if rng.random() < 0.6:
            events = [("MoneyDeposited", {"Amount": rng.randint(1, 60) * 5})]
        else:
            events = [("MoneyWithdrawn", {"Amount": rng.randint(1, 20) * 5})]
        if rng.random() < 0.2:
            events.append(("MoneyDeposited", {"Amount": rng.randint(1, 10)}))
        scenario.append(tenant, name, "bank_account", events, owner)
    scenario.append("acme", "acme-cust", "customer", [("EmailChanged", {"Email": "anna@schmidt.example"})], "web")
    scenario.append("globex", "globex-old", "bank_account",
                    [("MoneyWithdrawn", {"Amount": 0}), ("AccountClosed", {"Reason": "moved away"})], "backoffice")
    scenario.archive("globex", "globex-old")


def fold(stream_type: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The state the sample's reducers.json should replay: the generator's own fold of the events read back."""
    if stream_type == "bank_account":
        state: dict[str, Any] = {"owner": None, "number": None, "balance": 0, "status": None, "movements": 0}
        for event in events:
            data = event["data"]
            if event["type"] == "account_opened":
                state.update(owner=data["Owner"], number=data["AccountNumber"], status="open")
            elif event["type"] == "money_deposited":
                state["balance"] += data["Amount"]
                state["movements"] += 1
            elif event["type"] == "money_withdrawn":
                state["balance"] -= data["Amount"]
                state["movements"] += 1
            elif event["type"] == "account_closed":
                state["status"] = "closed"
        return state
    state = {"name": None, "email": None, "accounts": []}
    for event in events:
        data = event["data"]
        if event["type"] == "customer_registered":
            state.update(name=data["Name"], email=data["Email"])
        elif event["type"] == "email_changed":
            state["email"] = data["Email"]
        elif event["type"] == "account_linked":
            state["accounts"].append(data["AccountId"])
    return state


READ_BACK = """
SELECT json_agg(row_to_json(e) ORDER BY e.seq_id) FROM (
  SELECT seq_id, id, tenant_id, stream_id, version, type, data, mt_dotnet_type, correlation_id, causation_id,
         headers, is_archived,
         to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS time
  FROM public.mt_events) e;
"""

STREAMS = """
SELECT json_agg(row_to_json(s) ORDER BY s.tenant_id, s.id) FROM (
  SELECT tenant_id, id, type, version, is_archived FROM public.mt_streams) s;
"""


def expected(srv: pgsamples.Server, scenario: Scenario) -> dict[str, Any]:
    events = json.loads(srv.psql(DATABASE, READ_BACK))
    streams = json.loads(srv.psql(DATABASE, STREAMS))
    out: dict[str, Any] = {}
    for stream in streams:
        mine = [e for e in events if e["tenant_id"] == stream["tenant_id"] and e["stream_id"] == stream["id"]]
        types: dict[str, int] = {}
        for event in mine:
            types[event["type"]] = types.get(event["type"], 0) + 1
        out[f"{stream['tenant_id']}/{stream['id']}"] = {
            "tenant": stream["tenant_id"],
            "stream_id": stream["id"],
            "stream_type": stream["type"],
            "archived": stream["is_archived"],
            "version": stream["version"],
            "events": len(mine),
            "types": dict(sorted(types.items())),
            "dotnet_types": sorted({e["mt_dotnet_type"] for e in mine}),
            "first_seq_id": mine[0]["seq_id"],
            "last_seq_id": mine[-1]["seq_id"],
            "first_time": mine[0]["time"],
            "last_time": mine[-1]["time"],
            "every_event_archived": all(e["is_archived"] for e in mine),
            "state": fold(stream["type"], mine),
        }
    return {
        "marten": "8.37.2 (schema and append function written out from its source; Marten itself did not run)",
        "database": DATABASE,
        "configuration": {"stream_identity": "AsGuid", "tenancy": "Conjoined",
                          "append_mode": "QuickWithServerTimestamps",
                          "metadata": ["correlation_id", "causation_id", "headers"]},
        "not_deterministic": [
            "mt_streams.timestamp and mt_streams.created (the server's now() at append)",
            "the default of mt_events.timestamp (the time the table was created)",
        ],
        "commands": scenario.commands,
        "events": len(events),
        "archived_events": sum(1 for e in events if e["is_archived"]),
        "tables": {table: int(srv.psql(DATABASE, f"SELECT count(*) FROM public.{table};"))
                   for table in ("mt_events", "mt_streams")},
        "streams": out,
    }


def main(argv: list[str]) -> None:
    srv = pgsamples.server_from_argv(argv)
    srv.recreate_database(DATABASE)
    srv.psql(DATABASE, (HERE / "schema.sql").read_text())
    scenario = Scenario()
    run(scenario)
    srv.psql(DATABASE, "\n".join(scenario.script) + "\n")
    pgsamples.write_expected(HERE, expected(srv, scenario))
    # Archiving updates rows, which moves them within their tables: list them in key order.
    srv.cluster(DATABASE, "public.mt_events", "pkey_mt_events_seq_id")
    srv.cluster(DATABASE, "public.mt_streams", "pkey_mt_streams_tenant_id_id")
    srv.dump(DATABASE)


if __name__ == "__main__":
    main(sys.argv)
