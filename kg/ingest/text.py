"""Turn uploaded bytes into text the way spreadsheets and QDA tools write it, or say exactly why not."""

from __future__ import annotations

import codecs

from kg.ingest.problems import Collector

DEFAULT_MAX_BYTES = 5_000_000
"""The default size limit of one input file (the API's ``max_upload_bytes``)."""


def check_size(data: bytes, out: Collector, max_bytes: int) -> bool:
    """Record a problem if the input is empty or larger than ``max_bytes``."""
    if len(data) > max_bytes:
        out.add(None, "size", f"the file is {len(data):,} bytes", f"at most {max_bytes:,} bytes")
        return False
    if not data.lstrip(codecs.BOM_UTF8).strip():
        out.add(1, None, "the file is empty", "a study file, coding sheet or codebook")
        return False
    return True


def decode(data: bytes, out: Collector) -> str | None:
    """Decode UTF-8 (with or without a byte-order mark) or BOM-marked UTF-16; name the position of a bad byte."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            out.add(1, "byte-order mark",
                    f"the file starts with a UTF-16 byte-order mark but is not UTF-16 ({e.reason})",
                    "UTF-8 text")
            return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        out.add(line, None, "the file contains NUL bytes: it is binary (a spreadsheet workbook?), not text",
                "UTF-8 text; in a spreadsheet, save as 'CSV UTF-8'")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        out.add(line, f"column {col}", f"byte 0x{data[e.start]:02X} is not UTF-8 (the file looks like Latin-1 or "
                f"Windows-1252)", "UTF-8 text; in a spreadsheet, save as 'CSV UTF-8'")
        return None
