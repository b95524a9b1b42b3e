"""Write Event Sourcery sample stores (SQLAlchemy and Django backends) as SQLite files.

Every row is written by the real ``python-event-sourcery`` library (pinned in
``requirements.txt``), through its public API: ``EventStore.append`` with versioned
and ``NO_VERSIONING`` streams, ``backend.in_tenant_mode``, ``EventStore.save_snapshot``,
the outbox (``with_outbox`` + ``Outbox.run``), in-transaction listeners,
context enrichers and, for SQLAlchemy only, ``Projector`` with ``SqlAlchemyCursorsDao``.
The script writes no event row itself. The tables come from the library's own models:
its SQLAlchemy models via ``CreateTable``/``CreateIndex``, and its Django migration.
At the end the script opens each file with ``sqlite3`` and sets ``journal_mode=DELETE``,
runs ``VACUUM`` and runs ``integrity_check``.

Usage (from the repository root, with the virtualenv from README.md):

    /tmp/esy-venv/bin/python sample-data/event-sourcery/generate.py [sqlalchemy|django|all]

Outputs (each is built in a temp dir, checked, then copied over the old file):

    sample-data/event-sourcery-sqlalchemy.sqlite
    sample-data/event-sourcery-django.sqlite

Determinism: event UUIDs, stream UUIDs and ``created_at`` values come from seeded RNGs and
are passed to the library explicitly (``WrappedEvent(uuid=..., created_at=...)``).
The library stamps outbox rows with ``datetime.now()`` itself. So that output does not
depend on the wall clock, the ``datetime`` name in the two outbox modules is swapped
for a subclass whose ``now()`` returns the scenario clock, a few ms after the
last event. The value format does not change. The SQLAlchemy file comes out
byte-identical on every run. In the Django file only ``django_migrations.applied``
(the real time of the run) changes between runs.
"""

from __future__ import annotations

import contextvars
import logging
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE.parent
sys.path.insert(0, str(HERE))

from event_sourcery import NO_VERSIONING, EventStore, StreamId  # noqa: E402
from event_sourcery.event import Context, Event, WrappedEvent  # noqa: E402

import shop_events as ev  # noqa: E402

SQLALCHEMY_FILE = OUT_DIR / "event-sourcery-sqlalchemy.sqlite"
DJANGO_FILE = OUT_DIR / "event-sourcery-django.sqlite"

DEFAULT = ""  # event_sourcery.DEFAULT_TENANT
ACME = "acme"

# The outbox logs a traceback for every failed publish attempt; we fail some on purpose.
logging.getLogger("event_sourcery_sqlalchemy.outbox").setLevel(logging.CRITICAL)
logging.getLogger("event_sourcery_django.outbox").setLevel(logging.CRITICAL)


# =============================================================================== helpers


class Clock:
    """Deterministic naive-UTC clock (Event Sourcery stores naive UTC datetimes)."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self._rng = rng
        self.now = start

    def next(self, lo: float = 2.0, hi: float = 90.0, whole_second: bool = False) -> datetime:
        step = timedelta(seconds=self._rng.randint(int(lo), int(hi)),
                         microseconds=self._rng.randint(1, 999_999))
        self.now = self.now + step
        if whole_second:
            # exercise the "no fractional part" edge case (Django omits it entirely)
            self.now = self.now.replace(microsecond=0)
        return self.now

    def jump(self, **kwargs: float) -> None:
        self.now = self.now + timedelta(**kwargs)


def make_uuid_factory(rng: random.Random) -> Callable[[], uuid.UUID]:
    def new() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    return new


CURRENT_ACTOR: contextvars.ContextVar[ev.Actor | None] = contextvars.ContextVar(
    "CURRENT_ACTOR", default=None
)


class ActorEnricher:
    """EventContextEnricher: adds ``components.actor`` when an actor is set."""

    component_type = ev.Actor

    def enrich(self, context: Context, *, event: WrappedEvent, stream_id: StreamId):
        return CURRENT_ACTOR.get()


@contextmanager
def acting_as(user_id: str | None, channel: str = "web") -> Iterator[None]:
    token = CURRENT_ACTOR.set(ev.Actor(user_id=user_id, channel=channel) if user_id else None)
    try:
        yield
    finally:
        CURRENT_ACTOR.reset(token)


class _PatchedDatetime(datetime):
    """``datetime`` whose ``now()`` follows the scenario clock (outbox rows only)."""

    clock: Clock | None = None

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        base = cls.clock.now + timedelta(milliseconds=7)
        return base.replace(tzinfo=timezone.utc) if tz is not None else base


def pin_outbox_clock(module: Any, clock: Clock) -> None:
    _PatchedDatetime.clock = clock
    module.datetime = _PatchedDatetime


def money(amount: str, currency: str = "EUR") -> ev.Money:
    return ev.Money(amount=Decimal(amount), currency=currency)


CATALOG = {
    "SKU-KB-001": ("Mechanical keyboard", {"layout": "ISO-DE", "switch": "brown"}, "89.90"),
    "SKU-MS-002": ("Wireless mouse", {"colour": "graphite"}, "24.99"),
    "SKU-CB-003": ("USB-C cable 2 m", {}, "9.50"),
    "SKU-MN-004": ('27" monitor', {"panel": "IPS", "resolution": "2560x1440"}, "279.00"),
    "SKU-CF-005": ("Café crème beans 1 kg 🛒", {"origin": "Kraków roastery"}, "18.40"),
    "SKU-DK-006": ("Standing desk", {"width_cm": "160"}, "499.00"),
    "SKU-LP-007": ("Laptop stand", {}, "39.95"),
    "SKU-HS-008": ("Headset", {"anc": "true"}, "129.00"),
}


def product(sku: str) -> tuple[ev.Product, ev.Money]:
    name, attrs, price = CATALOG[sku]
    return ev.Product(sku=sku, name=name, attributes=attrs), money(price)


# ============================================================================== scenario


class Shop:
    """Drives the e-commerce scenario through any Event Sourcery ``TransactionalBackend``.

    Keeps its own expected-version bookkeeping per (tenant, stream) and appends
    ``WrappedEvent`` objects with explicit uuid / created_at / context.
    """

    def __init__(self, backend: Any, rng: random.Random, clock: Clock, with_payments: bool):
        self.backend = backend
        self.rng = rng
        self.clock = clock
        self.new_uuid = make_uuid_factory(rng)
        self.with_payments = with_payments
        self.versions: dict[tuple[str, uuid.UUID, str | None], int] = {}
        self.carts: dict[uuid.UUID, dict[str, Any]] = {}  # cart_id -> state for listeners
        self.last: dict[tuple[str, str], WrappedEvent] = {}  # (tenant, label) -> event
        backend.in_transaction.register(self._on_checked_out, to=ev.CartCheckedOut)
        backend.in_transaction.register(self._on_order_placed, to=ev.OrderPlaced)

    # ------------------------------------------------------------------ plumbing
    def store(self, tenant: str) -> EventStore:
        return self.backend.in_tenant_mode(tenant).event_store if tenant else self.backend.event_store

    def append(
        self,
        tenant: str,
        stream_id: StreamId,
        *events: Event,
        context: Context | None = None,
        versioned: bool = True,
        whole_second: bool = False,
    ) -> list[WrappedEvent]:
        key = (tenant, uuid.UUID(bytes=stream_id.bytes), stream_id.category)
        current = self.versions.get(key, 0)
        wrapped = []
        for offset, event in enumerate(events, start=1):
            wrapped.append(
                WrappedEvent(
                    event=event,
                    version=current + offset if versioned else None,
                    uuid=self.new_uuid(),
                    created_at=self.clock.next(whole_second=whole_second),
                    context=(context or Context()).model_copy(),
                )
            )
        if versioned:
            self.versions[key] = current + len(events)
            self.store(tenant).append(*wrapped, stream_id=stream_id, expected_version=current)
        else:
            self.store(tenant).append(*wrapped, stream_id=stream_id, expected_version=NO_VERSIONING)
        return wrapped

    def request(self) -> Context:
        """Context for a fresh user request: new correlation id, no causation."""
        return Context(correlation_id=self.new_uuid())

    # ------------------------------------------------------------------ listeners
    # The library calls these inside EventStore.append (in-transaction dispatch).
    # They continue the causal chain: CartCheckedOut -> OrderPlaced -> PaymentRequested.
    def _on_checked_out(self, wrapped: WrappedEvent, stream_id: StreamId, tenant_id: str, position: int):
        checkout: ev.CartCheckedOut = wrapped.event
        cart = self.carts[checkout.cart_id]
        ctx = Context(correlation_id=wrapped.context.correlation_id, causation_id=wrapped.uuid)
        with acting_as("system:order-service", channel="internal"):
            [placed] = self.append(
                tenant_id,
                StreamId(uuid=checkout.order_id, category="order"),
                ev.OrderPlaced(
                    order_id=checkout.order_id,
                    order_number=cart["order_number"],
                    cart_id=checkout.cart_id,
                    customer_id=cart["customer"].id,
                    lines=checkout.lines,
                    total=checkout.total,
                    shipping_address=cart.get("address"),
                    placed_at=self.clock.now.replace(tzinfo=timezone.utc),
                ),
                context=ctx,
            )
        self.last[(tenant_id, f"placed:{checkout.order_id}")] = placed

    def _on_order_placed(self, wrapped: WrappedEvent, stream_id: StreamId, tenant_id: str, position: int):
        if not self.with_payments:
            return
        placed: ev.OrderPlaced = wrapped.event
        cart = self.carts[placed.cart_id]
        ctx = Context(correlation_id=wrapped.context.correlation_id, causation_id=wrapped.uuid)
        with acting_as("system:payment-service", channel="internal"):
            [requested] = self.append(
                tenant_id,
                StreamId(name=f"payment-{placed.order_number}", category="payment"),
                ev.PaymentRequested(order_id=placed.order_id, amount=placed.total, method=cart["method"]),
                context=ctx,
            )
        self.last[(tenant_id, f"requested:{placed.order_id}")] = requested

    # ------------------------------------------------------------------ cart helpers
    def open_cart(self, tenant: str, stream_id: StreamId, customer: ev.Customer, order_number: str,
                  method: ev.PaymentMethod | None = None, channel: str = "web") -> uuid.UUID:
        cart_id = uuid.UUID(bytes=stream_id.bytes)
        self.carts[cart_id] = {"customer": customer, "order_number": order_number, "lines": {},
                               "method": method, "coupon": None, "stream_id": stream_id,
                               "tenant": tenant}
        with acting_as(customer.email, channel):
            self.append(tenant, stream_id,
                        ev.CartCreated(cart_id=cart_id, customer=customer, currency="EUR", channel=channel),
                        context=self.request())
        return cart_id

    def add(self, cart_id: uuid.UUID, *skus_qty: tuple[str, int], batch_context: bool = True) -> None:
        cart = self.carts[cart_id]
        events = []
        for sku, qty in skus_qty:
            prod, price = product(sku)
            line = cart["lines"].setdefault(sku, [0, price.amount])
            line[0] += qty
            events.append(ev.ItemAdded(product=prod, quantity=qty, unit_price=price))
        with acting_as(cart["customer"].email):
            # several events in ONE append call share one context
            self.append(cart["tenant"], cart["stream_id"], *events,
                        context=self.request() if batch_context else None)

    def change_qty(self, cart_id: uuid.UUID, sku: str, qty: int) -> None:
        cart = self.carts[cart_id]
        old = cart["lines"][sku][0]
        cart["lines"][sku][0] = qty
        with acting_as(cart["customer"].email):
            self.append(cart["tenant"], cart["stream_id"],
                        ev.ItemQuantityChanged(sku=sku, old_quantity=old, new_quantity=qty),
                        context=self.request())

    def remove(self, cart_id: uuid.UUID, sku: str, reason: str | None = None) -> None:
        cart = self.carts[cart_id]
        del cart["lines"][sku]
        with acting_as(cart["customer"].email):
            self.append(cart["tenant"], cart["stream_id"], ev.ItemRemoved(sku=sku, reason=reason),
                        context=self.request())

    def coupon(self, cart_id: uuid.UUID, code: str, discount: str) -> None:
        cart = self.carts[cart_id]
        cart["coupon"] = (code, Decimal(discount))
        with acting_as(cart["customer"].email):
            self.append(cart["tenant"], cart["stream_id"],
                        ev.CouponApplied(code=code, discount=money(discount),
                                         expires_at=datetime(2025, 12, 31, 23, 59, 59, tzinfo=timezone.utc)),
                        context=self.request())

    def ship_to(self, cart_id: uuid.UUID, address: ev.Address) -> None:
        cart = self.carts[cart_id]
        cart["address"] = address
        cet = timezone(timedelta(hours=1))
        day = (self.clock.now + timedelta(days=2)).date()
        window = ev.DeliveryWindow(start=datetime(day.year, day.month, day.day, 8, 0, tzinfo=cet),
                                   end=datetime(day.year, day.month, day.day, 12, 30, tzinfo=cet))
        with acting_as(cart["customer"].email):
            self.append(cart["tenant"], cart["stream_id"],
                        ev.ShippingAddressSet(address=address, delivery_window=window),
                        context=self.request())

    def lines(self, cart_id: uuid.UUID) -> list[ev.CartLine]:
        return [ev.CartLine(sku=sku, quantity=q, unit_price=p)
                for sku, (q, p) in self.carts[cart_id]["lines"].items()]

    def total(self, cart_id: uuid.UUID) -> ev.Money:
        cart = self.carts[cart_id]
        amount = sum((q * p for q, p in cart["lines"].values()), Decimal("0.00"))
        if cart["coupon"]:
            amount -= cart["coupon"][1]
        return money(str(amount.quantize(Decimal("0.01"))))

    def snapshot(self, cart_id: uuid.UUID) -> None:
        cart = self.carts[cart_id]
        key = (cart["tenant"], cart_id, cart["stream_id"].category)
        version = self.versions[key]
        snap = WrappedEvent(
            event=ev.CartSnapshot(cart_id=cart_id, lines=self.lines(cart_id),
                                  coupon=cart["coupon"][0] if cart["coupon"] else None,
                                  total=self.total(cart_id), snapshot_of_version=version),
            version=version,
            uuid=self.new_uuid(),
            created_at=self.clock.next(1, 3),
        )
        self.store(cart["tenant"]).save_snapshot(cart["stream_id"], snap)

    def checkout(self, cart_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
        """Append CartCheckedOut; listeners then write OrderPlaced (+ PaymentRequested)."""
        cart = self.carts[cart_id]
        order_id = self.new_uuid()
        ctx = self.request()
        with acting_as(cart["customer"].email):
            self.append(cart["tenant"], cart["stream_id"],
                        ev.CartCheckedOut(cart_id=cart_id, order_id=order_id, lines=self.lines(cart_id),
                                          total=self.total(cart_id),
                                          item_count=sum(q for q, _ in cart["lines"].values())),
                        context=ctx)
        return order_id, ctx.correlation_id

    # ------------------------------------------------------------------ order/payment steps
    def follow_up(self, tenant: str, stream_id: StreamId, event: Event, cause: WrappedEvent,
                  actor: str, label: str | None = None, **kw: Any) -> WrappedEvent:
        ctx = Context(correlation_id=cause.context.correlation_id, causation_id=cause.uuid)
        with acting_as(actor, channel="internal"):
            [w] = self.append(tenant, stream_id, event, context=ctx, **kw)
        if label:
            self.last[(tenant, label)] = w
        return w


def customer(shop: Shop, email: str, name: str, tier: str | None) -> ev.Customer:
    return ev.Customer(id=shop.new_uuid(), email=email, display_name=name, loyalty_tier=tier)


CARD = ev.PaymentMethod(type="card", card=ev.CardDetails(brand="visa", last4="4242", expires="2027-08"))
BLIK = ev.PaymentMethod(type="blik", card=None)


def payment_flow(shop: Shop, tenant: str, order_id: uuid.UUID, order_number: str, *,
                 declines: int, then_capture: bool) -> WrappedEvent:
    """PaymentRequested (already written by listener) -> Declined* -> Authorized -> Captured."""
    pay = StreamId(name=f"payment-{order_number}", category="payment")
    cause = shop.last[(tenant, f"requested:{order_id}")]
    amount = shop.last[(tenant, f"placed:{order_id}")].event.total
    for i in range(declines):
        cause = shop.follow_up(tenant, pay, ev.PaymentDeclined(
            decline_code="insufficient_funds" if then_capture else "do_not_honor",
            message="Karte abgelehnt – bitte andere Zahlungsart wählen", retryable=then_capture),
            cause, "system:psp-gateway")
    if not then_capture:
        return cause
    shop.clock.jump(seconds=30)
    auth = shop.follow_up(tenant, pay, ev.PaymentAuthorized(
        authorization_code=f"AUTH-{shop.rng.randint(100000, 999999)}", amount=amount,
        risk_score=0.1 + 0.2), cause, "system:psp-gateway")
    return shop.follow_up(tenant, pay, ev.PaymentCaptured(amount=amount, fee=Decimal("0.35")),
                          auth, "system:psp-gateway")


def fulfil(shop: Shop, tenant: str, order_id: uuid.UUID, cause: WrappedEvent, *,
           paid_via: str | None, deliver: bool) -> None:
    order = StreamId(uuid=order_id, category="order")
    amount = shop.last[(tenant, f"placed:{order_id}")].event.total
    if paid_via is not None:
        cause = shop.follow_up(tenant, order, ev.OrderPaid(payment_stream=paid_via, amount=amount),
                               cause, "system:order-service")
    shop.clock.jump(hours=5)
    shipped = shop.follow_up(tenant, order, ev.OrderShipped(
        carrier="DHL", tracking_number=f"JJD{shop.rng.randint(10**17, 10**18 - 1)}",
        parcels=[ev.Parcel(weight_kg=Decimal("1.250"), dimensions_cm={"l": 40, "w": 30, "h": 12}),
                 ev.Parcel(weight_kg=Decimal("0.4"), dimensions_cm={"l": 20, "w": 15, "h": 5})]),
        cause, "warehouse:wro-1")
    if deliver:
        shop.clock.jump(days=1, hours=3)
        shop.follow_up(tenant, order, ev.OrderDelivered(
            delivered_at=shop.clock.now.replace(tzinfo=timezone.utc), signed_by="M. Kowalska"),
            shipped, "carrier:dhl")


def activity(shop: Shop, tenant: str, stream_id: StreamId, *events: Event, whole_second: bool = False) -> None:
    """Unversioned append (NO_VERSIONING): stored rows get version = NULL."""
    shop.append(tenant, stream_id, *events, context=None, versioned=False, whole_second=whole_second)


def sign_in(c: ev.Customer, ip: str) -> ev.CustomerSignedIn:
    return ev.CustomerSignedIn(customer_id=c.id, ip=ip,
                               user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/136.0")


# ====================================================================== SQLAlchemy store


def build_sqlalchemy(path: Path) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlalchemy.orm import DeclarativeBase, Session

    import event_sourcery_sqlalchemy.outbox as sa_outbox
    from event_sourcery.read_model import Projector
    from event_sourcery_sqlalchemy import SQLAlchemyBackend, SQLAlchemyConfig, configure_models
    from event_sourcery_sqlalchemy.cursors_dao import SqlAlchemyCursorsDao
    from event_sourcery_sqlalchemy.models.default import DefaultProjectorCursor

    class Base(DeclarativeBase):
        pass

    configure_models(Base)
    engine = create_engine(f"sqlite:///{path}")
    # Same DDL as Base.metadata.create_all(engine). But SQLAlchemy keeps a table's
    # indexes in a set whose order changes between runs, so here they are created in
    # name order. That keeps sqlite_master, and so the file, the same on every run.
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            conn.execute(CreateTable(table))
            for index in sorted(table.indexes, key=lambda i: i.name):
                conn.execute(CreateIndex(index))

    rng = random.Random(20250314)
    clock = Clock(rng, datetime(2025, 3, 14, 9, 12, 3, 412771))
    pin_outbox_clock(sa_outbox, clock)

    def outbox_filter(entry) -> bool:
        # Only integration-relevant events go to the outbox: order + payment streams and
        # the checkout itself. Other cart events and activity logs stay out.
        return entry.stream_id.category in ("order", "payment") or entry.name.endswith("CartCheckedOut")

    with Session(engine) as session:
        backend = (
            SQLAlchemyBackend()
            .configure(session, SQLAlchemyConfig(outbox_attempts=3))
            .with_outbox(outbox_filter)
            .with_context_enrichers(ActorEnricher())
        )
        shop = Shop(backend, rng, clock, with_payments=True)

        # --- read-model projectors (default tenant only: the cursor table has no tenant column)
        cursors = SqlAlchemyCursorsDao(session, DefaultProjectorCursor)
        read_models: dict[str, dict] = {"order_summary": {}, "cart_lines": {}}
        projectors_on = {"cart_lines": True}

        def read_model(name: str):
            def apply(wrapped: WrappedEvent, stream_id: StreamId) -> None:
                read_models[name].setdefault(str(stream_id), []).append(type(wrapped.event).__name__)
            return apply

        order_projector = Projector(backend.event_store, "order_summary", cursors, read_model("order_summary"))
        cart_projector = Projector(backend.event_store, "cart_lines", cursors, read_model("cart_lines"))

        def project_orders(wrapped, stream_id, tenant_id, position):
            if tenant_id == DEFAULT:
                order_projector.project(wrapped, stream_id)

        def project_carts(wrapped, stream_id, tenant_id, position):
            if tenant_id == DEFAULT and projectors_on["cart_lines"]:
                cart_projector.project(wrapped, stream_id)

        backend.in_transaction.register(project_orders, to="order")
        backend.in_transaction.register(project_carts, to="cart")

        log = StreamId(name="shop-activity-log")  # no category -> category '' in the DB
        webhooks = StreamId(name="webhook-inbox", category="integration")

        alice = customer(shop, "alice@example.com", "Alice Nowak", "gold")
        bob = customer(shop, "bob@example.com", "Bob Müller", None)
        chloe = customer(shop, "chloe@example.com", "Chloé Durand", "silver")
        dana = customer(shop, "dana@acme.test", "Dana Acme", None)
        eli = customer(shop, "eli@acme.test", "Eli Acme", "bronze")

        # ---------------------------------------------------------------- default tenant
        activity(shop, DEFAULT, log, sign_in(alice, "203.0.113.7"),
                 ev.SearchPerformed(query="mechanical keyboard", results=14,
                                    filters={"brand": ["Keychron", "Cherry"], "layout": ["ISO-DE"]}, score=0.92))
        cart_a = shop.open_cart(DEFAULT, StreamId(name="cart-1001", category="cart"), alice,
                                "SO-1001", CARD)
        shop.add(cart_a, ("SKU-KB-001", 1), ("SKU-MS-002", 1), ("SKU-CB-003", 2))  # one append, 3 events
        activity(shop, DEFAULT, log, sign_in(bob, "198.51.100.23"))
        cart_b = shop.open_cart(DEFAULT, StreamId(uuid=shop.new_uuid(), category="cart"), bob,
                                "SO-1002", BLIK, channel="mobile")
        shop.change_qty(cart_a, "SKU-CB-003", 3)
        shop.add(cart_b, ("SKU-MN-004", 1))
        shop.remove(cart_a, "SKU-MS-002", reason="found cheaper")
        shop.add(cart_a, ("SKU-CF-005", 2))
        shop.add(cart_b, ("SKU-HS-008", 1))
        activity(shop, DEFAULT, log, ev.SearchPerformed(query="café crème", results=0,
                                                        filters={}, score=None), whole_second=True)
        shop.coupon(cart_a, "SPRING-10", "10.00")
        shop.remove(cart_b, "SKU-MN-004")
        shop.ship_to(cart_a, ev.Address(line1="ul. Długa 5/12", city="Kraków", postal_code="31-147", country="PL"))
        shop.add(cart_b, ("SKU-CB-003", 1))
        order_a, _ = shop.checkout(cart_a)  # -> OrderPlaced -> PaymentRequested (listeners)

        # cart C: long cart with two snapshots; the cart_lines projector falls behind at v15
        cart_c = shop.open_cart(DEFAULT, StreamId(name="cart-1002", category="cart"), chloe,
                                "SO-1003", CARD)
        seq = [("add", "SKU-DK-006", 1), ("add", "SKU-LP-007", 1), ("add", "SKU-KB-001", 1),
               ("qty", "SKU-LP-007", 2), ("add", "SKU-HS-008", 1), ("rm", "SKU-HS-008", None),
               ("add", "SKU-MS-002", 1), ("qty", "SKU-MS-002", 3), ("add", "SKU-CB-003", 4),
               ("rm", "SKU-KB-001", None), ("add", "SKU-MN-004", 2), ("qty", "SKU-MN-004", 1),
               ("add", "SKU-CF-005", 1), ("qty", "SKU-CB-003", 2), ("add", "SKU-HS-008", 1),
               ("rm", "SKU-LP-007", None), ("add", "SKU-KB-001", 1), ("qty", "SKU-CF-005", 3),
               ("rm", "SKU-MS-002", None), ("add", "SKU-LP-007", 1)]
        for i, (op, sku, n) in enumerate(seq):
            if op == "add":
                shop.add(cart_c, (sku, n))
            elif op == "qty":
                shop.change_qty(cart_c, sku, n)
            else:
                shop.remove(cart_c, sku)
            version = shop.versions[(DEFAULT, cart_c, "cart")]
            if version in (10, 20):
                shop.snapshot(cart_c)
            if version == 15:
                projectors_on["cart_lines"] = False  # projector stops here -> cursor stays at 15
            if i == 6:
                shop.add(cart_b, ("SKU-KB-001", 1))
        shop.ship_to(cart_c, ev.Address(line1="12 rue de la Paix", line2="Bâtiment B", city="Paris",
                                        postal_code="75002", country="FR"))
        shop.coupon(cart_c, "WELCOME-5", "5.00")
        order_c, _ = shop.checkout(cart_c)
        with acting_as(None):
            shop.append(DEFAULT, shop.carts[cart_b]["stream_id"],
                        ev.CartAbandoned(last_activity_at=clock.now - timedelta(hours=2), reminder_sent=True))
        # payments and fulfilment for the default tenant
        shop.clock.jump(minutes=1)
        cap_a = payment_flow(shop, DEFAULT, order_a, "SO-1001", declines=0, then_capture=True)
        cap_c = payment_flow(shop, DEFAULT, order_c, "SO-1003", declines=1, then_capture=True)
        fulfil(shop, DEFAULT, order_a, cap_a, paid_via="payment-SO-1001", deliver=True)
        activity(shop, DEFAULT, log,
                 ev.PriceChanged(sku="SKU-MN-004", old_price=Decimal("279.00"), new_price=Decimal("259.99"),
                                 effective_at=datetime(2025, 3, 20, 0, 0, tzinfo=timezone.utc)),
                 sign_in(chloe, "2001:db8::42"))
        fulfil(shop, DEFAULT, order_c, cap_c, paid_via="payment-SO-1003", deliver=False)

        # ---------------------------------------------------------------- tenant "acme"
        # cart-1001 again: same name + category in another tenant => same uuid5 stream UUID.
        shop.clock.jump(hours=2)
        cart_d = shop.open_cart(ACME, StreamId(name="cart-1001", category="cart"), dana, "AC-0001", CARD)
        activity(shop, ACME, webhooks, ev.WebhookReceived(
            provider="erp", delivery_id="whk_01", headers={"X-Signature": "sha256=9f86d0"},
            payload={"type": "stock.updated", "sku": "SKU-DK-006", "on_hand": 3, "big": 2**53 + 1}))
        shop.add(cart_d, ("SKU-DK-006", 1), ("SKU-LP-007", 1))
        shop.add(cart_d, ("SKU-HS-008", 2))
        shop.change_qty(cart_d, "SKU-HS-008", 1)
        shop.remove(cart_d, "SKU-LP-007", reason=None)
        shop.ship_to(cart_d, ev.Address(line1="1 Acme Way", city="Springfield", postal_code="12345", country="US"))
        cart_e = shop.open_cart(ACME, StreamId(uuid=shop.new_uuid(), category="cart"), eli, "AC-0002", BLIK)
        order_d, _ = shop.checkout(cart_d)
        shop.add(cart_e, ("SKU-CB-003", 5), ("SKU-MS-002", 1), ("SKU-KB-001", 1))
        activity(shop, ACME, webhooks, ev.WebhookReceived(
            provider="psp", delivery_id="whk_02", headers={"Content-Type": "application/json"},
            payload={"event": "charge.failed", "amount": 52899, "nested": {"reason": {"code": "do_not_honor"}}}))
        shop.change_qty(cart_e, "SKU-CB-003", 3)
        order_e, _ = shop.checkout(cart_e)
        declined = payment_flow(shop, ACME, order_d, "AC-0001", declines=1, then_capture=False)
        shop.follow_up(ACME, StreamId(uuid=order_d, category="order"),
                       ev.OrderCancelled(reason="payment declined", refund=None), declined, "system:order-service")
        cap_e = payment_flow(shop, ACME, order_e, "AC-0002", declines=0, then_capture=True)
        fulfil(shop, ACME, order_e, cap_e, paid_via="payment-AC-0002", deliver=True)
        for i in range(3, 7):
            activity(shop, ACME, webhooks, ev.WebhookReceived(
                provider="carrier", delivery_id=f"whk_{i:02d}", headers={},
                payload={"status": ["in_transit", "out_for_delivery", "delivered", "delivered"][i - 3],
                         "at": (clock.now - timedelta(minutes=9 - i)).strftime("%Y-%m-%dT%H:%M:%SZ")}))

        # ---------------------------------------------------------------- outbox publishing
        published: list[str] = []

        def ok(record) -> None:
            published.append(record.wrapped_event.event.__class__.__name__)

        def broker_down(record) -> None:
            raise ConnectionError("broker unavailable")

        backend.outbox.run(ok, limit=12)          # 12 oldest entries published -> rows deleted
        backend.outbox.run(broker_down, limit=3)  # next 3: tries_left 3 -> 2
        backend.outbox.run(broker_down, limit=1)  # oldest remaining: 2 -> 1
        backend.outbox.run(broker_down, limit=1)  # ... 1 -> 0 (dead: never picked up again)

        session.commit()
    engine.dispose()
    print(f"sqlalchemy: published {len(published)} outbox entries; read models: "
          + ", ".join(f"{k}={len(v)} streams" for k, v in read_models.items()))


# ========================================================================== Django store


def build_django(path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "django_settings"
    os.environ["ESY_DJANGO_DB"] = str(path)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    import event_sourcery_django.dto as dj_dto
    from event_sourcery_django import DjangoBackend, DjangoConfig

    # The library strips tzinfo (naive UTC); Django with USE_TZ=True warns about that.
    warnings.filterwarnings("ignore", message=r".*received a naive datetime.*", category=RuntimeWarning)

    call_command("migrate", interactive=False, verbosity=0)

    rng = random.Random(20250401)
    clock = Clock(rng, datetime(2025, 4, 1, 7, 45, 0, 1))
    pin_outbox_clock(dj_dto, clock)

    backend = (
        DjangoBackend()
        .configure(DjangoConfig(outbox_attempts=5))
        .with_outbox()  # no filter: every event gets an outbox row
        .with_context_enrichers(ActorEnricher())
    )
    shop = Shop(backend, rng, clock, with_payments=False)
    log = StreamId(name="shop-activity-log")

    with transaction.atomic():
        frank = customer(shop, "frank@example.com", "Frank Öz", "gold")
        gina = customer(shop, "gina@example.com", "Gina Rossi", None)
        hugo = customer(shop, "hugo@acme.test", "Hugo Acme", None)

        activity(shop, DEFAULT, log, sign_in(frank, "192.0.2.10"), whole_second=True)
        cart_f = shop.open_cart(DEFAULT, StreamId(name="cart-2001", category="cart"), frank, "SO-2001", CARD)
        shop.add(cart_f, ("SKU-KB-001", 1), ("SKU-CF-005", 2))
        activity(shop, DEFAULT, log, sign_in(gina, "192.0.2.77"))
        cart_g = shop.open_cart(DEFAULT, StreamId(uuid=shop.new_uuid(), category="cart"), gina, "SO-2002",
                                BLIK, channel="mobile")
        shop.add(cart_g, ("SKU-HS-008", 1))
        shop.change_qty(cart_f, "SKU-CF-005", 1)
        shop.add(cart_f, ("SKU-MN-004", 1))
        shop.snapshot(cart_f)  # snapshot at v5
        shop.add(cart_g, ("SKU-DK-006", 1))
        shop.remove(cart_f, "SKU-KB-001", reason="duplicate")
        shop.coupon(cart_f, "APRIL-15", "15.00")
        activity(shop, DEFAULT, log, ev.SearchPerformed(query="standing desk", results=3,
                                                        filters={"width": ["140", "160"]}, score=0.5))
        shop.remove(cart_g, "SKU-HS-008")
        shop.add(cart_g, ("SKU-LP-007", 1), ("SKU-CB-003", 2))
        activity(shop, DEFAULT, log, ev.SearchPerformed(query="laptop stand", results=7,
                                                        filters={"colour": ["silver"]}, score=0.875))
        shop.ship_to(cart_f, ev.Address(line1="Hauptstraße 1", city="München", postal_code="80331", country="DE"))
        shop.add(cart_f, ("SKU-CB-003", 2))
        order_f, _ = shop.checkout(cart_f)  # -> OrderPlaced via listener
        with acting_as(None):
            shop.append(DEFAULT, shop.carts[cart_g]["stream_id"],
                        ev.CartAbandoned(last_activity_at=clock.now - timedelta(hours=1), reminder_sent=False),
                        whole_second=True)
        placed_f = shop.last[(DEFAULT, f"placed:{order_f}")]
        fulfil(shop, DEFAULT, order_f, placed_f, paid_via="psp:card", deliver=True)
        activity(shop, DEFAULT, log,
                 ev.PriceChanged(sku="SKU-CF-005", old_price=Decimal("18.40"), new_price=Decimal("17"),
                                 effective_at=datetime(2025, 4, 2, 0, 0)),
                 sign_in(frank, "192.0.2.10"))

        # tenant acme: same stream name "cart-2001" => same stream UUID as the default tenant's
        shop.clock.jump(hours=1)
        cart_h = shop.open_cart(ACME, StreamId(name="cart-2001", category="cart"), hugo, "AC-2001", CARD)
        shop.add(cart_h, ("SKU-LP-007", 2), ("SKU-MS-002", 1))
        shop.change_qty(cart_h, "SKU-LP-007", 1)
        shop.add(cart_h, ("SKU-CB-003", 1))
        shop.remove(cart_h, "SKU-MS-002")
        shop.ship_to(cart_h, ev.Address(line1="1 Acme Way", line2="Dock 4", city="Springfield",
                                        postal_code="12345", country="US"))
        shop.add(cart_h, ("SKU-CF-005", 1))
        order_h, _ = shop.checkout(cart_h)
        placed_h = shop.last[(ACME, f"placed:{order_h}")]
        shop.follow_up(ACME, StreamId(uuid=order_h, category="order"),
                       ev.OrderCancelled(reason="customer request", refund=placed_h.event.total),
                       placed_h, "hugo@acme.test")
        activity(shop, ACME, log, sign_in(hugo, "198.51.100.200"),
                 ev.SearchPerformed(query="refund status", results=1, filters={}, score=1.0))

    published: list[str] = []

    def ok(record) -> None:
        published.append(record.wrapped_event.event.__class__.__name__)

    def broker_down(record) -> None:
        raise ConnectionError("broker unavailable")

    with transaction.atomic():
        backend.outbox.run(ok, limit=20)
    with transaction.atomic():
        backend.outbox.run(broker_down, limit=2)
    connection.close()
    print(f"django: published {len(published)} outbox entries")


# ============================================================================ finishing


def finalize(tmp: Path, dest: Path) -> None:
    con = sqlite3.connect(tmp)
    mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    assert mode == "delete", mode
    con.execute("VACUUM")
    problems = con.execute("PRAGMA integrity_check").fetchone()[0]
    assert problems == "ok", problems
    con.close()
    for suffix in ("-wal", "-shm", "-journal"):
        assert not Path(str(tmp) + suffix).exists(), f"leftover {tmp}{suffix}"
    shutil.copyfile(tmp, dest)  # tmp dir may be on another filesystem
    size = dest.stat().st_size
    assert size < 1_000_000, f"{dest} is {size} bytes"
    print(f"wrote {dest.relative_to(OUT_DIR.parent)} ({size} bytes)")


def main(argv: list[str]) -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Django keeps Meta.unique_together in a set of tuples of strings. With
        # string hashing randomised, the order of the two unique indexes in
        # sqlite_master changes from run to run, so the script reruns itself
        # with a fixed hash seed.
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, str(Path(__file__).resolve()), *argv[1:]])
    which = argv[1] if len(argv) > 1 else "all"
    if which not in ("sqlalchemy", "django", "all"):
        raise SystemExit(__doc__)
    with tempfile.TemporaryDirectory(prefix="esy-gen-") as tmpdir:
        if which in ("sqlalchemy", "all"):
            tmp = Path(tmpdir) / SQLALCHEMY_FILE.name
            build_sqlalchemy(tmp)
            finalize(tmp, SQLALCHEMY_FILE)
        if which in ("django", "all"):
            tmp = Path(tmpdir) / DJANGO_FILE.name
            build_django(tmp)
            finalize(tmp, DJANGO_FILE)


if __name__ == "__main__":
    main(sys.argv)
