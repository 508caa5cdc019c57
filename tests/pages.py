"""Helpers for view tests that read a page as its reader does."""

import html
import re


def shows(response, reason) -> bool:
    """The page tells the reader this reason: its message (filled-in parts aside) is in the text, as a sentence.
    The code itself is for machines (data-code attributes, the API), never the reader's text."""
    text = html.unescape(response.content.decode() if hasattr(response, "content") else response)
    parts = [part.strip() for part in re.split(r"%\(\w+\)s", str(reason.message)) if part.strip()]
    return bool(parts) and all(part in text for part in parts)
