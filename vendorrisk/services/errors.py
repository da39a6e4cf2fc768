"""Errors a service raises for the caller to show; never a half-written change."""
from __future__ import annotations


class ServiceError(Exception):
    """Something the user asked for cannot be done; `message` says why and what to do."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(ServiceError):
    status = 400


class Forbidden(ServiceError):
    """The actor's role may not do this (services.permissions)."""

    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class StaleEdit(Conflict):
    """The row changed since the user loaded it: saving would overwrite
    someone else's work. `changes` lists (field, theirs, yours) as shown text."""

    def __init__(self, noun: str, changes: list[tuple[str, str, str]]) -> None:
        listed = "; ".join(f"{name}: '{theirs}' (yours: '{yours}')" for name, theirs, yours in changes)
        super().__init__(f"Someone else changed this {noun} since you opened it"
                         + (f": {listed}." if listed else ".") + " Review and save again.")
        self.changes = changes
