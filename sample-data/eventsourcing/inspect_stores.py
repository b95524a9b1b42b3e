#!/usr/bin/env python3
"""Inspect the eventsourcing sample stores WITHOUT the eventsourcing library.

Uses plain ``sqlite3``, ``zlib``, ``json`` and pycryptodome's AES-GCM, i.e.
exactly what a reader in another language (Eventscope, in Rust) has to do:

* ``state`` is tried as UTF-8 JSON first;
* else, if it starts with a zlib header (0x78), as zlib-compressed JSON;
* else as AES-GCM: ``nonce = state[0:12]``, ``tag = state[12:28]``,
  ``ciphertext = state[28:]``, no associated data; the plaintext is JSON or
  zlib-compressed JSON.

Usage::

    python inspect_stores.py [FILE ...]     # default: every ../eventsourcing-*.sqlite

Prints a report; ``summarize()`` is also used by ``generate.py`` to write
``expected.json``.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import zlib
from base64 import b64decode
from pathlib import Path
from typing import Any
from uuid import UUID

HERE = Path(__file__).resolve().parent
DEFAULT_KEY = "S8cArIEQdqPOR2pFsRdf4XSmCXXNNo7E8gT/NL7WHGw="


def decode_state(state: bytes, key_b64: str | None) -> tuple[str, Any]:
    """Return (layers, decoded JSON) for one stored ``state`` value.

    Tries, in order: JSON; zlib then JSON; AES-GCM then JSON; AES-GCM then zlib
    then JSON.  (A GCM tag check or a zlib adler32 check makes a wrong guess
    fail loudly rather than decode garbage.)
    """
    data = bytes(state)
    attempts = [[], ["zlib"]]
    if key_b64:
        attempts += [["aes-gcm"], ["aes-gcm", "zlib"]]
    for layers in attempts:
        try:
            out = data
            for layer in layers:
                out = _aes_gcm_decrypt(out, key_b64) if layer == "aes-gcm" else zlib.decompress(out)
            return "+".join([*layers, "json"]), json.loads(out.decode("utf-8"))
        except (ValueError, zlib.error, UnicodeDecodeError):
            continue
    msg = f"cannot decode state ({len(data)} bytes)"
    raise ValueError(msg)


def _aes_gcm_decrypt(data: bytes, key_b64: str | None) -> bytes:
    from Crypto.Cipher import AES  # pycryptodome

    assert key_b64
    nonce, tag, ciphertext = data[:12], data[12:28], data[28:]
    cipher = AES.new(b64decode(key_b64), AES.MODE_GCM, nonce=nonce)
    return cipher.decrypt_and_verify(ciphertext, tag)


def id_to_text(value: Any) -> str:
    """Render a stored originator_id as text.

    32 hex chars (eventsourcing.sqlite TEXT column) and 16-byte BLOBs
    (eventsourcing_sqlalchemy UUIDType) become dashed lowercase UUIDs;
    anything else is returned as is.
    """
    if isinstance(value, bytes) and len(value) == 16:
        return str(UUID(bytes=value))
    if isinstance(value, str):
        try:
            if len(value) == 32:
                return str(UUID(hex=value))
        except ValueError:
            pass
        return value
    return repr(value)


def _stored_id_form(value: Any) -> str:
    if isinstance(value, bytes):
        return f"BLOB({len(value)} bytes)"
    if isinstance(value, str) and len(value) == 32:
        try:
            UUID(hex=value)
            return "TEXT(32 hex, no dashes)"
        except ValueError:
            pass
    return f"TEXT({value!r})"


def summarize(path: Path, key_b64: str | None = DEFAULT_KEY) -> dict[str, Any]:
    uri = f"file:{path}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        out: dict[str, Any] = {
            "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
            "schema": [
                {"type": t, "name": n, "tbl_name": tn, "sql": sql}
                for t, n, tn, sql in conn.execute(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master "
                    "ORDER BY tbl_name, type DESC, name"
                )
            ],
            "tables": {},
        }
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
        ]
        for table in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            info: dict[str, Any] = {
                "columns": cols,
                "rows": conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0],
            }
            if {"originator_id", "originator_version", "topic", "state"} <= set(cols):
                info.update(_summarize_events(conn, table, cols, key_b64))
            else:
                info["data"] = [list(r) for r in conn.execute(f"SELECT * FROM {table}")]
            out["tables"][table] = info
        return out
    finally:
        conn.close()


def _summarize_events(
    conn: sqlite3.Connection, table: str, cols: list[str], key_b64: str | None
) -> dict[str, Any]:
    # Position: explicit `id` column (sqlalchemy) or implicit rowid (sqlite module
    # application table).  Snapshot tables are WITHOUT ROWID / have no position.
    if "id" in cols:
        pos_expr = "id"
    elif table.endswith("snapshots"):
        pos_expr = None  # snapshots have no position (even if the table has a rowid)
    else:
        try:
            conn.execute(f"SELECT rowid FROM {table} LIMIT 1")
            pos_expr = "rowid"
        except sqlite3.OperationalError:
            pos_expr = None
    order = pos_expr or "originator_id, originator_version"
    select_pos = pos_expr or "NULL"
    rows = conn.execute(
        f"SELECT {select_pos}, originator_id, originator_version, topic, state "
        f"FROM {table} ORDER BY {order}"
    ).fetchall()
    streams: dict[str, dict[str, Any]] = {}
    examples: dict[str, Any] = {}
    encodings: set[str] = set()
    id_forms: set[str] = set()
    for pos, oid, ver, topic, state in rows:
        sid = id_to_text(oid)
        id_forms.add(_stored_id_form(oid))
        layers, decoded = decode_state(state, key_b64)
        encodings.add(layers)
        s = streams.setdefault(
            sid,
            {
                "first_topic": topic,
                "aggregate_type": _aggregate_type(topic, decoded),
                "events": 0,
                "versions": [],
            },
        )
        s["events"] += 1
        s["versions"].append(ver)
        if topic not in examples:
            examples[topic] = {
                "position": pos,
                "originator_id": sid,
                "originator_version": ver,
                "state_bytes": len(state),
                "encoding": layers,
                "decoded": decoded,
            }
    for s in streams.values():
        v = s.pop("versions")
        s["min_version"], s["max_version"] = min(v), max(v)
    result: dict[str, Any] = {
        "position_column": pos_expr,
        "originator_id_forms": sorted(id_forms),
        "state_encodings": sorted(encodings),
        "streams": streams,
        "topics": sorted({r[3] for r in rows}),
        "example_per_topic": examples,
    }
    if pos_expr:
        positions = [r[0] for r in rows]
        result["positions"] = [min(positions), max(positions)] if positions else None
    return result


def _aggregate_type(topic: str, decoded: dict[str, Any]) -> str:
    # Snapshot rows: the aggregate class topic is inside the state ("topic").
    if isinstance(decoded, dict) and "topic" in decoded and "state" in decoded:
        return decoded["topic"]
    # Event rows: "module:Class.Event" -> "module:Class".
    module, _, qual = topic.partition(":")
    return f"{module}:{qual.rsplit('.', 1)[0]}"


def print_report(path: Path, key_b64: str | None) -> None:
    s = summarize(path, key_b64)
    print(f"=== {path.name} ({path.stat().st_size} bytes, journal_mode={s['journal_mode']})")
    for obj in s["schema"]:
        print(f"  [{obj['type']} {obj['name']}] {obj['sql']}")
    for table, info in s["tables"].items():
        print(f"  {table}: {info['rows']} rows; columns {info['columns']}")
        if "streams" not in info:
            print(f"    data: {info['data']}")
            continue
        print(f"    position column: {info['position_column']}"
              f" {info.get('positions')}; ids: {info['originator_id_forms']};"
              f" state: {info['state_encodings']}")
        for sid, st in info["streams"].items():
            print(f"    {sid:40} {st['events']:3} rows  v{st['min_version']}..v"
                  f"{st['max_version']}  {st['aggregate_type']}")
        for topic, ex in info["example_per_topic"].items():
            print(f"    {topic}: {json.dumps(ex['decoded'], ensure_ascii=False)}")


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or sorted(HERE.parent.glob("eventsourcing-*.sqlite"))
    for p in paths:
        print_report(p, DEFAULT_KEY)


if __name__ == "__main__":
    main(sys.argv[1:])
