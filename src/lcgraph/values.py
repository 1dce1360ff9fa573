"""Check a source value against the XSD datatype of its column; read Dutch numbers, dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from lcgraph.iris import XSD


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_decimal(value: str) -> bool:
    return re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value) is not None


_CHECKS: dict[str, tuple[Callable[[str], bool], str]] = {
    XSD + "string": (lambda v: True, "text"),
    XSD + "integer": (lambda v: re.fullmatch(r"[+-]?\d+", v) is not None, "an integer"),
    XSD + "nonNegativeInteger": (
        lambda v: re.fullmatch(r"\+?\d+", v) is not None,
        "a whole number >= 0",
    ),
    XSD + "decimal": (_is_decimal, "a decimal number such as 12.5"),
    XSD + "boolean": (lambda v: v in {"true", "false"}, "true or false"),
    XSD + "date": (_is_date, "a date YYYY-MM-DD"),
    XSD + "gYear": (lambda v: re.fullmatch(r"\d{4}", v) is not None, "a year YYYY"),
    XSD + "anyURI": (
        lambda v: re.fullmatch(r"[a-z][a-z0-9+.-]*:\S+", v) is not None,
        "an absolute URI",
    ),
}


def check_value(datatype: str, value: str) -> str | None:
    """None when `value` is a valid lexical form of `datatype`, else what was expected.

    A datatype without a check here is refused, so a typo in a mapping cannot pass silently.
    """
    check = _CHECKS.get(datatype)
    if check is None:
        return f"a supported datatype in the mapping, not <{datatype}>"
    valid, expected = check
    return None if valid(value) else expected


def supported_datatypes() -> list[str]:
    return sorted(_CHECKS)


# Dutch notation: `.` groups thousands, `,` is the decimal mark; a euro sign may lead.
_DUTCH = re.compile(r"(?:€\s?)?([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?")


def dutch_number(text: str) -> str | None:
    """`1.238.920,50` (or `€ 1.238.920`) as the xsd:decimal `1238920.50`; None if unreadable."""
    found = _DUTCH.fullmatch(text)
    if found is None:
        return None
    sign, whole, fraction = found.groups()
    number = sign + whole.replace(".", "")
    return f"{number}.{fraction}" if fraction else number


def formatted_date(text: str, form: str) -> str | None:
    """A date written as `form` (strptime, e.g. `%d.%m.%Y`) as YYYY-MM-DD; None if unreadable."""
    try:
        return datetime.strptime(text, form).date().isoformat()
    except ValueError:
        return None


def date_example(form: str) -> str:
    """How `form` writes 15 April 2009, for messages."""
    return datetime(2009, 4, 15).strftime(form)
