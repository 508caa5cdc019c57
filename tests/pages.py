"""Helpers for view tests that read a page as its reader does."""

import html
import re


def shows(response, reason) -> bool:
    """The page tells the reader this reason: its message (filled-in parts aside) is in the text, as a sentence.
    The code itself is for machines (data-code attributes, the API), never the reader's text."""
    text = html.unescape(response.content.decode() if hasattr(response, "content") else response)
    parts = [part.strip() for part in re.split(r"%\(\w+\)s", str(reason.message)) if part.strip()]
    return bool(parts) and all(part in text for part in parts)


def shows_code(response, code: str) -> bool:
    """shows() for a code of any catalogue (sharing, family, accounts, settlement)."""
    from accounts import reasons as accounts_reasons
    from family import reasons as family_reasons
    from settlement import reasons as settlement_reasons
    from sharing import reasons as sharing_reasons

    for module in (sharing_reasons, family_reasons, accounts_reasons, settlement_reasons):
        reason = getattr(module, code, None)
        if reason is not None:
            return shows(response, reason)
    raise LookupError(code)
