"""Money amounts in licenses and uses: "USD $1,000,000 in annual revenue", "RMB 1 billion",
"$30M monthly revenue", "€4.5M turnover".

Thresholds and uses are compared as annual US-dollar equivalents. The exchange rates are fixed
and approximate (late 2025): they only decide which side of a threshold a use falls on, and where
a currency was converted and the use is within 15% of the threshold the check says the call is
close (agent/check.py), so a rate drift cannot turn a case around silently. Thresholds are shown
in the license's own currency and period (`describe`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_MULT = {"billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}
# currency -> (pattern, USD per unit)
_CURRENCIES = {
    "USD": (r"us\s?\$|usd\s?\$?|\$|us dollars?|dollars?", 1.0),
    "EUR": (r"€|eur\b|euros?", 1.08),
    "GBP": (r"£|gbp\b|pounds? sterling|pounds?", 1.27),
    "CNY": (r"rmb|cny|renminbi|yuan|¥", 0.14),
    "KRW": (r"krw|₩|(?:korean )?won\b", 0.00072),
    "JPY": (r"jpy|yen\b", 0.0066),
}
_NUMBER = r"(\d[\d,]*(?:\.\d+)?)\s*(billion|bn|million|mn|thousand|[bmk]\b)?"
_PREFIXED = re.compile(r"(?P<cur>" + "|".join(p for p, _ in _CURRENCIES.values()) + r")\s?" + _NUMBER, re.I)
_SUFFIXED = re.compile(_NUMBER + r"\s*(?P<cur>" + "|".join(p for p, _ in _CURRENCIES.values()) + r")", re.I)
# "monthly revenue", "$3M every month", "~4M USD/month": "/" needs no word before it ("USD/month")
_MONTHLY = re.compile(r"(?:\b(monthly(?! active| users)|per month|a month|each month|every month|per mo|a mo)\b|"
                      r"/\s?mo(nth)?\b)", re.I)


def parse_amount(number: str, unit: str | None) -> int | None:
    """A count or amount written as digits and an optional scale word ("700", "1.5 million", "30M")."""
    try:
        value = float(number.replace(",", "").rstrip("."))
    except ValueError:
        return None
    return int(value * _MULT.get((unit or "").lower(), 1))


@dataclass
class Money:
    amount: float
    currency: str
    period: str  # "year" | "month"

    @property
    def annual_usd(self) -> int:
        rate = _CURRENCIES[self.currency][1]
        return int(self.amount * rate * (12 if self.period == "month" else 1))


def _currency(symbol: str) -> str:
    for code, (pattern, _) in _CURRENCIES.items():
        if re.fullmatch(pattern, symbol.strip(), re.I):
            return code
    return "USD"


def find_money(text: str, near: str | None = None, window: int = 60) -> Money | None:
    """The first amount of money in `text`; with `near` (a regex), the first one within `window`
    characters of a match of it ("revenue", "turnover")."""
    for start, end, money in amounts(text):
        if near is not None and not re.search(near, text[max(0, start - window):end + window], re.I):
            continue
        return money
    return None


def amounts(text: str) -> list[tuple[int, int, Money]]:
    """Every amount of money in `text`, in order, as (start, end, Money); the period is "month" where a monthly
    word sits next to the amount."""
    candidates = []
    for rx, num_group in ((_PREFIXED, 2), (_SUFFIXED, 1)):
        for m in rx.finditer(text):
            number, unit = m.group(num_group), m.group(num_group + 1)
            try:
                value = float(number.replace(",", "")) * _MULT.get((unit or "").lower(), 1)
            except ValueError:
                continue
            if value > 0:
                candidates.append((m.start(), m.end(), Money(value, _currency(m.group("cur")), "year")))
    candidates.sort(key=lambda c: c[0])
    for start, end, money in candidates:
        # "monthly revenue", "$30M a month": the period sits right next to the amount
        after = re.split(r"[.;]\s", text[end:end + 70])[0]
        # (before and after are searched apart: joined, "~" + "/month" would hide the period's start)
        if (_MONTHLY.search(text[max(0, start - 25):start]) or _MONTHLY.search(after)) and \
                not re.search(r"annual|a year|per year", after, re.I):
            money.period = "month"
    return candidates


# an amount said with a period ("$30M a month", "two million a year", "€4M annually"): money over time
PERIOD = re.compile(r"\b(monthly(?! active| users)|per month|a month|each month|every month|per mo|a mo|"
                    r"annual(ly)?|yearly|a year|per year|per annum|each year|every year)\b|/\s?(mo(nth)?|y(ea)?r)\b", re.I)


CLOSE = 0.15  # relative distance to a threshold within which a converted amount is a close call


def describe(params: dict) -> str:
    """A revenue threshold as the license states it: "RMB 1,000,000,000 a year", "US$20,000,000 a month"."""
    if params.get("currency") or params.get("period") == "month":
        amount, currency = params.get("revenue", params.get("revenue_usd")), params.get("currency", "USD")
        unit = "US$" if currency == "USD" else f"{currency} "
        return f"{unit}{int(amount):,} a {params.get('period', 'year')}"
    return f"US${params['revenue_usd']:,} a year"
