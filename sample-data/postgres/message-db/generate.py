#!/usr/bin/env python3
"""Write a Message DB sample store with Message DB's own SQL and its own ``write_message`` function.

Message DB is PostgreSQL code only (a schema, a table and plpgsql functions); it is shipped in the npm package
``@eventide/message-db`` (pinned in package.json). Run, from this folder, against a throwaway server:

    npm ci                               # brings node_modules/@eventide/message-db/database/
    python generate.py SERVER_DIR        # SERVER_DIR: the directory given to scripts/pg-server.sh start

It drops and recreates the database ``message_db``, installs Message DB into it with the package's own
``database/install.sh`` (which creates the ``message_store`` schema, the ``messages`` table, the functions,
indexes and views, the ``message_store`` role and its grants), writes every message with
``message_store.write_message(id, stream_name, type, data, metadata, expected_version)``, reads everything back
with ``get_stream_messages``, ``get_category_messages``, ``stream_version`` and ``message_store_version``, writes
``expected.json`` and dumps the database to ``sample-data/postgres/message_db.sql``.

The scenario: a small bank in Eventide's style. Command streams ``account:command-<id>`` (Open, Deposit,
Withdraw, Close), entity streams ``account-<id>`` (Opened, Deposited, Withdrawn, WithdrawalRejected, Closed),
``withdrawal-<id>`` streams (Initiated, then Completed or Rejected) and ``transfer-<id>`` streams, with
Eventide's metadata keys (correlationStreamName, causationMessageStreamName, causationMessagePosition,
causationMessageGlobalPosition, replyStreamName, schemaVersion). Some writes pass an expected version.

Deterministic: message ids (uuid5), stream ids, amounts (seeded ``random.Random``), the ``time`` fields inside the
data (a seeded clock), hence ``global_position`` and ``position``. NOT deterministic: the ``time`` COLUMN, which
``messages`` fills with the server's ``now() AT TIME ZONE 'utc'`` (``write_message`` takes no time): every run
stamps the wall-clock time of the run, so the dump and ``expected.json`` differ in those values only.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import pgsamples  # noqa: E402

DATABASE = "message_db"
PACKAGE = HERE / "node_modules" / "@eventide" / "message-db"
NAMESPACE = uuid5(NAMESPACE_URL, "https://eventscope.example/sample-data/message-db")
UTC = timezone.utc


def uid(*parts: object) -> str:
    return str(uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def install(srv: pgsamples.Server) -> None:
    """Message DB's own installer (database/install.sh), into the existing database."""
    installer = PACKAGE / "database" / "install.sh"
    if not installer.is_file():
        raise SystemExit(f"{installer} not found: run `npm ci` in {HERE} first")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({
        "PATH": f"{srv.bindir}:{env.get('PATH', '')}",
        "PGHOST": srv.host,
        "PGPORT": str(srv.port),
        "PGUSER": "eventscope_admin",
        "PGPASSWORD": "admin",
        "DATABASE_NAME": DATABASE,
        "CREATE_DATABASE": "off",
    })
    subprocess.run(["bash", str(installer)], env=env, check=True, stdout=subprocess.DEVNULL)


class Clock:
    """Seeded, strictly increasing times for the data's own time fields."""

    def __init__(self, start: datetime, seed: int) -> None:
        self.now = start
        self.rng = random.Random(seed)

    def tick(self) -> str:
        self.now += timedelta(minutes=self.rng.randint(1, 240), milliseconds=self.rng.randint(0, 999))
        return self.now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Writer:
    """Every message goes through message_store.write_message; returns (position, global_position)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        self.count = 0

    def write(self, stream: str, type_: str, data: dict[str, Any], metadata: dict[str, Any] | None,
              expected_version: int | None = None) -> tuple[int, int]:
        self.count += 1
        message_id = uid("message", self.count)
        with self.conn.transaction():
            position = self.conn.execute(
                "SELECT message_store.write_message(%s, %s, %s, %s::jsonb, %s::jsonb, %s)",
                (message_id, stream, type_, json.dumps(data, ensure_ascii=False),
                 None if metadata is None else json.dumps(metadata, ensure_ascii=False), expected_version),
            ).fetchone()[0]
            global_position = self.conn.execute(
                "SELECT global_position FROM message_store.messages WHERE id = %s", (message_id,)
            ).fetchone()[0]
        return position, global_position


def caused_by(stream: str, position: int, global_position: int, correlation: str) -> dict[str, Any]:
    return {
        "correlationStreamName": correlation,
        "causationMessageStreamName": stream,
        "causationMessagePosition": position,
        "causationMessageGlobalPosition": global_position,
        "schemaVersion": "1",
    }


def build(conn: psycopg.Connection[Any]) -> None:
    rng = random.Random(4242)
    clock = Clock(datetime(2024, 5, 6, 7, 0, tzinfo=UTC), seed=42)
    w = Writer(conn)
    owners = ["Anna Schmidt", "Jörg Müller", "Oliver Brown", "Maria García", "Zofia Kowalska"]
    accounts = [uid("account", i) for i in range(len(owners))]
    balances = {a: 0 for a in accounts}  # cents
    closed: set[str] = set()

    def handle(account: str, command: str, data: dict[str, Any], correlation: str) -> tuple[str, int, int]:
        """Write the command, then the event it causes on the account (with its expected version)."""
        cmd_stream = f"account:command-{account}"
        cp, cg = w.write(cmd_stream, command, data,
                         {"correlationStreamName": correlation, "replyStreamName": correlation,
                          "schemaVersion": "1"})
        entity = f"account-{account}"
        version = conn.execute("SELECT message_store.stream_version(%s)", (entity,)).fetchone()[0]
        meta = caused_by(cmd_stream, cp, cg, correlation)
        processed = clock.tick()
        amount = data.get("amount", 0)
        if command == "Open":
            event, payload = "Opened", {"accountId": account, "customerId": data["customerId"],
                                        "owner": data["owner"], "currency": data["currency"]}
        elif command == "Deposit":
            balances[account] += round(amount * 100)
            event, payload = "Deposited", {"accountId": account, "amount": amount,
                                           "depositId": data["depositId"]}
        elif command == "Withdraw":
            if round(amount * 100) > balances[account]:
                event, payload = "WithdrawalRejected", {"accountId": account, "amount": amount,
                                                        "withdrawalId": data["withdrawalId"],
                                                        "balance": balances[account] / 100}
            else:
                balances[account] -= round(amount * 100)
                event, payload = "Withdrawn", {"accountId": account, "amount": amount,
                                               "withdrawalId": data["withdrawalId"]}
        else:
            closed.add(account)
            event, payload = "Closed", {"accountId": account}
        payload["time"] = data["time"]
        payload["processedTime"] = processed
        if event in ("Deposited", "Withdrawn", "WithdrawalRejected"):
            payload["sequence"] = cg
        ep, eg = w.write(entity, event, payload, meta, expected_version=-1 if version is None else version)
        return event, ep, eg

    for i, account in enumerate(accounts):
        corr = f"accountOpening-{account}"
        handle(account, "Open", {"accountId": account, "customerId": uid("customer", i), "owner": owners[i],
                                 "currency": "EUR", "time": clock.tick()}, corr)
        handle(account, "Deposit", {"accountId": account, "depositId": uid("deposit", i, 0),
                                    "amount": rng.randint(500, 5000), "time": clock.tick()}, corr)

    n_withdrawal = 0
    for step in range(36):
        account = rng.choice([a for a in accounts if a not in closed])
        if rng.random() < 0.5:
            handle(account, "Deposit", {"accountId": account, "depositId": uid("deposit", "op", step),
                                        "amount": round(rng.uniform(10, 900), 2), "time": clock.tick()},
                   f"account-{account}")
        else:
            # A withdrawal process stream: Initiated, then the account's answer, then Completed/Rejected.
            n_withdrawal += 1
            wid = uid("withdrawal", n_withdrawal)
            wstream = f"withdrawal-{wid}"
            amount = round(rng.uniform(10, 2500), 2)
            ip, ig = w.write(wstream, "Initiated", {"withdrawalId": wid, "accountId": account, "amount": amount,
                                                    "time": clock.tick()},
                             {"correlationStreamName": wstream, "schemaVersion": "1"}, expected_version=-1)
            event, ep, eg = handle(account, "Withdraw", {"accountId": account, "withdrawalId": wid,
                                                         "amount": amount, "time": clock.tick()}, wstream)
            outcome = "Completed" if event == "Withdrawn" else "Rejected"
            w.write(wstream, outcome, {"withdrawalId": wid, "accountId": account, "amount": amount,
                                       "time": clock.tick()},
                    caused_by(f"account-{account}", ep, eg, wstream), expected_version=0)
        if step == 30:
            # Closing: the rest is paid out (as a withdrawal), then the account is closed.
            last = accounts[4]
            handle(last, "Withdraw", {"accountId": last, "withdrawalId": uid("closing", last),
                                      "amount": balances[last] / 100, "time": clock.tick()}, f"account-{last}")
            handle(last, "Close", {"accountId": last, "time": clock.tick()}, f"account-{last}")

    # One transfer stream: a process spanning two accounts.
    tid = uid("transfer", 1)
    tstream = f"transfer-{tid}"
    src, dst = accounts[0], accounts[1]
    amount = round(balances[src] / 400, 2)
    tp, tg = w.write(tstream, "TransferInitiated", {"transferId": tid, "fromAccountId": src, "toAccountId": dst,
                                                    "amount": amount, "time": clock.tick()},
                     {"correlationStreamName": tstream, "schemaVersion": "1"}, expected_version=-1)
    handle(src, "Withdraw", {"accountId": src, "withdrawalId": tid, "amount": amount, "time": clock.tick()},
           tstream)
    handle(dst, "Deposit", {"accountId": dst, "depositId": tid, "amount": amount, "time": clock.tick()}, tstream)
    w.write(tstream, "TransferCompleted", {"transferId": tid, "time": clock.tick()},
            caused_by(tstream, tp, tg, tstream), expected_version=0)


def fold_account(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The account entity as an Eventide projection would build it from its stream's events."""
    state: dict[str, Any] = {"balance": 0}
    cents = 0
    for m in messages:
        data = m["data"]
        if m["type"] == "Opened":
            state.update(id=data["accountId"], customerId=data["customerId"], owner=data["owner"],
                         currency=data["currency"], openedTime=data["time"])
        elif m["type"] == "Deposited":
            cents += round(data["amount"] * 100)
        elif m["type"] == "Withdrawn":
            cents -= round(data["amount"] * 100)
        elif m["type"] == "Closed":
            state["closedTime"] = data["time"]
        if "sequence" in data:
            state["sequence"] = data["sequence"]
        state["balance"] = cents / 100
    return state


def read_back(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """What Message DB's own read functions return."""
    def rows(sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
        out = []
        for r in conn.execute(sql, args).fetchall():
            out.append({"id": r[0], "stream_name": r[1], "type": r[2], "position": r[3], "global_position": r[4],
                        "data": json.loads(r[5]) if r[5] is not None else None,
                        "metadata": json.loads(r[6]) if r[6] is not None else None,
                        "time": r[7].isoformat()})
        return out

    names = [r[0] for r in conn.execute(
        "SELECT stream_name FROM message_store.messages GROUP BY stream_name ORDER BY min(global_position)"
    ).fetchall()]
    streams: dict[str, Any] = {}
    for name in names:
        msgs = rows("SELECT * FROM message_store.get_stream_messages(%s, 0, 10000)", (name,))
        types: dict[str, int] = {}
        for m in msgs:
            types[m["type"]] = types.get(m["type"], 0) + 1
        entry: dict[str, Any] = {
            "category": conn.execute("SELECT message_store.category(%s)", (name,)).fetchone()[0],
            "id": conn.execute("SELECT message_store.id(%s)", (name,)).fetchone()[0],
            "cardinal_id": conn.execute("SELECT message_store.cardinal_id(%s)", (name,)).fetchone()[0],
            "stream_version": conn.execute("SELECT message_store.stream_version(%s)", (name,)).fetchone()[0],
            "messages": len(msgs),
            "types": types,
            "first_position": msgs[0]["position"],
            "last_position": msgs[-1]["position"],
            "first_global_position": msgs[0]["global_position"],
            "last_global_position": msgs[-1]["global_position"],
            "first_time": msgs[0]["time"],
            "last_time": msgs[-1]["time"],
            "last_message": {k: msgs[-1][k] for k in ("id", "type", "position", "global_position", "data")},
        }
        if entry["category"] == "account":
            entry["state"] = fold_account(msgs)
        streams[name] = entry

    categories: dict[str, Any] = {}
    for cat in dict.fromkeys(s["category"] for s in streams.values()):
        msgs = rows("SELECT * FROM message_store.get_category_messages(%s, 1, 10000)", (cat,))
        categories[cat] = {
            "messages": len(msgs),
            "streams": len({m["stream_name"] for m in msgs}),
            "global_positions": [msgs[0]["global_position"], msgs[-1]["global_position"]],
        }
    total = conn.execute("SELECT count(*), max(global_position) FROM message_store.messages").fetchone()
    return {
        "message_store_version": conn.execute("SELECT message_store.message_store_version()").fetchone()[0],
        "messages": total[0],
        "max_global_position": total[1],
        "categories": categories,
        "streams": streams,
    }


def main() -> None:
    srv = pgsamples.server_from_argv(sys.argv)
    srv.recreate_database(DATABASE)
    install(srv)
    package = json.loads((PACKAGE / "package.json").read_text())
    with psycopg.connect(srv.url(DATABASE), autocommit=True,
                         options="-c search_path=message_store,public") as conn:
        build(conn)
        summary = {
            "package": f"{package['name']}@{package['version']}",
            "database": DATABASE,
            "not_deterministic": ["time (the messages.time column, set by the server's clock)"],
            **read_back(conn),
        }
    srv.dump(DATABASE)
    pgsamples.write_expected(HERE, summary)


if __name__ == "__main__":
    main()
