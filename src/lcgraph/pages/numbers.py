"""Numbers as a reader wants them: three significant digits, the page's decimal mark.

`0.05581822557753659` is shown as `0.0558` (nl: `0,0558`); integers stay as they are; the
page keeps the full value in a tooltip and the RDF twins keep the literal unchanged.
"""

from __future__ import annotations

import math

from lcgraph.iris import XSD

ROUNDED = {XSD + "double", XSD + "float", XSD + "decimal"}
SIGNIFICANT = 3


def short_number(text: str, datatype: str, lang: str) -> str | None:
    """The shown form of a double, float or decimal literal; None for anything else."""
    if datatype not in ROUNDED:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    shown = _rounded(number)
    return shown.replace(".", ",") if lang == "nl" else shown


def _rounded(number: float) -> str:
    if number == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(number)))
    if magnitude < -4:  # 0.0000123: a mantissa reads better than zeros
        return f"{number:.{SIGNIFICANT - 1}e}"
    decimals = max(0, SIGNIFICANT - 1 - magnitude)  # all integer digits, never an exponent
    shown = f"{number:.{decimals}f}"
    return shown.rstrip("0").rstrip(".") if "." in shown else shown
