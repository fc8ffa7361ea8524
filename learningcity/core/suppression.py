"""Small-number suppression for public figures.

Primary suppression: every count under the threshold (5), zero included, is shown as "<5".

Complementary suppression: a table is described by its cells and its *lines*: a line says "these cells add up to
that total" (a row of a table with its row total, a column with its column total, the sexes with the city total,
the hamlets of a ward with the ward...). When a reader sees a total and all but one cell of a line, they subtract
back to the hidden one. So for every line whose total is shown, the suppressed cells of the line must be

- none, or at least two;
- together at least the threshold (two hidden cells of 0 and 3 under a shown total of 3 would still tell that
  the group is tiny);
- not pinned by the "<5" labels: hidden cells that are all under the threshold and add up to exactly
  n x (threshold - 1) would each be known to be 4, so one bigger cell must be hidden with them.

When a line breaks a rule, the smallest shown cell of the line is hidden too (or, if none is left, its total).
Hiding a cell can break another line in which it is a member or the total, so the rules run until nothing
changes. This is the classic line-by-line heuristic for tables with margins: it never leaves a line with a
single hidden cell and it terminates because cells are only ever added.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

THRESHOLD = 5
SUPPRESSED_LABEL = "<5"

Key = Hashable


@dataclass
class Line:
    total: Any
    members: list[Any]


@dataclass
class SuppressionResult:
    values: dict[Key, int | float | None]
    primary: set[Key] = field(default_factory=set)
    complementary: set[Key] = field(default_factory=set)

    @property
    def suppressed(self) -> set[Key]:
        return self.primary | self.complementary

    def is_suppressed(self, key: Key) -> bool:
        return key in self.primary or key in self.complementary

    def shown(self, key: Key) -> int | float | None:
        """The value a public reader may see: None when suppressed."""
        return None if self.is_suppressed(key) else self.values.get(key)


def is_primary(value: int | float | None, threshold: int = THRESHOLD) -> bool:
    return value is not None and value < threshold


def suppress(
    values: Mapping[Any, int | float | None],
    lines: Iterable[Line] = (),
    *,
    threshold: int = THRESHOLD,
) -> SuppressionResult:
    """Primary and complementary suppression of one table of counts (see the module's doc)."""
    values = dict(values)
    lines = [line for line in lines if line.total in values]
    primary = {k for k, v in values.items() if is_primary(v, threshold)}
    hidden = set(primary)

    def size(key: Key) -> float:
        v = values.get(key)
        return -1 if v is None else float(v)

    def line_ok(line: Line) -> bool:
        members = [m for m in line.members if m in values]
        if line.total in hidden:
            return True
        hidden_members = [m for m in members if m in hidden]
        if not hidden_members:
            return True
        if len(hidden_members) < 2:
            return False
        total_hidden = sum(max(size(m), 0) for m in hidden_members)
        if total_hidden < threshold:
            return False
        return not (
            all(m in primary for m in hidden_members)
            and total_hidden >= len(hidden_members) * (threshold - 1)
        )

    changed = True
    guard = 0
    while changed and guard < 10_000:
        changed = False
        guard += 1
        for line in lines:
            if line_ok(line):
                continue
            members = [m for m in line.members if m in values]
            candidates = sorted((m for m in members if m not in hidden), key=lambda m: (size(m), str(m)))
            hidden.add(candidates[0] if candidates else line.total)
            changed = True
    return SuppressionResult(values=values, primary=primary, complementary=hidden - primary)


def one_way_lines(total: Key, members: Iterable[Key]) -> list[Line]:
    return [Line(total=total, members=list(members))]


def two_way_lines(
    rows: Iterable[Hashable],
    cols: Iterable[Hashable],
    *,
    cell=lambda r, c: (r, c),
    row_total=None,
    col_total=None,
) -> list[Line]:
    """Lines of a cross table with margins: each row with its row total, each column with its column total,
    and the margins with the grand total. Keys: cell(r, c); row totals cell(r, None); column totals
    cell(None, c); grand total cell(None, None)."""
    rows, cols = list(rows), list(cols)
    row_total = row_total or (lambda r: cell(r, None))
    col_total = col_total or (lambda c: cell(None, c))
    grand = cell(None, None)
    lines = [Line(total=row_total(r), members=[cell(r, c) for c in cols]) for r in rows]
    lines += [Line(total=col_total(c), members=[cell(r, c) for r in rows]) for c in cols]
    lines.append(Line(total=grand, members=[row_total(r) for r in rows]))
    lines.append(Line(total=grand, members=[col_total(c) for c in cols]))
    return lines


def display(value: int | float | None, suppressed: bool) -> str:
    if suppressed:
        return SUPPRESSED_LABEL
    if value is None:
        return ""
    return str(value)
