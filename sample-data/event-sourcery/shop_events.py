"""Event classes for the e-commerce sample written by ``generate.py``.

Each class is an ``event_sourcery.Event`` (a pydantic model). Event Sourcery stores
an event's fields as ``event.model_dump(mode="json")``. So in the ``data`` column:

* ``Decimal`` is a JSON *string* (``"19.99"``).
* ``datetime`` is an ISO-8601 string. A naive one has no offset, an aware UTC one
  ends in ``Z`` and another aware one ends in ``+01:00``.
* ``UUID`` is a dashed string, and nested models are nested JSON objects.

This module holds the classes, not ``generate.py``, for a reason. Event Sourcery's
default event name (the ``name`` column) is ``f"{module}.{qualname}"``, so these
events are stored as ``shop_events.CartCreated`` and so on. The payment events set
``__event_name__`` to show the other way, names chosen by hand such as
``payments.PaymentRequested``.
"""

from datetime import datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel

from event_sourcery import Event
from event_sourcery.event import ContextComponent

# --------------------------------------------------------------------------- values


class Money(BaseModel):
    amount: Decimal
    currency: str


class Customer(BaseModel):
    id: UUID
    email: str
    display_name: str
    loyalty_tier: str | None = None


class Product(BaseModel):
    sku: str
    name: str
    attributes: dict[str, str] = {}


class Address(BaseModel):
    line1: str
    line2: str | None = None
    city: str
    postal_code: str
    country: str


class DeliveryWindow(BaseModel):
    start: datetime  # aware datetimes -> "...+01:00" / "...Z"
    end: datetime


class CartLine(BaseModel):
    sku: str
    quantity: int
    unit_price: Decimal


class Parcel(BaseModel):
    weight_kg: Decimal
    dimensions_cm: dict[str, int]


class CardDetails(BaseModel):
    brand: str
    last4: str
    expires: str


class PaymentMethod(BaseModel):
    type: str
    card: CardDetails | None = None


# --------------------------------------------------------------------------- cart


class CartCreated(Event):
    cart_id: UUID
    customer: Customer
    currency: str
    channel: str


class ItemAdded(Event):
    product: Product
    quantity: int
    unit_price: Money


class ItemRemoved(Event):
    sku: str
    reason: str | None = None


class ItemQuantityChanged(Event):
    sku: str
    old_quantity: int
    new_quantity: int


class CouponApplied(Event):
    code: str
    discount: Money
    expires_at: datetime


class ShippingAddressSet(Event):
    address: Address
    delivery_window: DeliveryWindow


class CartCheckedOut(Event):
    cart_id: UUID
    order_id: UUID
    lines: list[CartLine]
    total: Money
    item_count: int


class CartAbandoned(Event):
    last_activity_at: datetime  # naive -> no offset in JSON
    reminder_sent: bool


class CartSnapshot(Event):
    """Stored only in the snapshots table (``EventStore.save_snapshot``)."""

    cart_id: UUID
    lines: list[CartLine]
    coupon: str | None
    total: Money
    snapshot_of_version: int


# --------------------------------------------------------------------------- order


class OrderPlaced(Event):
    order_id: UUID
    order_number: str
    cart_id: UUID
    customer_id: UUID
    lines: list[CartLine]
    total: Money
    shipping_address: Address | None
    placed_at: datetime  # aware UTC -> "...Z"


class OrderPaid(Event):
    payment_stream: str
    amount: Money


class OrderShipped(Event):
    carrier: str
    tracking_number: str
    parcels: list[Parcel]


class OrderDelivered(Event):
    delivered_at: datetime
    signed_by: str | None


class OrderCancelled(Event):
    reason: str
    refund: Money | None


# --------------------------------------------------------------------------- payment
# Custom names via __event_name__ instead of the default "<module>.<qualname>".


class PaymentRequested(Event):
    __event_name__ = "payments.PaymentRequested"
    order_id: UUID
    amount: Money
    method: PaymentMethod


class PaymentAuthorized(Event):
    __event_name__ = "payments.PaymentAuthorized"
    authorization_code: str
    amount: Money
    risk_score: float


class PaymentDeclined(Event):
    __event_name__ = "payments.PaymentDeclined"
    decline_code: str
    message: str
    retryable: bool


class PaymentCaptured(Event):
    __event_name__ = "payments.PaymentCaptured"
    amount: Money
    fee: Decimal


# --------------------------------------------------------------------------- activity log
# Written to unversioned streams (expected_version=NO_VERSIONING): version is NULL.


class CustomerSignedIn(Event):
    customer_id: UUID
    ip: str
    user_agent: str


class SearchPerformed(Event):
    query: str
    results: int
    filters: dict[str, list[str]]
    score: float | None


class PriceChanged(Event):
    sku: str
    old_price: Decimal
    new_price: Decimal
    effective_at: datetime


class WebhookReceived(Event):
    provider: str
    delivery_id: str
    headers: dict[str, str]
    payload: dict[str, object]


# --------------------------------------------------------------------------- context


class Actor(ContextComponent):
    """A typed event-context component (stored under ``event_context.components``)."""

    __context_name__: ClassVar[str] = "actor"

    user_id: str
    channel: str
