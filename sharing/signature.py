"""Server-side checks of a drawn signature: a PNG (or a plain SVG) data URL, size-limited, really an image.

No Pillow: the PNG is checked by its structure (signature, IHDR, chunk CRCs, IEND) and its pixel data is
inflated (bounded) to make sure something was drawn at all.
"""

import base64
import binascii
import re
import struct
import zlib
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 200 * 1024
MAX_SIDE = 4000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_DATA_URL = re.compile(r"^data:(image/png|image/svg\+xml);base64,([A-Za-z0-9+/=\s]+)$")
_SVG_FORBIDDEN = {"script", "foreignObject", "iframe", "image", "use", "a"}

INVALID = _("The drawn signature could not be read. Clear it and sign again, or type your full name instead.")
EMPTY = _("The signature area is empty. Sign with your finger or mouse, or type your full name instead.")
TOO_LARGE = _("The drawn signature is too large. Clear it and sign again, or type your full name instead.")


def _png_is_valid(data: bytes) -> bool:
    if not data.startswith(PNG_MAGIC):
        raise ValidationError(INVALID, code="signature_invalid")
    pos, idat, width, height, seen_end = 8, [], 0, 0, False
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(body) != length or len(crc) != 4 or zlib.crc32(kind + body) != struct.unpack(">I", crc)[0]:
            raise ValidationError(INVALID, code="signature_invalid")
        if pos == 8:
            if kind != b"IHDR" or length != 13:
                raise ValidationError(INVALID, code="signature_invalid")
            width, height = struct.unpack(">II", body[:8])
            if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
                raise ValidationError(INVALID, code="signature_invalid")
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            seen_end = True
            break
        pos += 12 + length
    if not seen_end or not idat:
        raise ValidationError(INVALID, code="signature_invalid")
    try:
        pixels = zlib.decompressobj().decompress(b"".join(idat), 64 * 1024 * 1024)
    except zlib.error:
        raise ValidationError(INVALID, code="signature_invalid") from None
    # An untouched transparent canvas inflates to zeros only (filter bytes and pixels).
    if not pixels.strip(b"\x00"):
        raise ValidationError(EMPTY, code="signature_empty")
    return True


def _svg_is_valid(data: bytes) -> bool:
    text = data.decode("utf-8", errors="strict")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ValidationError(INVALID, code="signature_invalid")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        raise ValidationError(INVALID, code="signature_invalid") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise ValidationError(INVALID, code="signature_invalid")
    drawn = 0
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in _SVG_FORBIDDEN or any(a.rsplit("}", 1)[-1].lower().startswith("on") or "href" in a
                                         for a in element.attrib):
            raise ValidationError(INVALID, code="signature_invalid")
        drawn += name in {"path", "circle", "line", "polyline", "ellipse"}
    if not drawn:
        raise ValidationError(EMPTY, code="signature_empty")
    return True


def signature_from_data_url(value: str) -> tuple[bytes, str]:
    """(image bytes, MIME type) of a valid signature data URL, else ValidationError."""
    match = _DATA_URL.match((value or "").strip())
    if not match:
        raise ValidationError(EMPTY if not value else INVALID, code="signature_empty" if not value else
                              "signature_invalid")
    if len(match.group(2)) > MAX_BYTES * 4 // 3 + 8:
        raise ValidationError(TOO_LARGE, code="signature_too_large")
    try:
        data = base64.b64decode(match.group(2), validate=False)
    except (binascii.Error, ValueError):
        raise ValidationError(INVALID, code="signature_invalid") from None
    if len(data) > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="signature_too_large")
    mime = match.group(1)
    try:
        (_png_is_valid if mime == "image/png" else _svg_is_valid)(data)
    except UnicodeDecodeError:
        raise ValidationError(INVALID, code="signature_invalid") from None
    return data, mime
