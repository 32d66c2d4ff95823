"""Ranking periods (月 / 季 / 年) and their boundaries.

A period's boundaries come from the rule book: an assessment year may start in
any month (some bureaus run it from 1 November to 31 October). Assessment year
N is the one that ends in calendar year N; its quarters count from its first
month. A month period is always a calendar month.

Codes: "2026" (year), "2026Q3" (quarter), "2026-07" (month).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CHOICES = [
        (MONTH, gettext_lazy("Month")),
        (QUARTER, gettext_lazy("Quarter")),
        (YEAR, gettext_lazy("Year")),
    ]


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> dt.date:
    ny, nm = _add_months(year, month, 1)
    return dt.date(ny, nm, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str
    code: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return _("%(year)s assessment year") % {"year": self.code}
        if self.kind == PeriodKind.QUARTER:
            year, quarter = self.code.split("Q")
            return _("%(year)s quarter %(quarter)s") % {"year": year, "quarter": QUARTER_NAMES[int(quarter)]}
        year, month = self.code.split("-")
        return _("%(year)s month %(month)s") % {"year": year, "month": int(month)}

    def __str__(self):
        return self.code


def year_first_month(year: int, start_month: int) -> tuple[int, int]:
    """(calendar year, month) of the first month of assessment year `year`."""
    return (year, 1) if start_month == 1 else (year - 1, start_month)


# Years a period may name: a crafted 0000Q1 or 9999Q4 would run dates off the
# calendar (date(0, …), date(10000, …)) deep in the standings, an error page.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def period_parse(code: str, *, start_month: int = 1) -> Period:
    """The period a code names; a clear Chinese error for anything else."""
    code = (code or "").strip().upper()
    year = re.match(r"\d{4}", code)
    if year and not FIRST_YEAR <= int(year[0]) <= LAST_YEAR:
        raise _not_a_period(code)
    if match := re.fullmatch(r"(\d{4})", code):
        year = int(match[1])
        fy, fm = year_first_month(year, start_month)
        ly, lm = _add_months(fy, fm, 11)
        return Period(PeriodKind.YEAR, code, dt.date(fy, fm, 1), _month_end(ly, lm))
    if match := re.fullmatch(r"(\d{4})Q([1-4])", code):
        year, quarter = int(match[1]), int(match[2])
        fy, fm = year_first_month(year, start_month)
        qy, qm = _add_months(fy, fm, 3 * (quarter - 1))
        ly, lm = _add_months(qy, qm, 2)
        return Period(PeriodKind.QUARTER, code, dt.date(qy, qm, 1), _month_end(ly, lm))
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", code):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return Period(PeriodKind.MONTH, f"{year}-{month:02d}", dt.date(year, month, 1), _month_end(year, month))
    raise _not_a_period(code)


def _not_a_period(code: str) -> ValidationError:
    return ValidationError(
        _("“%(code)s” is not a period: write a year (2026), a quarter (2026Q3) or a month (2026-07).") % {"code": code}
    )


def assessment_year_of(day: dt.date, *, start_month: int = 1) -> int:
    """The assessment year a day belongs to (named after the calendar year it ends in)."""
    if start_month == 1 or day.month < start_month:
        return day.year
    return day.year + 1


def period_containing(day: dt.date, kind: str, *, start_month: int = 1) -> Period:
    year = assessment_year_of(day, start_month=start_month)
    if kind == PeriodKind.YEAR:
        return period_parse(str(year), start_month=start_month)
    if kind == PeriodKind.MONTH:
        return period_parse(f"{day.year}-{day.month:02d}", start_month=start_month)
    fy, fm = year_first_month(year, start_month)
    months = (day.year * 12 + day.month) - (fy * 12 + fm)
    return period_parse(f"{year}Q{months // 3 + 1}", start_month=start_month)


def year_start(day: dt.date, *, start_month: int = 1) -> dt.date:
    return period_containing(day, PeriodKind.YEAR, start_month=start_month).start


def periods_between(first: dt.date, last: dt.date, kind: str, *, start_month: int = 1) -> list[Period]:
    """Consecutive periods of a kind from the one holding `first` to the one holding `last`."""
    periods, day = [], first
    while day <= last:
        period = period_containing(day, kind, start_month=start_month)
        periods.append(period)
        day = period.end + dt.timedelta(days=1)
    return periods
