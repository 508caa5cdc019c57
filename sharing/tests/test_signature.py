import pytest
from django.core.exceptions import ValidationError

from sharing.signature import MAX_BYTES, signature_from_data_url
from sharing.tests.pngs import data_url, png


def test_accepts_a_drawn_png():
    data, mime = signature_from_data_url(data_url(png()))
    assert mime == "image/png" and data.startswith(b"\x89PNG")


def test_accepts_a_plain_svg():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M0 0L10 10"/></svg>'
    assert signature_from_data_url(data_url(svg, "image/svg+xml"))[1] == "image/svg+xml"


@pytest.mark.parametrize("value, code", [
    ("", "signature_empty"),
    (data_url(png(ink=False)), "signature_empty"),
    (data_url(b"GIF89a" + b"\x00" * 20), "signature_invalid"),
    (data_url(png(crc_ok=False)), "signature_invalid"),
    (data_url(png()[:30]), "signature_invalid"),
    (data_url(png(), "image/jpeg"), "signature_invalid"),
    ("data:text/html;base64,PHNjcmlwdD4=", "signature_invalid"),
    (data_url(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><path d="M0 0"/></svg>',
              "image/svg+xml"), "signature_invalid"),
    (data_url(b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><path d="M0 0"/></svg>', "image/svg+xml"),
     "signature_invalid"),
    (data_url(b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_BYTES + 1)), "signature_too_large"),
    (data_url(png(width=5000)), "signature_invalid"),
])
def test_refuses_what_is_not_a_signature_image(value, code):
    with pytest.raises(ValidationError) as error:
        signature_from_data_url(value)
    assert error.value.code == code
