"""The table `make bench` prints: one row per measurement, each against its target.

A missed target is flagged in the table and makes the run exit non-zero::

    report = Report("engine")
    report.add("grid value / numpy", ratio, at_most=1.2, unit="×")
    report.add("frames per second", fps, at_least=30, detail="(llvmpipe)")
    return report.finish()  # prints the table; 1 if any target was missed
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    what: str
    measured: float
    limit: float
    at_most: bool  # the target is `measured ≤ limit`, else `measured ≥ limit`
    unit: str
    detail: str

    @property
    def missed(self) -> bool:
        # NaN (a benchmark that produced no number) is a miss, not a pass
        ok = self.measured <= self.limit if self.at_most else self.measured >= self.limit
        return not (ok and math.isfinite(self.measured))

    @property
    def target(self) -> str:
        return f"{'≤' if self.at_most else '≥'} {self.limit:g}{self.unit}"


class Report:
    """Collects rows, prints them aligned, and says whether every target was met."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[Row] = []

    def add(
        self,
        what: str,
        measured: float,
        *,
        at_most: float | None = None,
        at_least: float | None = None,
        unit: str = "",
        detail: str = "",
    ) -> Row:
        """Record one measurement and its target (exactly one of at_most / at_least)."""
        if (at_most is None) == (at_least is None):
            raise ValueError("give exactly one of at_most, at_least")
        limit = at_most if at_most is not None else at_least
        assert limit is not None
        row = Row(what, float(measured), float(limit), at_most is not None, unit, detail)
        self.rows.append(row)
        return row

    @property
    def missed(self) -> list[Row]:
        return [r for r in self.rows if r.missed]

    def format(self) -> str:
        width = max([len(r.what) for r in self.rows] + [len("benchmark")])
        lines = [f"== {self.title} ==", f"{'benchmark':<{width}}  {'measured':>9}  target"]
        for r in self.rows:
            flag = "MISSED " if r.missed else ""
            lines.append(
                f"{r.what:<{width}}  {r.measured:>9.3g}  {flag}{r.target}  {r.detail}".rstrip()
            )
        if self.missed:
            lines.append(f"{len(self.missed)} of {len(self.rows)} targets MISSED")
        return "\n".join(lines)

    def finish(self) -> int:
        """Print the table; the process exit status: 1 when any target was missed."""
        print(self.format(), flush=True)
        return 1 if self.missed else 0
