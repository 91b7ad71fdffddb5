"""Counts per value and per day as one numpy array (values × days), so a period's totals and its weekly or
monthly buckets are a slice and a sum, whatever the period's length; days can be replaced when records change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .queries import bucket_of


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class DayTable:
    first: dt.date | None = None  # the day of column 0
    values: list[str] = field(default_factory=list)  # the row of each value
    counts: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, int]]) -> DayTable:
        """From (day 'YYYY-MM-DD', value, count) rows, as the database grouped them."""
        table = cls()
        table.add(list(rows))
        return table

    @property
    def days(self) -> int:
        return int(self.counts.shape[1])

    def _cover(self, first: dt.date, last: dt.date) -> None:
        """Widen the columns to hold first..last."""
        if self.first is None:
            self.first = first
            self.counts = np.zeros((len(self.values), (last - first).days + 1), dtype=np.int64)
            return
        before = max(0, (self.first - first).days)
        after = max(0, (last - self.first).days + 1 - self.days)
        if before or after:
            self.counts = np.pad(self.counts, ((0, 0), (before, after)))
            self.first = min(self.first, first)

    def _row(self, value: str) -> int:
        try:
            return self.values.index(value)
        except ValueError:
            self.values.append(value)
            self.counts = np.vstack([self.counts, np.zeros((1, self.days), dtype=np.int64)])
            return len(self.values) - 1

    def add(self, rows: list[tuple[str, str, int]]) -> None:
        if not rows:
            return
        days = [_day(day) for day, _value, _n in rows]
        self._cover(min(days), max(days))
        assert self.first is not None
        for day, (_text, value, n) in zip(days, rows, strict=True):
            row = self._row(value)  # first: a new value replaces the array
            self.counts[row, (day - self.first).days] += n

    def replace_days(self, days: Iterable[str], rows: list[tuple[str, str, int]]) -> None:
        """The counts of these days, and only these, become the given rows (records changed on those days)."""
        if self.first is not None:
            for text in days:
                column = (_day(text) - self.first).days
                if 0 <= column < self.days:
                    self.counts[:, column] = 0
        self.add(rows)

    def _columns(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        assert self.first is not None
        return max(0, (start - self.first).days), min(self.days, (end - self.first).days + 1)

    def totals(self, start: dt.date, end: dt.date) -> dict[str, int]:
        """Each value's count over start..end (both included), values with none left out."""
        if self.first is None:
            return {}
        lo, hi = self._columns(start, end)
        if lo >= hi:
            return {}
        sums = self.counts[:, lo:hi].sum(axis=1)
        return {value: int(n) for value, n in zip(self.values, sums, strict=True) if n}

    def per_bucket(self, start: dt.date, end: dt.date, bucket: str) -> dict[tuple[str, str], int]:
        """{(bucket start, value): count} over start..end, for buckets with a count."""
        if self.first is None:
            return {}
        lo, hi = self._columns(start, end)
        if lo >= hi:
            return {}
        # Buckets are runs of consecutive days: sum each run with one reduceat.
        labels = [bucket_of(self.first + dt.timedelta(days=c), bucket).isoformat() for c in range(lo, hi)]
        starts = [0] + [i for i in range(1, len(labels)) if labels[i] != labels[i - 1]]
        sums = np.add.reduceat(self.counts[:, lo:hi], starts, axis=1)
        found: dict[tuple[str, str], int] = {}
        for row, value in enumerate(self.values):
            for column, index in enumerate(starts):
                n = int(sums[row, column])
                if n:
                    found[(labels[index], value)] = n
        return found
