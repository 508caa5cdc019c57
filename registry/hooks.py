"""Narrow hooks through which the floors above the registry react to its changes.

The registry is the bottom floor, yet a registry change matters above it: a new employee-insured person needs a
personal account (ledger), and a changed enrollment may break or mend sharing bindings (sharing). Those apps
register here when Django starts (their AppConfig.ready); the registry calls them without importing them.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Protocol


class AccountKeeper(Protocol):
    def balances(self, person_ids: list[int]) -> dict[int, Decimal]:
        """The current balance of each of these persons that has a personal account."""

    def open(self, *, person, opening_balance: Decimal) -> None:
        """Open a personal account for an employee-insured person."""

    def open_many(self, items: list[tuple]) -> None:
        """Open accounts for many new (person, opening balance) pairs at once."""


_account_keeper: AccountKeeper | None = None
_enrollment_changed: list[Callable] = []


def register_account_keeper(keeper: AccountKeeper) -> None:
    global _account_keeper
    _account_keeper = keeper


def account_keeper() -> AccountKeeper | None:
    return _account_keeper


def on_enrollment_changed(callback: Callable) -> None:
    """`callback(person=…, actor=…)` runs after a person's status, pooling region or insurance type changed."""
    if callback not in _enrollment_changed:
        _enrollment_changed.append(callback)


def enrollment_changed(*, person, actor=None) -> None:
    for callback in _enrollment_changed:
        callback(person=person, actor=actor)
