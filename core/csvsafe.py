"""CSV cells a spreadsheet will not run as formulas: a cell beginning with = + - @ (or a tab or carriage return,
which some spreadsheets skip before looking) gets a leading apostrophe. Every CSV the portal writes uses this."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(values) -> list[str]:
    return [csv_cell(v) for v in values]
