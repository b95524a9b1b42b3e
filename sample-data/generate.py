#!/usr/bin/env python3
"""Generate the Eventscope sample event stores.

Running ``python3 sample-data/generate.py`` (from the repository root or from
inside ``sample-data``) deletes and rewrites four small SQLite files next to
this script.  The output is deterministic: every file uses its own fixed
``random.Random(seed)``, fixed base dates and UUIDs drawn from that rng, so
re-running the script reproduces the same data.  Only the Python standard
library is used.

shop.sqlite
    A hand-rolled "plain events" layout: one ``events`` table with
    ``stream_id`` (dashed UUID), ``stream_type`` ('Order' / 'Customer'),
    per-stream ``version``, ``type``, JSON ``data``, JSON ``metadata`` and a
    ``created_at`` text timestamp.  15 customer streams and 50 order streams
    over 2024-01-01 .. 2024-06-30.  Payloads are designed for deep merging
    (objects merge key by key, arrays and scalars replace), so folding an
    order's events yields its current state.  One order is deliberately big
    (200 events).  This is the main "happy path" store.

order_history.sqlite
    The classic write-up layout: ``order_history(id, order_id, event_name,
    datetime, data)`` with integer stream ids, SCREAMING_CASE event names and
    RFC 3339 ``...Z`` timestamps.  20 orders in March 2024, 200 rows,
    interleaved in time order.  Item changes are partial nested updates, so
    it exercises deep merge of nested objects.

single_log.sqlite
    An application log with NO stream column: ``event_log(id, type,
    timestamp, payload)`` where ``timestamp`` is Unix epoch milliseconds and
    ``payload`` is a BLOB (UTF-8 JSON bytes).  300 events of a building
    thermostat over one week of May 2024.  Contains exactly three
    deliberately undecodable payloads (random binary, invalid UTF-8, UTF-8
    text that is not JSON) and one NULL payload, at the fixed ids in
    ``BAD_BINARY_ID`` / ``BAD_UTF8_ID`` / ``NOT_JSON_ID`` / ``NULL_PAYLOAD_ID``.

person_registry.sqlite
    Events that carry their stream id, type and timestamp INSIDE the JSON
    body: ``person_events(seq, body)`` with bodies like
    ``{"type": "PERSON_CREATION", "personId": 7, "_datetime": "...Z", ...}``.
    30 persons, 250 events over 2023-11 .. 2024-02, interleaved in time order.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent

# Fixed ids of the special rows in single_log.sqlite (documented in README.md).
BAD_BINARY_ID = 42
BAD_UTF8_ID = 137
NOT_JSON_ID = 211
NULL_PAYLOAD_ID = 256

BAD_UTF8_PAYLOAD = b"\xff\xfe temp=21"
NOT_JSON_PAYLOAD = b"temp=21.5;room=lab"


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def rng_uuid(rng: random.Random) -> str:
    """A version-4 UUID derived from the rng (dashed, lowercase)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def money(x: float) -> float:
    return round(x + 1e-9, 2)


def fresh_db(name: str) -> tuple[Path, sqlite3.Connection]:
    path = OUT_DIR / name
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = path.with_name(path.name + suffix)
        if p.exists():
            p.unlink()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    return path, con


def finish_db(con: sqlite3.Connection) -> None:
    con.commit()
    con.execute("VACUUM")
    con.close()


def split_total(rng: random.Random, n: int, total: int, lo: int, hi: int) -> list[int]:
    """n integers in [lo, hi] that sum to exactly `total`."""
    assert lo * n <= total <= hi * n
    counts = [rng.randint(lo, hi) for _ in range(n)]
    while sum(counts) != total:
        i = rng.randrange(n)
        if sum(counts) < total and counts[i] < hi:
            counts[i] += 1
        elif sum(counts) > total and counts[i] > lo:
            counts[i] -= 1
    return counts


FIRST_NAMES = [
    "Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hugo", "Ines",
    "Jonas", "Katarzyna", "Luca", "Marie", "Noah", "Olga", "Pablo", "Quentin",
    "Rosa", "Søren", "Tereza", "Umberto", "Vera", "Wim", "Xenia", "Yusuf", "Zoë",
    "Émile", "Lena", "Mateo", "Nora",
]
LAST_NAMES = [
    "Müller", "Schmidt", "Dubois", "Rossi", "García", "Nowak", "Jansen",
    "Andersen", "Novák", "Papadopoulos", "Kowalski", "Martin", "Bianchi",
    "Fernández", "Lindqvist", "O'Brien", "Horváth", "Costa", "Weber", "Peeters",
]
CITIES = [
    ("Berlin", "DE", "10115"), ("Hamburg", "DE", "20095"), ("München", "DE", "80331"),
    ("Paris", "FR", "75002"), ("Lyon", "FR", "69001"), ("Milano", "IT", "20121"),
    ("Madrid", "ES", "28013"), ("Amsterdam", "NL", "1012"), ("Wien", "AT", "1010"),
    ("Kraków", "PL", "31-042"), ("Praha", "CZ", "110 00"), ("Lisboa", "PT", "1100-148"),
    ("Bruxelles", "BE", "1000"), ("København", "DK", "1050"), ("Dublin", "IE", "D02"),
]
STREETS = [
    "Hauptstraße", "Rue de la Paix", "Via Roma", "Calle Mayor", "Damrak",
    "Ringstraße", "ulica Floriańska", "Karlova", "Rua Augusta", "Grand-Place",
    "Strøget", "Grafton Street", "Bahnhofstraße", "Lindenallee", "Marktplatz",
]


def random_address(rng: random.Random) -> dict:
    city, country, zip_code = rng.choice(CITIES)
    return {
        "street": f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
        "city": city,
        "zip": zip_code,
        "country": country,
    }


# --------------------------------------------------------------------------
# shop.sqlite
# --------------------------------------------------------------------------

SHOP_SCHEMA = """
CREATE TABLE events (
  id INTEGER PRIMARY KEY,           -- global position, increasing with time
  stream_id TEXT NOT NULL,          -- dashed lowercase UUID
  stream_type TEXT NOT NULL,        -- 'Order' or 'Customer'
  version INTEGER NOT NULL,         -- 1,2,3.. per stream, no gaps
  type TEXT NOT NULL,
  data TEXT NOT NULL,               -- JSON object
  metadata TEXT,                    -- JSON object: user, correlation_id, causation_id
  created_at TEXT NOT NULL          -- 'YYYY-MM-DD HH:MM:SS.ffffff' UTC (naive)
);
CREATE UNIQUE INDEX events_stream_version ON events(stream_id, version);
"""

SHOP_START = datetime(2024, 1, 1, 0, 0, 0)
SHOP_END = datetime(2024, 6, 30, 23, 59, 59)

PRODUCTS = [
    ("ESP-250", "Espresso beans 250 g", 8.90),
    ("ESP-1000", "Espresso beans 1 kg", 29.50),
    ("FLT-500", "Filter coffee 500 g", 12.40),
    ("TEA-GRN", "Green tea, loose", 6.75),
    ("TEA-EARL", "Earl Grey, 100 bags", 9.99),
    ("MUG-WHT", "Mug, white 350 ml", 7.25),
    ("MUG-BLK", "Mug, black 350 ml", 7.25),
    ("GRD-HND", "Hand grinder", 54.00),
    ("GRD-ELC", "Electric burr grinder", 139.00),
    ("KTL-GSN", "Gooseneck kettle", 64.90),
    ("FLT-PPR", "Paper filters x100", 4.49),
    ("DRP-V60", "Pour-over dripper", 22.00),
    ("SCL-DIG", "Digital scale 0.1 g", 31.80),
    ("FRN-PRS", "French press 1 l", 35.60),
    ("CUP-ESP", "Espresso cups, set of 4", 18.30),
    ("SYR-VAN", "Vanilla syrup 250 ml", 5.95),
    ("CHO-DRK", "Dark chocolate 100 g", 3.20),
    ("GFT-CRD", "Gift card 25 EUR", 25.00),
]
STAFF = ["alice@shop", "bob@shop", "carol@shop", "dave@shop"]
TIERS = ["standard", "silver", "gold", "platinum"]
NOTES = [
    "Customer asked for gift wrapping.",
    "Please leave parcel with neighbour.",
    "Called customer to confirm address.",
    "Customer prefers delivery after 17:00.",
    "Duplicate line removed after phone call.",
    "Price match approved by manager.",
    "Customer asked about stock for ESP-1000.",
    "Added free sample on request.",
    "Invoice must show company name.",
    "Payment reminder sent.",
    "Customer will pick up the remaining items later.",
    "Warehouse reports one damaged mug, replaced.",
    "VIP customer - handle with care.",
    "Customer changed mind about grinder colour.",
]
DISCOUNTS = [("WELCOME10", 10), ("SPRING15", 15), ("VIP20", 20), ("LOYAL5", 5)]
CARRIERS = [("DHL", "JJD"), ("UPS", "1Z"), ("DPD", "0150"), ("GLS", "GL")]


def draft_gap(rng: random.Random) -> timedelta:
    r = rng.random()
    if r < 0.70:
        sec = rng.randint(60, 30 * 60)
    elif r < 0.95:
        sec = rng.randint(3600, 8 * 3600)
    else:
        sec = rng.randint(86400, 3 * 86400)
    return timedelta(seconds=sec, microseconds=rng.randint(0, 999_999))


def gen_customers(rng: random.Random):
    """Return (events, customers).  customers: list of dicts with id, reg time
    and address history [(time, address)]."""
    events = []
    customers = []
    n = 15
    # registrations: 5 in the first days of January, the rest until end of March
    reg_times = [SHOP_START + timedelta(hours=8 + 7 * i, minutes=rng.randint(0, 59)) for i in range(5)]
    reg_times += [
        SHOP_START + timedelta(days=rng.randint(3, 90), seconds=rng.randint(8 * 3600, 20 * 3600))
        for _ in range(n - 5)
    ]
    reg_times.sort()
    used_names = set()
    for reg in reg_times:
        reg = reg.replace(microsecond=rng.randint(0, 999_999))
        sid = rng_uuid(rng)
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if (first, last) not in used_names:
                used_names.add((first, last))
                break
        email_local = f"{first}.{last}".lower().replace("'", "")
        email_local = email_local.encode("ascii", "ignore").decode() or "customer"
        address = random_address(rng)
        tier = "standard" if rng.random() < 0.7 else "silver"
        correlation = rng_uuid(rng)
        evs = [(reg, "CustomerRegistered", {
            "name": f"{first} {last}",
            "email": f"{email_local}@example.com",
            "address": address,
            "tier": tier,
        }, rng.choice(STAFF), correlation, None)]
        history = [(reg, address)]
        n_changes = rng.randint(0, 4)
        change_times = sorted(
            reg + timedelta(seconds=rng.randint(3600, int((SHOP_END - reg).total_seconds()) - 3600),
                            microseconds=rng.randint(0, 999_999))
            for _ in range(n_changes)
        )
        for t in change_times:
            if rng.random() < 0.55:
                address = random_address(rng)
                history.append((t, address))
                evs.append((t, "CustomerAddressChanged", {"address": address},
                            rng.choice(STAFF), rng_uuid(rng), None))
            else:
                tier = rng.choice([x for x in TIERS if x != tier])
                evs.append((t, "CustomerTierChanged", {"tier": tier},
                            "system", rng_uuid(rng), rng_uuid(rng)))
        for version, (t, typ, data, user, corr, cause) in enumerate(evs, start=1):
            events.append({
                "stream_id": sid, "stream_type": "Customer", "version": version,
                "type": typ, "data": data, "created_at": t,
                "metadata": {"user": user, "correlation_id": corr, "causation_id": cause},
            })
        customers.append({"id": sid, "reg": reg, "history": history})
    return events, customers


def plan_order(rng: random.Random, n_events: int, outcome: str) -> list[str]:
    """Sequence of event kinds for one order with exactly n_events events."""
    if outcome == "delivered":
        tail = ["placed", "paid", "packed", "OrderShipped", "delivered"]
    elif outcome == "shipped":
        tail = ["placed", "paid", "packed", "OrderShipped"]
    elif outcome == "paid":
        tail = ["placed", "paid"]
    elif outcome == "draft":
        tail = []
    elif outcome == "cancelled":
        tail = rng.choice([["cancelled"], ["placed", "cancelled"], ["placed", "paid", "cancelled"]])
    else:
        raise ValueError(outcome)
    # sprinkle a few notes after the order left the draft phase
    post_notes = min(rng.randint(0, 3), max(0, n_events - 2 - len(tail))) if tail else 0
    middle = n_events - 1 - len(tail) - post_notes
    assert middle >= 1, (n_events, outcome)
    kinds = ["OrderCreated", "draft"] + ["draft"] * (middle - 1)
    tail = list(tail)
    for _ in range(post_notes):
        tail.insert(rng.randint(1, len(tail)), "NoteAdded")
    return kinds + tail


def gen_orders(rng: random.Random, customers: list[dict]):
    events = []
    n_orders = 50
    sizes = [rng.randint(10, 80) for _ in range(n_orders)]
    big_index = 17
    sizes[big_index] = 200
    outcomes = (["cancelled"] * 5 + ["shipped"] * 3 + ["paid"] * 2 + ["draft"] * 2)
    outcomes += ["delivered"] * (n_orders - len(outcomes))
    rng.shuffle(outcomes)
    outcomes[big_index] = "delivered"
    summaries = []
    for idx in range(n_orders):
        sid = rng_uuid(rng)
        kinds = plan_order(rng, sizes[idx], outcomes[idx])
        # relative time offsets
        offsets = [timedelta(0)]
        t = timedelta(0)
        for kind in kinds[1:]:
            if kind in ("draft", "NoteAdded"):
                gap = draft_gap(rng)
            elif kind == "placed":
                gap = timedelta(minutes=rng.randint(2, 90))
            elif kind == "paid":
                gap = timedelta(minutes=rng.randint(1, 60 * 30))
            elif kind == "packed":
                gap = timedelta(hours=rng.randint(4, 48))
            elif kind == "OrderShipped":
                gap = timedelta(hours=rng.randint(2, 72))
            elif kind == "delivered":
                gap = timedelta(hours=rng.randint(24, 120))
            elif kind == "cancelled":
                gap = timedelta(hours=rng.randint(1, 72))
            else:
                raise ValueError(kind)
            t += gap + timedelta(microseconds=rng.randint(1, 999_999))
            offsets.append(t)
        duration = offsets[-1]
        earliest = SHOP_START + timedelta(days=1, hours=9)
        latest = SHOP_END - duration - timedelta(hours=1)
        if outcomes[idx] in ("draft", "shipped", "paid"):
            # still open at the end of the period: starts late
            earliest = max(earliest, latest - timedelta(days=6))
        span = int((latest - earliest).total_seconds())
        start = earliest + timedelta(seconds=rng.randint(0, span), microseconds=rng.randint(0, 999_999))
        eligible = [c for c in customers if c["reg"] < start - timedelta(hours=1)]
        customer = rng.choice(eligible)
        ship_address = [a for (at, a) in customer["history"] if at < start][-1]
        salesperson = rng.choice(STAFF)
        correlation = rng_uuid(rng)

        lines: list[dict] = []
        discount_pct = 0
        note_no = 0
        n_discounts = 0

        def total() -> float:
            sub = sum(line["qty"] * line["unit_price"] for line in lines)
            return money(sub * (100 - discount_pct) / 100)

        def note(user: str):
            nonlocal note_no
            note_no += 1
            return "NoteAdded", {"notes": {str(note_no): rng.choice(NOTES)}}, user, None

        stream_events = []
        for i, kind in enumerate(kinds):
            if kind == "OrderCreated":
                ev = ("OrderCreated", {
                    "customer_id": customer["id"],
                    "currency": "EUR",
                    "status": "draft",
                    "lines": [],
                    "shipping": {"method": rng.choice(["standard", "express", "pickup"]),
                                 "address": ship_address},
                    "total": 0,
                }, salesperson, None)
            elif kind == "draft":
                r = rng.random()
                if not lines or (r < 0.45):
                    if len(lines) >= 6:
                        # keep orders readable: big orders bump quantities instead
                        sku = rng.choice(lines)["sku"]
                        product = next(p for p in PRODUCTS if p[0] == sku)
                    else:
                        product = rng.choice(PRODUCTS)
                    lines = [dict(line) for line in lines]
                    existing = [line for line in lines if line["sku"] == product[0]]
                    if existing:
                        existing[0]["qty"] += rng.randint(1, 3)
                    else:
                        lines.append({"sku": product[0], "name": product[1],
                                      "qty": rng.randint(1, 4), "unit_price": product[2]})
                    ev = ("LineAdded", {"lines": lines, "total": total()}, salesperson, None)
                elif r < 0.65 and len(lines) >= 2:
                    lines = [dict(line) for line in lines]
                    del lines[rng.randrange(len(lines))]
                    ev = ("LineRemoved", {"lines": lines, "total": total()}, salesperson, None)
                elif r < 0.72 and n_discounts < 2:
                    n_discounts += 1
                    code, discount_pct = rng.choice(DISCOUNTS)
                    ev = ("DiscountApplied", {"discount": {"code": code, "percent": discount_pct},
                                              "total": total()}, salesperson, None)
                else:
                    ev = note(rng.choice(STAFF))
            elif kind == "NoteAdded":
                ev = note(rng.choice(STAFF))
            elif kind == "placed":
                ev = ("StatusChanged", {"status": "placed"}, salesperson, None)
            elif kind == "paid":
                ev = ("StatusChanged", {"status": "paid"}, "system", rng_uuid(rng))
            elif kind == "packed":
                ev = ("StatusChanged", {"status": "packed"}, rng.choice(STAFF), None)
            elif kind == "OrderShipped":
                carrier, prefix = rng.choice(CARRIERS)
                tracking = prefix + "".join(rng.choice("0123456789") for _ in range(12))
                ev = ("OrderShipped", {"status": "shipped",
                                       "shipping": {"carrier": carrier, "tracking": tracking}},
                      "system", rng_uuid(rng))
            elif kind == "delivered":
                ev = ("StatusChanged", {"status": "delivered"}, "system", rng_uuid(rng))
            elif kind == "cancelled":
                user = rng.choice([salesperson, "system"])
                ev = ("StatusChanged", {"status": "cancelled"}, user,
                      rng_uuid(rng) if user == "system" else None)
            else:
                raise ValueError(kind)
            typ, data, user, cause = ev
            stream_events.append({
                "stream_id": sid, "stream_type": "Order", "version": i + 1,
                "type": typ, "data": data, "created_at": start + offsets[i],
                "metadata": {"user": user, "correlation_id": correlation, "causation_id": cause},
            })
        events.extend(stream_events)
        summaries.append((sid, len(stream_events), outcomes[idx]))
    return events, summaries


def build_shop() -> dict:
    rng = random.Random(20240101)
    cust_events, customers = gen_customers(rng)
    order_events, summaries = gen_orders(rng, customers)
    events = cust_events + order_events
    events.sort(key=lambda e: (e["created_at"], e["stream_id"], e["version"]))
    for e in events:
        assert SHOP_START <= e["created_at"] <= SHOP_END, e
    path, con = fresh_db("shop.sqlite")
    con.executescript(SHOP_SCHEMA)
    con.executemany(
        "INSERT INTO events (id, stream_id, stream_type, version, type, data, metadata, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (i, e["stream_id"], e["stream_type"], e["version"], e["type"], dumps(e["data"]),
             dumps(e["metadata"]), e["created_at"].strftime("%Y-%m-%d %H:%M:%S.%f"))
            for i, e in enumerate(events, start=1)
        ],
    )
    finish_db(con)
    return {"path": path, "summaries": summaries}


# --------------------------------------------------------------------------
# order_history.sqlite
# --------------------------------------------------------------------------

ORDER_HISTORY_SCHEMA = """
CREATE TABLE order_history (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL,
  event_name TEXT NOT NULL,
  datetime TEXT NOT NULL,   -- RFC 3339 with 'Z', e.g. 2024-03-14T14:34:05Z
  data TEXT NOT NULL        -- JSON object
);
"""

OH_START = datetime(2024, 3, 1, 0, 0, 0)
OH_END = datetime(2024, 3, 31, 23, 59, 59)
OH_ITEMS = {
    "apple": ("Apple", 0.45), "banana": ("Banana", 0.30), "bread": ("Sourdough bread", 4.20),
    "butter": ("Butter 250 g", 2.65), "cheese": ("Gouda 400 g", 5.80), "coffee": ("Coffee 500 g", 7.90),
    "eggs": ("Eggs x10", 3.10), "milk": ("Milk 1 l", 1.19), "pasta": ("Pasta 500 g", 1.49),
    "rice": ("Basmati rice 1 kg", 3.75), "tomato": ("Tomatoes 500 g", 2.20), "wine": ("Red wine", 8.95),
}


def build_order_history() -> Path:
    rng = random.Random(20240301)
    counts = split_total(rng, 20, 200, 5, 15)
    rows = []
    for order_id, n in enumerate(counts, start=1):
        r = rng.random()
        if n >= 7 and r < 0.65:
            ending = ["ORDER_CONFIRMED", "ORDER_SHIPPED"]
        elif r < 0.80:
            ending = ["ORDER_CONFIRMED", "ORDER_CANCELLED"] if rng.random() < 0.5 else ["ORDER_CANCELLED"]
        else:
            ending = ["ORDER_CONFIRMED"]
        n_items = n - 1 - len(ending)
        gaps = [timedelta(0)]
        for _ in range(n_items):
            gaps.append(timedelta(seconds=rng.randint(20, 40 * 60)))
        for name in ending:
            if name == "ORDER_CONFIRMED":
                gaps.append(timedelta(seconds=rng.randint(60, 3 * 3600)))
            else:
                gaps.append(timedelta(seconds=rng.randint(6 * 3600, 3 * 86400)))
        duration = sum(gaps, timedelta(0))
        span = int((OH_END - duration - OH_START).total_seconds())
        t = OH_START + timedelta(seconds=rng.randint(0, span))
        items: dict[str, dict] = {}

        def total() -> float:
            return money(sum(v["qty"] * v["price"] for v in items.values()))

        kinds = ["ORDER_CREATED"] + ["ITEM"] * n_items + ending
        for step, (kind, gap) in enumerate(zip(kinds, gaps)):
            t = t + gap
            if kind == "ORDER_CREATED":
                name, data = kind, {"status": "created", "items": {}, "total": 0}
            elif kind == "ITEM":
                in_cart = [k for k, v in items.items() if v["qty"] > 0]
                if in_cart and rng.random() < 0.25:
                    key = rng.choice(in_cart)
                    items[key]["qty"] -= 1
                    name = "ITEM_REMOVED"
                    data = {"items": {key: {"qty": items[key]["qty"]}}, "total": total()}
                else:
                    key = rng.choice(sorted(OH_ITEMS))
                    name = "ITEM_ADDED"
                    if key in items:
                        items[key]["qty"] += 1
                        data = {"items": {key: {"qty": items[key]["qty"]}}, "total": total()}
                    else:
                        label, price = OH_ITEMS[key]
                        items[key] = {"name": label, "qty": 1, "price": price}
                        data = {"items": {key: dict(items[key])}, "total": total()}
            elif kind == "ORDER_CONFIRMED":
                name, data = kind, {"status": "confirmed", "total": total()}
            elif kind == "ORDER_SHIPPED":
                carrier = rng.choice(["DHL", "UPS", "PostNL"])
                name, data = kind, {"status": "shipped",
                                    "shipping": {"carrier": carrier,
                                                 "tracking": f"{carrier[:2].upper()}{rng.randint(10**9, 10**10 - 1)}"}}
            elif kind == "ORDER_CANCELLED":
                name, data = kind, {"status": "cancelled",
                                    "reason": rng.choice(["customer request", "payment failed", "out of stock"])}
            rows.append((t, order_id, step, name, data))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    path, con = fresh_db("order_history.sqlite")
    con.executescript(ORDER_HISTORY_SCHEMA)
    con.executemany(
        "INSERT INTO order_history (id, order_id, event_name, datetime, data) VALUES (?, ?, ?, ?, ?)",
        [(i, oid, name, t.strftime("%Y-%m-%dT%H:%M:%SZ"), dumps(data))
         for i, (t, oid, _step, name, data) in enumerate(rows, start=1)],
    )
    finish_db(con)
    return path


# --------------------------------------------------------------------------
# single_log.sqlite
# --------------------------------------------------------------------------

SINGLE_LOG_SCHEMA = """
CREATE TABLE event_log (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  timestamp INTEGER NOT NULL,   -- Unix epoch MILLISECONDS
  payload BLOB                  -- usually UTF-8 JSON bytes stored as a BLOB
);
"""

LOG_START = datetime(2024, 5, 6, 0, 0, 0, tzinfo=timezone.utc)  # Monday
LOG_WEEK_MS = 7 * 24 * 3600 * 1000
ROOMS = ["lab", "office", "lobby", "server-room"]


def build_single_log() -> Path:
    rng = random.Random(20240506)
    total = 300
    start_ms = int(LOG_START.timestamp() * 1000)

    def rand_ms() -> int:
        return start_ms + rng.randrange(LOG_WEEK_MS)

    specials: list[tuple[int, str]] = []
    for _ in range(5):
        specials.append((rand_ms(), "ModeChanged"))
    for _ in range(12):
        specials.append((rand_ms(), "SetpointChanged"))
    for _ in range(5):
        t = rand_ms()
        specials.append((t, "AlarmRaised"))
        specials.append((t + rng.randint(5, 180) * 60_000, "AlarmCleared"))
    times_used = {t for t, _ in specials}
    sensor: list[tuple[int, str]] = []
    while len(specials) + len(sensor) < total:
        t = rand_ms()
        if t not in times_used:
            times_used.add(t)
            sensor.append((t, "SensorRead"))
    timeline = sorted(specials + sensor)
    assert len({t for t, _ in timeline}) == total

    setpoints = {"lab": 21.0, "office": 21.5, "lobby": 20.0, "server-room": 18.0}
    temps = dict(setpoints)
    humid = {r: 45.0 for r in ROOMS}
    mode = "heat"
    modes = ["heat", "eco", "cool", "auto", "off"]
    alarm_room = None
    rows = []
    for i, (t, typ) in enumerate(timeline, start=1):
        if typ == "SensorRead":
            room = rng.choice(ROOMS)
            drift = (setpoints[room] - temps[room]) * 0.3 if mode != "off" else -0.2
            temps[room] = round(temps[room] + drift + rng.uniform(-0.6, 0.6), 1)
            humid[room] = round(min(70, max(25, humid[room] + rng.uniform(-2, 2))), 1)
            payload = {"room": room, "temperature": temps[room], "humidity": humid[room]}
        elif typ == "SetpointChanged":
            room = rng.choice(ROOMS)
            setpoints[room] = round(rng.choice([17.0, 18.0, 19.5, 20.0, 20.5, 21.0, 21.5, 22.0, 23.0]), 1)
            payload = {"setpoint": {"room": room, "value": setpoints[room]}}
        elif typ == "ModeChanged":
            mode = rng.choice([m for m in modes if m != mode])
            payload = {"mode": mode}
        elif typ == "AlarmRaised":
            alarm_room = rng.choice(ROOMS)
            code, message = rng.choice([
                ("TEMP_HIGH", f"Temperature above limit in {alarm_room}"),
                ("TEMP_LOW", f"Temperature below limit in {alarm_room}"),
                ("SENSOR_TIMEOUT", f"No reading from {alarm_room} sensor for 10 min"),
                ("HUMIDITY_HIGH", f"Humidity above 65 % in {alarm_room}"),
            ])
            payload = {"alarm": {"code": code, "message": message, "room": alarm_room}}
        elif typ == "AlarmCleared":
            payload = {"alarm": None}
        else:
            raise ValueError(typ)
        rows.append([i, typ, t, dumps(payload).encode("utf-8")])

    # the deliberately broken rows; they replace sensor readings
    for special_id in (BAD_BINARY_ID, BAD_UTF8_ID, NOT_JSON_ID, NULL_PAYLOAD_ID):
        assert rows[special_id - 1][1] == "SensorRead", (special_id, rows[special_id - 1][1])
    binary = bytearray(rng.randbytes(24))
    binary[0:2] = b"\x00\xff"
    binary[7] = 0x00
    binary[12] = 0xFF
    binary[23] = 0x00
    rows[BAD_BINARY_ID - 1][3] = bytes(binary)
    rows[BAD_UTF8_ID - 1][3] = BAD_UTF8_PAYLOAD
    rows[NOT_JSON_ID - 1][3] = NOT_JSON_PAYLOAD
    rows[NULL_PAYLOAD_ID - 1][3] = None

    path, con = fresh_db("single_log.sqlite")
    con.executescript(SINGLE_LOG_SCHEMA)
    con.executemany("INSERT INTO event_log (id, type, timestamp, payload) VALUES (?, ?, ?, ?)", rows)
    finish_db(con)
    return path


# --------------------------------------------------------------------------
# person_registry.sqlite
# --------------------------------------------------------------------------

PERSON_SCHEMA = """
CREATE TABLE person_events (
  seq INTEGER PRIMARY KEY,
  body TEXT NOT NULL          -- JSON object
);
"""

PR_START = datetime(2023, 11, 1, 0, 0, 0)
PR_END = datetime(2024, 2, 29, 23, 59, 59)
EMAIL_DOMAINS = ["example.com", "example.org", "mail.example", "work.example"]


def build_person_registry() -> Path:
    rng = random.Random(20231101)
    n_persons = 30
    counts = split_total(rng, n_persons, 250, 3, 15)
    deleted = set(rng.sample(range(1, n_persons + 1), 4))
    rows = []
    for person_id, n in enumerate(counts, start=1):
        created = PR_START + timedelta(milliseconds=rng.randint(8 * 3600_000, 60 * 86400_000))
        span_ms = int((PR_END - created).total_seconds() * 1000)
        offsets = sorted(rng.sample(range(60_000, span_ms), n - 1))
        times = [created] + [created + timedelta(milliseconds=o) for o in offsets]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        emails: list[str] = []
        for k, t in enumerate(times):
            if k == 0:
                typ = "PERSON_CREATION"
                fields = {"firstName": first, "lastName": last, "address": random_address(rng)}
            elif k == n - 1 and person_id in deleted:
                typ, fields = "PERSON_DELETION", {"deleted": True}
            else:
                r = rng.random()
                if r < 0.2:
                    typ = "NAME_CHANGE"
                    if rng.random() < 0.7:
                        last = rng.choice([x for x in LAST_NAMES if x != last])
                        fields = {"lastName": last}
                    else:
                        first = rng.choice([x for x in FIRST_NAMES if x != first])
                        fields = {"firstName": first}
                elif r < 0.6:
                    typ, fields = "ADDRESS_CHANGE", {"address": random_address(rng)}
                else:
                    typ = "EMAIL_ADDED"
                    local = f"{first[0]}{last}".lower().replace("'", "")
                    local = local.encode("ascii", "ignore").decode()
                    emails = emails + [f"{local}{len(emails) + 1}@{rng.choice(EMAIL_DOMAINS)}"]
                    fields = {"emails": emails}
            body = {"type": typ, "personId": person_id,
                    "_datetime": t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"}
            body.update(fields)
            rows.append((t, person_id, k, body))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    path, con = fresh_db("person_registry.sqlite")
    con.executescript(PERSON_SCHEMA)
    con.executemany("INSERT INTO person_events (seq, body) VALUES (?, ?)",
                    [(i, dumps(body)) for i, (_t, _p, _k, body) in enumerate(rows, start=1)])
    finish_db(con)
    return path


# --------------------------------------------------------------------------
# faults.sqlite: a small store with one injected fault of each kind `eventscope verify` finds


FAULTS_SCHEMA = """
CREATE TABLE events (
  id INTEGER PRIMARY KEY,           -- global position (ids 31-33 are missing on purpose)
  stream_id TEXT NOT NULL,
  version INTEGER NOT NULL,         -- no unique index: one version is stored twice on purpose
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL          -- 'YYYY-MM-DD HH:MM:SS' UTC (naive)
);
CREATE INDEX events_stream_version ON events(stream_id, version);
"""

# The faults, as (kind, stream, versions): the exact findings `eventscope verify` must report, documented
# in sample-data/README.md and asserted in tests/audit.rs.
FAULTS = [
    ("position_gap", None, "ids 31-33 missing"),
    ("version_gap", "order-2", "versions 3-4 missing"),
    ("duplicate_version", "order-3", "version 2 twice"),
    ("version_order", "order-4", "version 3 written before version 2"),
    ("time_reversal", "order-5", "version 3 stamped before version 2"),
    ("future_time", "order-6", "version 4 stamped a year after the newest event written"),
    ("undecodable_payload", "order-7", "version 2 is not JSON"),
    ("schema_drift", "customer-4", "CustomerRegistered: email renamed email_address from customer-4"),
]


def build_faults() -> Path:
    """Write faults.sqlite: clean orders and customers plus exactly the faults listed in FAULTS."""
    start = datetime(2024, 5, 1, 9, 0, 0)
    rows = []  # (stream, version, type, data, minutes after start), in the order they are written
    minute = 0

    def add(stream, version, typ, data, at=None):
        nonlocal minute
        minute += 10
        rows.append((stream, version, typ, data, minute if at is None else at))

    for c in range(1, 7):
        data = {"name": f"Customer {c}"}
        if c <= 3:
            data["email"] = f"c{c}@example.test"
        else:
            data["email_address"] = f"c{c}@example.test"
        add(f"customer-{c}", 1, "CustomerRegistered", data)
    for o in range(1, 8):
        stream = f"order-{o}"
        add(stream, 1, "OrderPlaced", {"customer": f"customer-{o % 6 + 1}", "total": 10 * o})
    # order-1: clean, with an optional field that comes and goes (not drift).
    add("order-1", 2, "NoteAdded", {"text": "call first", "author": "ann"})
    add("order-1", 3, "NoteAdded", {"text": "ring twice"})
    add("order-1", 4, "NoteAdded", {"text": "leave at door", "author": "bob"})
    add("order-1", 5, "NoteAdded", {"text": "thanks"})
    add("order-1", 6, "OrderShipped", {"status": "shipped"})
    # order-2: versions 3 and 4 are missing.
    add("order-2", 2, "LineAdded", {"sku": "A", "qty": 1})
    add("order-2", 5, "LineAdded", {"sku": "B", "qty": 2})
    add("order-2", 6, "OrderShipped", {"status": "shipped"})
    # order-3: version 2 stored twice.
    add("order-3", 2, "LineAdded", {"sku": "A", "qty": 1})
    add("order-3", 2, "LineAdded", {"sku": "C", "qty": 3})
    add("order-3", 3, "OrderShipped", {"status": "shipped"})
    # order-4: version 3 written before version 2 (times follow the versions).
    t2 = minute + 10
    add("order-4", 3, "OrderShipped", {"status": "shipped"}, at=t2 + 5)
    add("order-4", 2, "LineAdded", {"sku": "D", "qty": 1}, at=t2)
    minute = t2 + 10
    # The gap in the global position: ids 31-33 are never written (see below).
    # order-5: version 3 is stamped before version 2.
    add("order-5", 2, "LineAdded", {"sku": "E", "qty": 1})
    add("order-5", 3, "OrderShipped", {"status": "shipped"}, at=minute - 30)
    # order-6: version 4 is stamped a year after the newest event written.
    add("order-6", 2, "LineAdded", {"sku": "F", "qty": 1})
    add("order-6", 3, "LineAdded", {"sku": "G", "qty": 1})
    add("order-6", 4, "OrderShipped", {"status": "shipped"}, at=minute + 365 * 24 * 60)
    # order-7: version 2's payload is not JSON.
    add("order-7", 2, "LineAdded", "{sku: H, qty: 1")
    add("order-7", 3, "OrderShipped", {"status": "shipped"})
    # The newest event written (highest id) is also the newest in time, apart from order-6's.
    add("order-1", 7, "OrderDelivered", {"status": "delivered"})

    path, con = fresh_db("faults.sqlite")
    con.executescript(FAULTS_SCHEMA)
    ids = [i if i <= 30 else i + 3 for i in range(1, len(rows) + 1)]
    con.executemany(
        "INSERT INTO events (id, stream_id, version, type, data, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (i, stream, version, typ, data if isinstance(data, str) else dumps(data),
             (start + timedelta(minutes=at)).strftime("%Y-%m-%d %H:%M:%S"))
            for i, (stream, version, typ, data, at) in zip(ids, rows)
        ],
    )
    finish_db(con)
    return path


# --------------------------------------------------------------------------


def check() -> int:
    """Regenerate into a temporary folder and compare every table, row by row, with the committed files.

    Compares SQL dumps rather than bytes, so a different SQLite library version cannot cause a false alarm.
    """
    global OUT_DIR
    import tempfile

    committed = OUT_DIR
    with tempfile.TemporaryDirectory() as tmp:
        OUT_DIR = Path(tmp)
        build_shop()
        build_order_history()
        build_single_log()
        build_person_registry()
        build_faults()
        stale = []
        for fresh in sorted(Path(tmp).glob("*.sqlite")):
            dumps_ = []
            for path in (fresh, committed / fresh.name):
                if not path.exists():
                    dumps_.append(None)
                    continue
                con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                dumps_.append(list(con.iterdump()))
                con.close()
            if dumps_[0] != dumps_[1]:
                stale.append(fresh.name)
        OUT_DIR = committed
    if stale:
        print("sample data differs from what generate.py writes: " + ", ".join(stale))
        print("run `python3 sample-data/generate.py` and commit the files")
        return 1
    print("sample data matches generate.py")
    return 0


def main() -> None:
    if "--check" in sys.argv[1:]:
        sys.exit(check())
    shop = build_shop()
    paths = [shop["path"], build_order_history(), build_single_log(), build_person_registry(), build_faults()]
    for p in paths:
        print(f"wrote {p.name} ({p.stat().st_size} bytes)")
    sid, n, outcome = max(shop["summaries"], key=lambda s: s[1])
    print(f"shop.sqlite biggest order stream: {sid} ({n} events, {outcome})")


if __name__ == "__main__":
    main()
