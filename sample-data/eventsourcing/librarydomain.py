"""Library domain (books lent and returned) for the eventsourcing-sqlalchemy sample.

Imported by name, so stored topics look like ``librarydomain:Book.Registered``.
Book ids are ``uuid5(LIBRARY_NAMESPACE, isbn)``.  Timestamps come from the
same deterministic clock as the banking domain (``bankdomain.CLOCK``).
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bankdomain import _clock_now

LIBRARY_NAMESPACE = uuid5(
    NAMESPACE_URL, "https://eventscope.example/sample-data/library"
)


class BookNotAvailableError(Exception):
    pass


class Book(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(_clock_now)

    class Snapshot(Aggregate.Snapshot):
        create_timestamp = staticmethod(_clock_now)

    @staticmethod
    def create_id(isbn: str) -> UUID:  # type: ignore[override]
        return uuid5(LIBRARY_NAMESPACE, isbn)

    @event("Registered")
    def __init__(self, isbn: str, title: str, author: str) -> None:
        self.isbn = isbn
        self.title = title
        self.author = author
        self.lent_to: str | None = None
        self.due_back: datetime | None = None
        self.times_lent = 0

    def lend(self, to: str, due_back: datetime) -> None:
        if self.lent_to is not None:
            raise BookNotAvailableError(self.id)
        self._lent(to=to, due_back=due_back)

    @event("Lent")
    def _lent(self, to: str, due_back: datetime) -> None:
        self.lent_to = to
        self.due_back = due_back
        self.times_lent += 1

    @event("Returned")
    def return_book(self) -> None:
        self.lent_to = None
        self.due_back = None


class Library(Application):
    """Second application in the SQLAlchemy file.  No snapshotting."""

    def get_book(self, book_id: UUID) -> Book:
        return self.repository.get(book_id)
