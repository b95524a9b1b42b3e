"""Banking domain used by ``generate.py`` to write sample stores with ``eventsourcing``.

This module is imported by name (``bankdomain``), so the topics stored by the
library look like ``bankdomain:BankAccount.Opened`` rather than
``__main__:BankAccount.Opened``.

Two aggregate classes share the same behaviour:

* ``BankAccount`` -- the usual ``eventsourcing.domain.Aggregate`` with a UUID id
  (``uuid5(BANK_NAMESPACE, account_number)``, so ids are deterministic).
* ``LegacyAccount`` -- an aggregate whose id is a plain ``str`` (for example
  ``legacy-acct-0001``).  Version 9.5 of ``eventsourcing`` supports text ids
  through ``BaseAggregate[str]`` plus str-typed event and snapshot classes,
  and the SQLite recorder needs ``ORIGINATOR_ID_TYPE=text`` to hand them back
  as text.

Timestamps: every event and snapshot class overrides the library's
``create_timestamp()`` hook with ``CLOCK.now()``, a deterministic clock that
``generate.py`` resets before writing each file.  So event and snapshot
timestamps are fixed, not wall-clock times.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import (
    Aggregate,
    BaseAggregate,
    CanInitAggregate,
    CanMutateAggregate,
    CanSnapshotAggregate,
    MetaDomainEvent,
    event,
)

BANK_NAMESPACE = uuid5(NAMESPACE_URL, "https://eventscope.example/sample-data/bank")


class DeterministicClock:
    """Hands out strictly increasing, timezone-aware UTC datetimes.

    Each call moves the clock on by a pseudo-random 3..180 minutes plus a
    pseudo-random number of microseconds (seeded, so repeatable).
    """

    def __init__(self) -> None:
        self.reset(datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc), seed=0)

    def reset(self, start: datetime, seed: int) -> None:
        self._now = start
        self._rng = random.Random(seed)

    def now(self) -> datetime:
        self._now += timedelta(
            minutes=self._rng.randint(3, 180),
            microseconds=self._rng.randint(0, 999_999),
        )
        return self._now

    def peek(self) -> datetime:
        """The last time handed out (without moving the clock)."""
        return self._now


CLOCK = DeterministicClock()


def _clock_now() -> datetime:
    return CLOCK.now()


def transaction_id(account_number: str, seq: int) -> UUID:
    """Deterministic UUID stored in Deposited/Withdrawn events."""
    return uuid5(BANK_NAMESPACE, f"txn/{account_number}/{seq}")


class InsufficientFundsError(Exception):
    pass


class AccountClosedError(Exception):
    pass


# --------------------------------------------------------------------------
# UUID-id aggregate
# --------------------------------------------------------------------------


class BankAccount(Aggregate):
    """A bank account identified by a UUID (uuid5 of its account number)."""

    class Event(Aggregate.Event):
        create_timestamp = staticmethod(_clock_now)

    class Snapshot(Aggregate.Snapshot):
        create_timestamp = staticmethod(_clock_now)

    @staticmethod
    def create_id(account_number: str) -> UUID:  # type: ignore[override]
        return uuid5(BANK_NAMESPACE, account_number)

    @event("Opened")
    def __init__(
        self,
        account_number: str,
        owner: str,
        currency: str,
        kyc_checked_at: datetime,
    ) -> None:
        self.account_number = account_number
        self.owner = owner
        self.currency = currency
        self.kyc_checked_at = kyc_checked_at
        self.balance = Decimal("0.00")
        self.is_closed = False

    def deposit(self, amount: Decimal, transaction_id: UUID) -> None:
        if self.is_closed:
            raise AccountClosedError(self.id)
        self._deposited(amount=amount, transaction_id=transaction_id)

    @event("Deposited")
    def _deposited(self, amount: Decimal, transaction_id: UUID) -> None:
        self.balance += amount

    def withdraw(self, amount: Decimal, transaction_id: UUID) -> None:
        if self.is_closed:
            raise AccountClosedError(self.id)
        if amount > self.balance:
            raise InsufficientFundsError(self.id)
        self._withdrawn(amount=amount, transaction_id=transaction_id)

    @event("Withdrawn")
    def _withdrawn(self, amount: Decimal, transaction_id: UUID) -> None:
        self.balance -= amount

    @event("Renamed")
    def rename(self, owner: str) -> None:
        self.owner = owner

    @event("Closed")
    def close(self) -> None:
        self.is_closed = True


# --------------------------------------------------------------------------
# str-id aggregate (eventsourcing >= 9.4 supports str aggregate ids)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TextIdDomainEvent(metaclass=MetaDomainEvent):
    originator_id: str
    originator_version: int
    timestamp: datetime

    create_timestamp = staticmethod(_clock_now)


@dataclass(frozen=True)
class TextIdSnapshot(TextIdDomainEvent, CanSnapshotAggregate[str]):
    topic: str
    state: dict[str, Any]


class TextIdAggregate(BaseAggregate[str]):
    @dataclass(frozen=True)
    class Event(TextIdDomainEvent, CanMutateAggregate[str]):
        pass

    @dataclass(frozen=True)
    class Created(Event, CanInitAggregate[str]):
        originator_topic: str

    Snapshot = TextIdSnapshot


class LegacyAccount(TextIdAggregate):
    """Same behaviour as BankAccount, but its id is text, e.g. 'legacy-acct-0001'."""

    @staticmethod
    def create_id(account_number: str) -> str:  # type: ignore[override]
        return f"legacy-acct-{account_number}"

    @event("Opened")
    def __init__(
        self,
        account_number: str,
        owner: str,
        currency: str,
        kyc_checked_at: datetime,
    ) -> None:
        self.account_number = account_number
        self.owner = owner
        self.currency = currency
        self.kyc_checked_at = kyc_checked_at
        self.balance = Decimal("0.00")
        self.is_closed = False

    def deposit(self, amount: Decimal, transaction_id: UUID) -> None:
        if self.is_closed:
            raise AccountClosedError(self.id)
        self._deposited(amount=amount, transaction_id=transaction_id)

    @event("Deposited")
    def _deposited(self, amount: Decimal, transaction_id: UUID) -> None:
        self.balance += amount

    def withdraw(self, amount: Decimal, transaction_id: UUID) -> None:
        if self.is_closed:
            raise AccountClosedError(self.id)
        if amount > self.balance:
            raise InsufficientFundsError(self.id)
        self._withdrawn(amount=amount, transaction_id=transaction_id)

    @event("Withdrawn")
    def _withdrawn(self, amount: Decimal, transaction_id: UUID) -> None:
        self.balance -= amount

    @event("Renamed")
    def rename(self, owner: str) -> None:
        self.owner = owner

    @event("Closed")
    def close(self) -> None:
        self.is_closed = True


# --------------------------------------------------------------------------
# Application
# --------------------------------------------------------------------------


class Banking(Application):
    """One application holding all accounts; snapshots every 5 versions."""

    snapshotting_intervals = {BankAccount: 5, LegacyAccount: 5}  # noqa: RUF012

    def get_account(self, account_id: UUID | str) -> BankAccount | LegacyAccount:
        return self.repository.get(account_id)
