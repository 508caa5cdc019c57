"""Just enough of PDF to read the text Chromium prints (no PDF library in the requirements): inflate the streams,
map the glyph ids of hex strings in TJ/Tj through the fonts' ToUnicode CMaps. Good for asserting that a word or a
page number is on the page, nothing more."""

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _streams(pdf: bytes):
    for match in _STREAM.finditer(pdf):
        try:
            yield zlib.decompress(match.group(1))
        except zlib.error:
            yield match.group(1)


def pdf_text(pdf: bytes) -> str:
    streams = list(_streams(pdf))
    glyphs = {}
    for data in streams:
        if b"begincmap" not in data:
            continue
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                glyphs[src.decode().upper()] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                width, start = len(lo), int(dst, 16)
                for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    glyphs[f"{code:0{width}X}"] = chr(start + offset)
    text = []
    for data in streams:
        for run in re.findall(rb"\[(.*?)\]\s*TJ|<([0-9A-Fa-f]+)>\s*Tj", data, re.S):
            for chunk in re.findall(rb"<([0-9A-Fa-f]+)>", run[0] or b"<" + run[1] + b">"):
                hexed = chunk.decode().upper()
                text.extend(glyphs.get(hexed[i:i + 4], "") for i in range(0, len(hexed), 4))
            text.append(" ")
    return "".join(text)
