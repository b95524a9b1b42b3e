#!/usr/bin/env python3
"""Write ../thrift-binary.sqlite and ../thrift-compact.sqlite, ThriftPy event logs whose payloads
``thriftpy2`` serialized (the binary and the compact protocol), expected.json, what thriftpy2 reads
back from every stored payload keyed by field id, and expected-named.json, the same read back with the
IDL's names (``--readback`` writes only expected-named.json, from the stores as they are).

Run it in a venv with requirements.txt installed (see README.md). The output is deterministic: a seeded
``random.Random``, fixed times, and thriftpy2's own encoding. Sets are written in sorted order (thriftpy2
writes a set in its iteration order), so the bytes do not depend on Python's hash seed.

The stores are user accounts: one ``event_log`` table (the ``Event`` envelope of events.thrift spread over
columns), a stream per user, BLOB payloads that are the domain events of events.thrift: nested structs,
lists, sets, maps with string, enum and i32 keys, enums, i64s past 2^53, doubles, binary fields that are
not UTF-8. expected.json shows every payload as Eventscope reads Thrift without an IDL (see the repository
README, "Binary payloads"): a tree keyed by field id, made here from the struct thriftpy2 read back.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import sys
import uuid
from datetime import datetime, timedelta, timezone
from importlib.metadata import version as package_version
from pathlib import Path

import thriftpy2
from thriftpy2.protocol import TBinaryProtocolFactory, TCompactProtocolFactory
from thriftpy2.thrift import TType
from thriftpy2.utils import deserialize, serialize

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from binary_render import interleave, key_text  # noqa: E402

EXPECTED = HERE / "expected.json"
EXPECTED_NAMED = HERE / "expected-named.json"
events = thriftpy2.load(str(HERE / "events.thrift"), module_name="events_thrift")

# (file, protocol name, factory, seed, users, start)
STORES = [
    ("thrift-binary.sqlite", "binary", TBinaryProtocolFactory(), 1066, 6, datetime(2024, 11, 4, 9, 0, tzinfo=timezone.utc)),
    ("thrift-compact.sqlite", "compact", TCompactProtocolFactory(), 1215, 4, datetime(2024, 12, 2, 7, 30, tzinfo=timezone.utc)),
]
NAMES = ["ann", "bob", "chloe", "dmitri", "eve", "femi", "gus", "hana"]
CITIES = [("Rue Oberkampf 12", "Paris", "FR", 75011), ("Kastanienallee 3", "Berlin", "DE", None), ("Via Roma 8", "Turin", "IT", 10121)]
TAGS = ["beta", "newsletter", "premium", "staff", "trial"]


def user_events(rng: random.Random, user_id: str, name: str) -> list[tuple[str, object]]:
    """One user's events, in order: (type, thriftpy2 struct)."""
    street, city, country, postcode = rng.choice(CITIES)
    email = f"{name}@example.com"
    created = events.UserCreatedEvent(
        user_id=user_id,
        name=name.title(),
        email=email,
        role=rng.choice([events.Role.VIEWER, events.Role.EDITOR, events.Role.ADMIN]),
        address=events.Address(street=street, city=city, country=country, postcode=postcode),
        # A set is written in the order it is iterated: sorted, so the bytes are the same every run.
        tags=sorted(rng.sample(TAGS, rng.randint(0, 3))),
        attributes={"locale": rng.choice(["fr-FR", "de-DE", "it-IT"]), "referrer": rng.choice(["ads", "friend"])},
        created_at_ms=1_730_000_000_000 + rng.randint(0, 10**9),
    )
    out: list[tuple[str, object]] = [("UserCreatedEvent", created)]
    current = name.title()
    for _ in range(rng.randint(5, 9)):
        kind = rng.random()
        if kind < 0.3:
            out.append(
                (
                    "LoginRecorded",
                    events.LoginRecorded(
                        ip=f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                        latency_ms=round(rng.uniform(2.0, 400.0), 3),
                        devices=[
                            events.Device(
                                name=rng.choice(["phone", "laptop", "tablet"]),
                                os_version=rng.randint(10, 17),
                                last_seen=events.GeoPoint(lat=round(rng.uniform(-60, 60), 4), lon=round(rng.uniform(-180, 180), 4))
                                if rng.random() < 0.6
                                else None,
                            )
                            for _ in range(rng.randint(1, 2))
                        ],
                        attempts=rng.randint(1, 3),
                        # i64s past 2^53 (a double cannot hold them exactly), some negative.
                        session=rng.choice([1, -1]) * (2**60 + rng.getrandbits(59)),
                    ),
                )
            )
        elif kind < 0.45:
            new = rng.choice(NAMES).title() + " " + rng.choice(["Smith", "Rossi", "Meyer"])
            out.append(("UserRenamed", events.UserRenamed(old_name=current, new_name=new)))
            current = new
        elif kind < 0.6:
            email = f"{rng.choice(NAMES)}.{rng.randint(1, 99)}@example.org"
            out.append(("EmailChanged", events.EmailChanged(email=email, verified=rng.random() < 0.5)))
        elif kind < 0.75:
            image = bytes([0x89, 0x50, 0x4E, 0x47]) + bytes(rng.getrandbits(8) for _ in range(12))
            out.append(
                (
                    "AvatarUploaded",
                    events.AvatarUploaded(
                        image=image,
                        mime="image/png",
                        width=rng.choice([64, 128, 256]),
                        height=rng.choice([64, 128, 256]),
                        sha1=hashlib.sha1(image).digest(),
                    ),
                )
            )
        else:
            hours = sorted(rng.sample([7, 12, 18, 21], 2))
            out.append(
                (
                    "PreferencesUpdated",
                    events.PreferencesUpdated(
                        notifications={events.Channel.EMAIL: rng.random() < 0.5, events.Channel.PUSH: rng.random() < 0.5},
                        digests_by_hour={h: sorted(rng.sample(["news", "billing", "security"], 2)) for h in hours},
                        weights=[round(rng.uniform(0, 1), 3) for _ in range(3)],
                    ),
                )
            )
    if rng.random() < 0.5:
        out.append(
            (
                "UserDeactivated",
                events.UserDeactivated(
                    reason=rng.choice(["requested", "fraud", "inactive"]),
                    balance_micros=-rng.getrandbits(40),
                    closed_tickets=sorted(rng.sample(range(100, 999), 3)),
                ),
            )
        )
    return out


def rendered(value):
    """Eventscope's field-id tree of what thriftpy2 read back: a struct's set fields by id (in the order
    thriftpy2 writes them, its thrift_spec), sets sorted (the order they were written in), binary values
    as strings when they are UTF-8 (the wire does not tell a string from a binary) and else as bytes."""
    if hasattr(value, "thrift_spec"):
        fields = {}
        for fid, spec in value.thrift_spec.items():
            field = getattr(value, spec[1])
            if field is not None:
                fields[str(fid)] = rendered(field)
        return fields
    if isinstance(value, dict):
        return {key_text(plain_key(rendered(k))): rendered(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return [rendered(v) for v in sorted(value)]
    if isinstance(value, (list, tuple)):
        return [rendered(v) for v in value]
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return {"$bytes": value.hex()}
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)  # an enum as its number
    return value


def named(value, ttype: int, arg):
    """What thriftpy2 read back, as Eventscope reads it with the IDL: a struct's set fields by name (in
    the order of its thrift_spec), enums by name, `binary` fields as bytes and `string` fields as text,
    sets in the order written; `ttype` and `arg` are the value's thriftpy2 type spec."""
    if ttype == TType.STRUCT:
        fields = {}
        for spec in arg.thrift_spec.values():
            field = getattr(value, spec[1])
            if field is not None:
                fields[spec[1]] = named(field, spec[0], spec[2] if len(spec) == 4 else None)
        return fields
    if ttype == TType.I32 and arg is not None:
        return arg._VALUES_TO_NAMES.get(value, int(value))  # an enum
    if ttype == TType.BINARY:
        return {"$bytes": value.hex()}
    if ttype == TType.STRING and isinstance(value, bytes):
        return {"$bytes": value.hex()}
    if ttype in (TType.LIST, TType.SET):
        items = sorted(value) if ttype == TType.SET else value
        return [named(v, *element(arg)) for v in items]
    if ttype == TType.MAP:
        key_spec, value_spec = element(arg[0]), element(arg[1])
        return {key_text(plain_key(named(k, *key_spec))): named(v, *value_spec) for k, v in value.items()}
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    return value


def element(spec):
    """A container's element spec as (ttype, arg): thriftpy2 writes a bare ttype for scalars."""
    return (spec, None) if isinstance(spec, int) else spec


def readback_named() -> dict:
    """Every stored payload of both stores as thriftpy2 reads it back, by name (see `named`)."""
    out = {"library": {"thriftpy2": package_version("thriftpy2")}, "stores": {}}
    for name, protocol, factory, *_ in STORES:
        conn = sqlite3.connect(f"file:{HERE.parent / name}?mode=ro", uri=True)
        rows = conn.execute("SELECT id, aggregate_id, version, type, payload FROM event_log ORDER BY id").fetchall()
        conn.close()
        stored = []
        for position, stream, version, kind, payload in rows:
            struct = getattr(events, kind)
            back = deserialize(struct(), payload, factory)
            data = named(back, TType.STRUCT, struct)
            stored.append({"position": position, "stream": stream, "version": version, "type": kind, "data": data})
        out["stores"][name] = {"protocol": protocol, "events": stored}
    return out


def plain_key(key):
    """A rendered map key as key_text wants it: bytes shown as `$bytes` become bytes again."""
    if isinstance(key, dict) and "$bytes" in key:
        return bytes.fromhex(key["$bytes"])
    return key


def write_store(path: Path, factory, rng: random.Random, users: int, start: datetime) -> list[dict]:
    """A fresh event_log at `path`, every payload serialized by `factory`; every event as thriftpy2 reads
    its stored payload back."""
    pending: dict[str, list] = {}
    for number in range(users):
        user_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        pending[user_id] = list(enumerate(user_events(rng, user_id, NAMES[number]), start=1))
    ordered = interleave(rng, pending)

    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(
        "CREATE TABLE event_log (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, aggregate_id TEXT NOT NULL, "
        "aggregate_type TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, "
        "timestamp INTEGER NOT NULL, payload BLOB NOT NULL)"
    )
    conn.execute("CREATE UNIQUE INDEX event_log_stream_version ON event_log(aggregate_id, version)")
    at = start
    out = []
    for position, (stream, (version, (kind, payload))) in enumerate(ordered, start=1):
        at += timedelta(minutes=rng.randint(1, 120), seconds=rng.randint(0, 59), milliseconds=rng.randint(0, 999))
        stored = serialize(payload, factory)
        event_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        conn.execute(
            "INSERT INTO event_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (position, event_id, stream, "User", version, kind, int(at.timestamp() * 1000), stored),
        )
        back = deserialize(getattr(events, kind)(), stored, factory)
        data = rendered(back)
        assert data == rendered(payload), (kind, data, rendered(payload))
        out.append({"position": position, "stream": stream, "version": version, "type": kind, "data": data})
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return out


def write_named() -> None:
    EXPECTED_NAMED.write_text(json.dumps(readback_named(), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {EXPECTED_NAMED.name}")


def main() -> None:
    if "--readback" in sys.argv[1:]:
        write_named()
        return
    expected = {"library": {"thriftpy2": package_version("thriftpy2")}, "stores": {}}
    for name, protocol, factory, seed, users, start in STORES:
        rng = random.Random(seed)
        stored = write_store(HERE.parent / name, factory, rng, users, start)
        expected["stores"][name] = {"protocol": protocol, "events": stored}
        print(f"wrote {name} ({len(stored)} events, {users} streams, {protocol} protocol)")
    EXPECTED.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    write_named()


if __name__ == "__main__":
    main()
