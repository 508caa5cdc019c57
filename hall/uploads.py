"""A printed commitment letter, signed on paper and scanned: PDF, JPEG or PNG, judged by its content (magic bytes),
never by its name or the browser's claimed type; size-limited; kept in the database with its SHA-256."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_SCAN_BYTES = 5 * 1024 * 1024
_MAGIC = [(b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png")]


def scanned_letter(upload) -> tuple[bytes, str]:
    """(bytes, MIME type) of a valid scan, else ValidationError."""
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(_("The scan is larger than 5 MB. Scan it again at a lower resolution."),
                              code="scan_too_large")
    data = upload.read(MAX_SCAN_BYTES + 1)
    if len(data) > MAX_SCAN_BYTES:
        raise ValidationError(_("The scan is larger than 5 MB. Scan it again at a lower resolution."),
                              code="scan_too_large")
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            if mime == "application/pdf" and b"%%EOF" not in data[-1024:]:
                break
            return data, mime
    raise ValidationError(_("The file is not a PDF, JPEG or PNG scan. Scan the signed letter again."),
                          code="scan_invalid")
