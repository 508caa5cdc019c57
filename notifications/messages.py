"""Texts of in-site messages that are rendered when they are read, in the reader's language.

A caller writes its text as it would with gettext (`_("%(name)s agreed") % params`, `a + b`), but with `message`
in place of `_`: the result keeps the English msgid and the parameters (`to_json`) instead of a text in the
language of whoever happened to cause the message. `render()` (and `str()`) translates it in the active language.
A parameter may itself be a message, a lazy translation (a choice label) or a list of messages (joined)."""

from django.utils.functional import Promise
from django.utils.translation import gettext


class Message:
    def __init__(self, msgid: str, params: dict | None = None, parts: list | None = None):
        self.msgid, self.params, self.parts = msgid, params or {}, parts

    def __mod__(self, params: dict) -> "Message":
        return Message(self.msgid, {**self.params, **params})

    def __add__(self, other) -> "Message":
        return Message("", parts=[*(self.parts or [self]), other])

    def __radd__(self, other) -> "Message":
        return Message("", parts=[other, *(self.parts or [self])])

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        if self.parts is not None:
            return "".join(_render(part) for part in self.parts)
        text = gettext(self.msgid)
        if not self.params:
            return text
        values = {key: _render(value) for key, value in self.params.items()}
        try:
            return text % values
        except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: the English text
            return self.msgid % values

    def to_json(self) -> dict:
        if self.parts is not None:
            return {"parts": [_to_json(part) for part in self.parts]}
        return {"msgid": self.msgid, "params": {key: _to_json(value) for key, value in self.params.items()}}

    @classmethod
    def from_json(cls, data) -> "Message | str":
        if isinstance(data, dict) and "parts" in data:
            return cls("", parts=[cls.from_json(part) for part in data["parts"]])
        if isinstance(data, dict) and "msgid" in data:
            return cls(data["msgid"], {key: cls.from_json(value) for key, value in data.get("params", {}).items()})
        if isinstance(data, dict) and "join" in data:
            return MessageList([cls.from_json(item) for item in data["join"]])
        return data


class MessageList(list):
    """Several messages shown as one parameter, joined in the reader's language."""

    def render(self) -> str:
        return gettext("; ").join(_render(item) for item in self)

    def __str__(self) -> str:
        return self.render()


def message(msgid: str) -> Message:
    """Use as `_` in code that writes in-site messages (xgettext still finds the msgid)."""
    return Message(msgid)


def _lazy_msgid(value: Promise) -> str | None:
    args = getattr(value, "_args", None)
    return args[0] if args and isinstance(args[0], str) and len(args) == 1 else None


def _to_json(value):
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, MessageList):
        return {"join": [_to_json(item) for item in value]}
    if isinstance(value, Promise):
        msgid = _lazy_msgid(value)
        return {"msgid": msgid, "params": {}} if msgid is not None else str(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return str(value)


def _render(value) -> str:
    if isinstance(value, (Message, MessageList)):
        return value.render()
    return "" if value is None else str(value)


def from_lazy(text, values: dict | None = None):
    """A lazy translation (gettext_lazy), with its placeholders filled, as a message; any other text as it is."""
    msgid = _lazy_msgid(text) if isinstance(text, Promise) else None
    if msgid is None:
        return str(text) % values if values else text
    return Message(msgid, values)


def as_json(text) -> dict | str:
    """What a Notification stores of a title or body: the message, or the plain text a caller passed."""
    return _to_json(text)


def render_stored(data, fallback: str) -> str:
    """The stored message in the active language; the text saved at sending for rows from before messages."""
    if not data:
        return fallback
    found = Message.from_json(data)
    try:
        return _render(found)
    except Exception:  # noqa: BLE001 - an unreadable stored message must not break the inbox
        return fallback
