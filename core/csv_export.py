"""Every CSV the portal writes goes through here: a cell that a spreadsheet would run as a formula is defused.

A cell beginning with = + - @, a tab or a carriage return is prefixed with an apostrophe (OWASP's advice), so
a name like `=HYPERLINK(…)` typed into the registry or the admin is shown as text when a citizen opens the
file in Excel or WPS. A plain number the portal formats itself ("-12.50") is left as it is.
"""

import csv
import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


class RowWriter:
    """`writerow(cells)` returns one CSV line (for streaming responses) with every cell made safe."""

    def __init__(self):
        self._writer = csv.writer(_Echo())

    def writerow(self, cells) -> str:
        return self._writer.writerow([safe_cell(cell) for cell in cells])
