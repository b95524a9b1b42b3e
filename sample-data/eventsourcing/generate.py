#!/usr/bin/env python3
"""Write sample SQLite event stores with the real ``eventsourcing`` library.

Run inside a virtualenv that has ``requirements.txt`` installed (see README.md):

    python generate.py

It deletes and rewrites these files in the parent folder (``sample-data/``):

eventsourcing-bank.sqlite
    ``eventsourcing.sqlite`` persistence (the library's own SQLite module), one
    ``Banking`` application, ``ORIGINATOR_ID_TYPE=text``.  Eight accounts: six
    ``bankdomain:BankAccount`` aggregates with UUID ids and two
    ``bankdomain:LegacyAccount`` aggregates with text ids
    (``legacy-acct-0001``, ``legacy-acct-0002``).  150 events in
    ``stored_events``; a snapshot every 5th version in ``stored_snapshots``.
    There is no ``tracking`` table: a plain ``Application`` only uses an
    application recorder and a snapshot recorder.  State is compact JSON.

eventsourcing-compressed.sqlite
    Same persistence and domain, three UUID accounts, 30 events (the same
    scenario and seed as the two encrypted files, so all three decode to the
    same JSON, apart from the state bytes), with
    ``COMPRESSOR_TOPIC=eventsourcing.compressor:ZlibCompressor``: every
    ``state`` (events and snapshots) is ``zlib.compress(json)``.

eventsourcing-encrypted.sqlite
    Same, three UUID accounts, 30 events, with
    ``CIPHER_TOPIC=eventsourcing.cipher:AESCipher`` and the fixed
    ``CIPHER_KEY`` below (AES-256-GCM).  No compression:
    ``state = nonce(12) || tag(16) || ciphertext`` of the JSON.

eventsourcing-encrypted-compressed.sqlite
    Same as the encrypted file, but also with the zlib compressor (the library
    compresses first, then encrypts): ``state = nonce || tag || AES-GCM(zlib(json))``.

eventsourcing-sqlalchemy.sqlite
    ``eventsourcing_sqlalchemy`` persistence on ``sqlite:///...`` with TWO
    applications in one file: ``Banking`` (tables ``banking_events`` and
    ``banking_snapshots``; UUID accounts only, because the SQLAlchemy models
    store ids in a ``UUIDType`` column) and ``Library`` (table
    ``library_events`` only; no snapshotting).  Ids are 16-byte BLOBs and each
    events table has an explicit ``id INTEGER PRIMARY KEY`` position column.

After the library's connections are closed, each file is checkpointed
(``PRAGMA wal_checkpoint(TRUNCATE)``) and switched to ``journal_mode=DELETE``
with plain ``sqlite3``, so no ``-wal``/``-shm`` files are left.  The files are
NOT vacuumed: the library's own SQLite module uses the implicit ``rowid`` of
``stored_events`` as the notification id, and VACUUM is allowed to renumber
implicit rowids.

Determinism
-----------
* Aggregate ids are uuid5 values (or fixed text), transaction ids are uuid5.
* Event and snapshot timestamps come from ``bankdomain.CLOCK`` (seeded, fixed
  start date), installed through the library's ``create_timestamp()`` hook.
* Amounts and the order of operations come from ``random.Random(seed)``.
* NOT deterministic: the AES-GCM nonce is 12 fresh random bytes per record
  (``os.urandom`` inside the library), so the ``state`` bytes of the two
  encrypted files differ on every run (their decrypted JSON does not).
  The raw SQLite bytes of the other files are the same on every run with
  the same SQLite version.

Finally the script re-opens every file through the library, loads every
aggregate, and writes ``expected.json`` beside this script (streams, event
counts, versions, balances computed by the library), then runs
``inspect_stores.py`` checks (plain sqlite3 + zlib + AES-GCM decoding).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE.parent
sys.path.insert(0, str(HERE))

# The library merges os.environ into every application's environment.  Remove
# anything that could change what gets written (persistence, cipher, ...).
_LIBRARY_ENV_WORDS = (
    "PERSISTENCE_MODULE",
    "INFRASTRUCTURE_FACTORY",
    "FACTORY_TOPIC",
    "SQLITE_",
    "SQLALCHEMY_",
    "CIPHER_",
    "COMPRESSOR_TOPIC",
    "TRANSCODER_TOPIC",
    "MAPPER_TOPIC",
    "ORIGINATOR_ID_TYPE",
    "IS_SNAPSHOTTING_ENABLED",
    "CREATE_TABLE",
    "AGGREGATE_CACHE",
    "TZINFO_TOPIC",
    "RECORDER_TOPIC",
)
for _key in list(os.environ):
    if any(word in _key for word in _LIBRARY_ENV_WORDS):
        del os.environ[_key]

from bankdomain import (  # noqa: E402
    CLOCK,
    Banking,
    BankAccount,
    InsufficientFundsError,
    LegacyAccount,
    transaction_id,
)
from librarydomain import Book, Library  # noqa: E402

# Fixed AES-256 key (base64 of 32 bytes), generated once with
# eventsourcing.cipher.AESCipher.create_key(32).  Sample data only!
CIPHER_KEY = "S8cArIEQdqPOR2pFsRdf4XSmCXXNNo7E8gT/NL7WHGw="

BANK_FILE = OUT_DIR / "eventsourcing-bank.sqlite"
COMPRESSED_FILE = OUT_DIR / "eventsourcing-compressed.sqlite"
ENCRYPTED_FILE = OUT_DIR / "eventsourcing-encrypted.sqlite"
ENCRYPTED_COMPRESSED_FILE = OUT_DIR / "eventsourcing-encrypted-compressed.sqlite"
SQLALCHEMY_FILE = OUT_DIR / "eventsourcing-sqlalchemy.sqlite"

UTC = timezone.utc
CET = timezone(timedelta(hours=1))


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()


def finalize_db(path: Path) -> None:
    """Fold the WAL back into the main file and switch to journal_mode=DELETE."""
    conn = sqlite3.connect(path)
    try:
        busy, log, ckpt = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0, (path, busy, log, ckpt)
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        assert mode == "delete", (path, mode)
    finally:
        conn.close()
    for suffix in ("-wal", "-shm", "-journal"):
        assert not Path(str(path) + suffix).exists(), f"{path}{suffix} left over"


def close_app(app: Any) -> None:
    """Close an application; for eventsourcing_sqlalchemy also dispose the engine.

    eventsourcing_sqlalchemy 1.0.1's factory has no close() of its own, so its
    SQLAlchemy engine keeps pooled connections open (and the file locked)
    until the engine is disposed.
    """
    app.close()
    datastore = getattr(app.factory, "datastore", None)
    engine = getattr(datastore, "engine", None)
    if engine is not None and hasattr(engine, "dispose"):
        engine.dispose()


def money(cents: int) -> Decimal:
    """Decimal with exactly two places, e.g. 1250 -> Decimal('12.50')."""
    return Decimal(cents).scaleb(-2)


def sqlite_env(path: Path, **extra: str) -> dict[str, str]:
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
    }
    env.update(extra)
    return env


def sqlalchemy_env(path: Path) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
        "SQLALCHEMY_URL": f"sqlite:///{path}",
    }


# --------------------------------------------------------------------------
# banking scenario
# --------------------------------------------------------------------------


class AccountDriver:
    """Issues commands against one account and saves after each command."""

    def __init__(self, app: Banking, account: BankAccount | LegacyAccount) -> None:
        self.app = app
        self.account_id = account.id
        self.account_number = account.account_number
        self.txn_seq = 0

    def load(self) -> BankAccount | LegacyAccount:
        return self.app.repository.get(self.account_id)

    def next_txn(self) -> UUID:
        self.txn_seq += 1
        return transaction_id(self.account_number, self.txn_seq)

    def deposit(self, amount: Decimal) -> None:
        acc = self.load()
        acc.deposit(amount, self.next_txn())
        self.app.save(acc)

    def withdraw(self, amount: Decimal) -> None:
        acc = self.load()
        acc.withdraw(amount, self.next_txn())
        self.app.save(acc)

    def rename(self, owner: str) -> None:
        acc = self.load()
        acc.rename(owner)
        self.app.save(acc)

    def close(self) -> None:
        acc = self.load()
        if acc.balance > 0:
            acc.withdraw(acc.balance, self.next_txn())
        acc.close()
        # Both events (Withdrawn + Closed) go in one transaction.
        self.app.save(acc)

    @property
    def is_closed(self) -> bool:
        return self.load().is_closed


def open_account(
    app: Banking,
    cls: type[BankAccount] | type[LegacyAccount],
    account_number: str,
    owner: str,
    currency: str,
    kyc_checked_at: datetime,
    opening_deposit: Decimal | None,
) -> AccountDriver:
    acc = cls(
        account_number=account_number,
        owner=owner,
        currency=currency,
        kyc_checked_at=kyc_checked_at,
    )
    driver = AccountDriver(app, acc)
    if opening_deposit is not None:
        # Opened + Deposited saved together in one transaction.
        acc.deposit(opening_deposit, driver.next_txn())
    app.save(acc)
    return driver


def random_ops(
    rng: random.Random,
    drivers: list[AccountDriver],
    weights: list[int],
    n_events: int,
    renames: dict[int, list[str]],
) -> None:
    """Issue commands until n_events more events have been recorded."""
    written = 0
    while written < n_events:
        i = rng.choices(range(len(drivers)), weights=weights)[0]
        d = drivers[i]
        if d.is_closed:
            continue
        roll = rng.random()
        if roll < 0.08 and renames.get(i):
            d.rename(renames[i].pop(0))
        elif roll < 0.55:
            d.deposit(money(rng.randint(1, 250_000)))
        else:
            balance = d.load().balance
            if balance <= 0:
                d.deposit(money(rng.randint(1_000, 90_000)))
            else:
                cents = int(balance * 100)
                amount = money(rng.randint(1, max(1, cents * 3 // 4)))
                try:
                    d.withdraw(amount)
                except InsufficientFundsError:  # pragma: no cover
                    continue
        written += 1


def finish_renames(drivers: list[AccountDriver], renames: dict[int, list[str]]) -> None:
    """Do the renames the dice did not pick, so every event kind occurs."""
    for i, names in sorted(renames.items()):
        while names:
            drivers[i].rename(names.pop(0))


def build_bank(path: Path) -> None:
    CLOCK.reset(datetime(2024, 3, 1, 8, 0, tzinfo=UTC), seed=1)
    rng = random.Random(1001)
    app = Banking(env=sqlite_env(path, ORIGINATOR_ID_TYPE="text"))
    try:
        specs: list[tuple[Any, str, str, str, datetime]] = [
            (BankAccount, "DE-0001", "Anna Schmidt", "EUR",
             datetime(2024, 2, 20, 10, 15, tzinfo=UTC)),
            (BankAccount, "DE-0002", "Jörg Müller", "EUR",
             datetime(2024, 2, 21, 11, 30, 5, 250000, tzinfo=CET)),
            (BankAccount, "GB-0003", "Oliver Brown", "GBP",
             datetime(2024, 2, 22, 9, 0, tzinfo=UTC)),
            (BankAccount, "US-0004", "Maria Garcia", "USD",
             datetime(2024, 2, 23, 16, 45, tzinfo=UTC)),
            (BankAccount, "PL-0005", "Zofia Kowalska", "PLN",
             datetime(2024, 2, 24, 8, 5)),  # deliberately naive (no offset)
            (BankAccount, "FR-0006", "Chloé Martin", "EUR",
             datetime(2024, 2, 25, 13, 20, tzinfo=UTC)),
            (LegacyAccount, "0001", "Legacy Holdings Ltd", "GBP",
             datetime(2023, 12, 1, 12, 0, tzinfo=UTC)),
            (LegacyAccount, "0002", "Old Mill Trust", "EUR",
             datetime(2023, 12, 2, 12, 0, tzinfo=UTC)),
        ]
        drivers = []
        for cls, number, owner, currency, kyc in specs:
            drivers.append(
                open_account(
                    app, cls, number, owner, currency, kyc,
                    opening_deposit=money(rng.randint(10_000, 500_000)),
                )
            )
        # 8 accounts x (Opened + Deposited) = 16 events so far.
        renames = {1: ["Jörg Müller-Weiß"], 3: ["Maria García López"],
                   6: ["Legacy Holdings plc"]}
        random_ops(
            rng,
            drivers,
            weights=[10, 3, 3, 2, 2, 2, 2, 2],  # DE-0001 gets the longest stream
            n_events=124,
            renames=renames,
        )
        finish_renames(drivers, renames)
        # Two accounts are closed: Withdrawn (remaining balance) + Closed.
        drivers[4].close()  # PL-0005
        drivers[7].close()  # legacy-acct-0002
        # 16 + 124 + 3 renames + 4 = 147; top up to exactly 150 events.
        while app.recorder.max_notification_id() < 148:
            drivers[0].deposit(money(rng.randint(1, 50_000)))
        drivers[0].deposit(Decimal("0.01"))
        drivers[2].deposit(Decimal("1234.56"))
    finally:
        app.close()


def build_small_bank(path: Path, env: dict[str, str], seed: int) -> None:
    CLOCK.reset(datetime(2024, 4, 1, 8, 0, tzinfo=UTC), seed=seed)
    rng = random.Random(seed)
    app = Banking(env=env)
    try:
        drivers = [
            open_account(app, BankAccount, "DE-1001", "Anna Schmidt", "EUR",
                         datetime(2024, 3, 20, 10, 15, tzinfo=UTC),
                         opening_deposit=money(250_000)),
            open_account(app, BankAccount, "GB-1002", "Oliver Brown", "GBP",
                         datetime(2024, 3, 21, 9, 0, tzinfo=UTC),
                         opening_deposit=money(100_050)),
            open_account(app, BankAccount, "FR-1003", "Chloé Martin", "EUR",
                         datetime(2024, 3, 22, 13, 20, tzinfo=CET),
                         opening_deposit=None),
        ]
        # 3 Opened + 2 Deposited = 5 events so far.
        renames = {1: ["Oliver Brown-Smith"]}
        random_ops(rng, drivers, weights=[3, 2, 2], n_events=21, renames=renames)
        finish_renames(drivers, renames)
        drivers[2].close()  # Withdrawn + Closed (or just Closed if empty)
        # Top up to exactly 30 events.
        while app.recorder.max_notification_id() < 30:
            drivers[0].deposit(money(rng.randint(1, 50_000)))
    finally:
        app.close()


# --------------------------------------------------------------------------
# sqlalchemy scenario
# --------------------------------------------------------------------------


def build_sqlalchemy(path: Path) -> None:
    CLOCK.reset(datetime(2024, 5, 1, 8, 0, tzinfo=UTC), seed=5)
    rng = random.Random(5005)
    env = sqlalchemy_env(path)
    banking = Banking(env=env)
    library = Library(env=env)
    try:
        drivers = [
            open_account(banking, BankAccount, "DE-2001", "Anna Schmidt", "EUR",
                         datetime(2024, 4, 20, 10, 15, tzinfo=UTC),
                         opening_deposit=money(300_000)),
            open_account(banking, BankAccount, "NL-2002", "Daan de Vries", "EUR",
                         datetime(2024, 4, 21, 9, 0, tzinfo=CET),
                         opening_deposit=money(75_025)),
            open_account(banking, BankAccount, "US-2003", "Maria Garcia", "USD",
                         datetime(2024, 4, 22, 16, 45, tzinfo=UTC),
                         opening_deposit=money(120_000)),
        ]
        books_spec = [
            ("978-0-13-468599-1", "The Pragmatic Programmer", "Hunt & Thomas"),
            ("978-1-4493-7332-0", "Designing Data-Intensive Applications",
             "Martin Kleppmann"),
            ("978-0-321-12521-7", "Domain-Driven Design", "Eric Evans"),
            ("978-83-240-1234-5", "Pan Tadeusz", "Adam Mickiewicz"),
        ]
        book_ids = []
        for isbn, title, author in books_spec:
            book = Book(isbn=isbn, title=title, author=author)
            library.save(book)
            book_ids.append(book.id)
        borrowers = ["alice", "bob", "carol", "dave", "eve"]
        renames = {1: ["Daan van der Vries"]}
        # Interleave banking commands and library commands.
        for step in range(40):
            if step % 2 == 0:
                random_ops(rng, drivers, weights=[4, 2, 2], n_events=1,
                           renames=renames)
            else:
                bid = book_ids[rng.randrange(len(book_ids))]
                book = library.get_book(bid)
                if book.lent_to is None:
                    # Due back 21 days after the clock's current time.
                    due_back = (CLOCK.peek() + timedelta(days=21)).replace(
                        microsecond=0
                    )
                    book.lend(to=rng.choice(borrowers), due_back=due_back)
                else:
                    book.return_book()
                library.save(book)
        finish_renames(drivers, renames)
    finally:
        close_app(banking)
        close_app(library)


# --------------------------------------------------------------------------
# read back through the library
# --------------------------------------------------------------------------


def id_text(originator_id: UUID | str) -> str:
    """Dashed lowercase UUID for UUID ids (also for 32-hex text), else the text."""
    if isinstance(originator_id, str) and len(originator_id) == 32:
        try:
            return str(UUID(hex=originator_id))
        except ValueError:
            pass
    return str(originator_id)


def read_back_bank(path: Path, env: dict[str, str]) -> dict[str, Any]:
    """Load every aggregate through a fresh application; return a summary."""
    app = Banking(env=env)
    try:
        result: dict[str, Any] = {}
        seen: dict[str, dict[str, Any]] = {}
        for n in app.recorder.select_notifications(start=1, limit=10_000):
            seen.setdefault(id_text(n.originator_id), {"events": 0})
            seen[id_text(n.originator_id)]["events"] += 1
        for key in seen:
            agg_id: UUID | str = key
            try:
                agg_id = UUID(key)
            except ValueError:
                pass  # a text id such as legacy-acct-0001
            acc = app.repository.get(agg_id)
            result[key] = {
                "aggregate": type(acc).__name__,
                "account_number": acc.account_number,
                "owner": acc.owner,
                "currency": acc.currency,
                "balance": str(acc.balance),
                "is_closed": acc.is_closed,
                "version": acc.version,
                "events": seen[key]["events"],
                "created_on": acc.created_on.isoformat(),
                "modified_on": acc.modified_on.isoformat(),
            }
        return result
    finally:
        close_app(app)


def read_back_library(path: Path) -> dict[str, Any]:
    app = Library(env=sqlalchemy_env(path))
    try:
        result: dict[str, Any] = {}
        counts: dict[str, int] = {}
        for n in app.recorder.select_notifications(start=1, limit=10_000):
            counts[id_text(n.originator_id)] = counts.get(id_text(n.originator_id), 0) + 1
        for key, count in counts.items():
            book = app.get_book(UUID(key))
            result[key] = {
                "aggregate": "Book",
                "isbn": book.isbn,
                "title": book.title,
                "lent_to": book.lent_to,
                "times_lent": book.times_lent,
                "version": book.version,
                "events": count,
            }
        return result
    finally:
        close_app(app)


def main() -> None:
    summary: dict[str, Any] = {
        "eventsourcing_version": _dist_version("eventsourcing"),
        "eventsourcing_sqlalchemy_version": _dist_version("eventsourcing-sqlalchemy"),
        "cipher_key_base64": CIPHER_KEY,
        "files": {},
    }

    # 1. bank
    remove_db(BANK_FILE)
    build_bank(BANK_FILE)
    env = sqlite_env(BANK_FILE, ORIGINATOR_ID_TYPE="text")
    summary["files"][BANK_FILE.name] = {
        "persistence": "eventsourcing.sqlite",
        "env": {k: v for k, v in env.items() if k != "SQLITE_DBNAME"},
        "aggregates": read_back_bank(BANK_FILE, env),
    }
    finalize_db(BANK_FILE)

    # 2. compressed, 3. encrypted, 4. encrypted + compressed
    variants = [
        (COMPRESSED_FILE, 21,
         {"COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor"}),
        (ENCRYPTED_FILE, 21,
         {"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher", "CIPHER_KEY": CIPHER_KEY}),
        (ENCRYPTED_COMPRESSED_FILE, 21,
         {"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher", "CIPHER_KEY": CIPHER_KEY,
          "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor"}),
    ]
    for path, seed, extra in variants:
        remove_db(path)
        env = sqlite_env(path, **extra)
        build_small_bank(path, env, seed)
        summary["files"][path.name] = {
            "persistence": "eventsourcing.sqlite",
            "env": {k: v for k, v in env.items() if k != "SQLITE_DBNAME"},
            "aggregates": read_back_bank(path, env),
        }
        finalize_db(path)

    # 5. sqlalchemy
    remove_db(SQLALCHEMY_FILE)
    build_sqlalchemy(SQLALCHEMY_FILE)
    env = sqlalchemy_env(SQLALCHEMY_FILE)
    summary["files"][SQLALCHEMY_FILE.name] = {
        "persistence": "eventsourcing_sqlalchemy",
        "env": {"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
                "SQLALCHEMY_URL": "sqlite:///<path>"},
        "applications": {
            "Banking": read_back_bank(SQLALCHEMY_FILE, env),
            "Library": read_back_library(SQLALCHEMY_FILE),
        },
    }
    finalize_db(SQLALCHEMY_FILE)

    # Raw inspection with plain sqlite3 (independent of the library).
    import inspect_stores

    for name, info in summary["files"].items():
        info["raw"] = inspect_stores.summarize(OUT_DIR / name, CIPHER_KEY)

    # Cross-check: raw per-stream counts == what the library loaded.
    for name, info in summary["files"].items():
        raw_tables = info["raw"]["tables"]
        if "aggregates" in info:
            loaded = {"stored_events": info["aggregates"]}
        else:
            loaded = {
                f"{app.lower()}_events": aggs
                for app, aggs in info["applications"].items()
            }
        for table, aggs in loaded.items():
            raw = {k: v["events"] for k, v in raw_tables[table]["streams"].items()}
            lib = {k: v["events"] for k, v in aggs.items()}
            assert raw == lib, (name, table, raw, lib)
            for k, v in aggs.items():
                assert v["version"] == raw_tables[table]["streams"][k]["max_version"]
    # The three small files run the same scenario: same decoded JSON.
    small = [COMPRESSED_FILE, ENCRYPTED_FILE, ENCRYPTED_COMPRESSED_FILE]
    decoded = [
        {
            t: {topic: ex["decoded"] for topic, ex in tinfo["example_per_topic"].items()}
            for t, tinfo in summary["files"][p.name]["raw"]["tables"].items()
        }
        for p in small
    ]
    assert decoded[0] == decoded[1] == decoded[2]

    out = HERE / "expected.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    for name in summary["files"]:
        print(f"{name}: {(OUT_DIR / name).stat().st_size} bytes")
    print(f"wrote {out}")


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    main()
