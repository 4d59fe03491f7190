"""Read a CSV coding sheet: a study header of ``field,value`` rows, a blank row, then one row per factor mention.

Spreadsheets write commas, semicolons (in locales with a decimal comma) or tabs, sometimes with an Excel
``sep=;`` first line; all are accepted. See ``kg/templates/coding-sheet.csv``.
"""

from __future__ import annotations

import csv
import io

from kg.ingest.draft import HEADER_FIELDS, MENTION_FIELDS, Draft, Loc, canonical_field, read_header, read_mention
from kg.ingest.problems import Collector
from kg.ingest.vocab import norm

DELIMITERS = (",", ";", "\t")


def column_letter(i: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _delimiter(lines: list[str]) -> tuple[str, int]:
    """The delimiter, and how many leading lines to skip (an Excel ``sep=`` line)."""
    first = next((ln for ln in lines if ln.strip()), "")
    if first.lower().startswith("sep=") and len(first.strip()) == 5:
        return first.strip()[4], 1
    # The mentions heading row has the most columns; pick the delimiter that splits it widest.
    best, width = ",", 0
    for d in DELIMITERS:
        w = max((len(next(csv.reader([ln], delimiter=d))) for ln in lines[:200] if ln.strip()), default=0)
        if w > width:
            best, width = d, w
    return best, 0


def _rows(text: str) -> tuple[list[tuple[int, list[str]]], str]:
    """The records with the line each starts on."""
    lines = text.splitlines()
    delim, skip = _delimiter(lines)
    body = "\n".join(lines[skip:])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delim, strict=False)
    out = []
    prev = 0
    for rec in reader:
        out.append((prev + 1 + skip, rec))
        prev = reader.line_num
    return out, delim


def _is_heading(cells: list[str]) -> bool:
    """The mentions table's heading row: at least three cells name mention columns."""
    names = {canonical_field(c, MENTION_FIELDS) for c in cells if c.strip()} - {None}
    return len(names) >= 3


def read(text: str, out: Collector, places: dict) -> Draft | None:
    """Read a coding sheet into a Draft, recording every problem."""
    # A long quote cell is no reason to refuse a sheet: the file's size limit bounds every field.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        rows, delim = _rows(text)
    except csv.Error as e:
        out.add(None, "delimiter", f"not a CSV file: {e}", "comma-, semicolon- or tab-separated values")
        return None
    heading_at = next((i for i, (_, cells) in enumerate(rows) if _is_heading(cells)), None)
    if heading_at is None:
        out.add(None, "heading row", "no mentions table: no row has the column headings (label, dimension, role, …)",
                "a heading row: " + ", ".join(MENTION_FIELDS))
        return None
    header: dict[str, tuple[str, Loc]] = {}
    for line, cells in rows[:heading_at]:
        cells = [c.strip() for c in cells]
        if not any(cells) or (norm(cells[0]) == "field" and len(cells) > 1 and norm(cells[1]) == "value"):
            continue
        f = canonical_field(cells[0], HEADER_FIELDS)
        if f is None:
            out.add(line, "A", f"unknown study header field {cells[0]!r}", "one of " + ", ".join(HEADER_FIELDS))
            continue
        if f in header:
            out.add(line, "A", f"the study header gives {f} twice (also on line {header[f][1].line})",
                    "each header field once")
            continue
        extra = [c for c in cells[2:] if c]
        if extra:
            out.add(line, "C", f"the header row for {f} has more than one value", "field,value")
        header[f] = (cells[1] if len(cells) > 1 else "", Loc(line, "B"))
    head_line, head_cells = rows[heading_at]
    columns: dict[str, int] = {}
    shown: dict[str, str] = {}
    for i, c in enumerate(head_cells):
        if not c.strip():
            continue
        f = canonical_field(c, MENTION_FIELDS)
        if f is None:
            out.add(head_line, column_letter(i), f"unknown column {c.strip()!r}", "one of " + ", ".join(MENTION_FIELDS))
        elif f in columns:
            out.add(head_line, column_letter(i), f"column {f!r} appears twice", "each column once")
        else:
            columns[f] = i
            shown[f] = f"{column_letter(i)} ({c.strip()})"
    for f, (required, _) in MENTION_FIELDS.items():
        if required and f not in columns:
            out.add(head_line, None, f"the mentions table has no {f!r} column", "columns " + ", ".join(
                k for k, (r, _) in MENTION_FIELDS.items() if r))
    if delim == "," and len(head_cells) == 1 and ";" in head_cells[0]:
        out.add(head_line, None, "the heading row is one cell with semicolons", "one delimiter for the whole file")
    h = read_header(header, out, places)
    mentions = []
    for line, cells in rows[heading_at + 1:]:
        if not any(c.strip() for c in cells):
            continue
        before = len(out.problems)
        longer = len(cells) > len(head_cells)
        values = {f: (cells[i] if i < len(cells) else "") for f, i in columns.items()}
        if h is not None and "study" in columns and values["study"].strip() and values["study"].strip() != h.key:
            out.add(line, shown["study"], f"the row names study {values['study'].strip()!r}, the header {h.key!r}",
                    f"study key {h.key!r} on every row (one study per sheet)")
        m = read_mention(values, Loc(line, None), out, field_name=shown)
        if longer and (len(out.problems) > before or any(c.strip() for c in cells[len(head_cells):])):
            out.add(line, column_letter(len(head_cells)), f"the row has {len(cells)} cells but the heading has "
                    f"{len(head_cells)}", f"as many cells as headings (quote cells that contain {delim!r})")
        if m is not None:
            mentions.append(m)
    if not mentions and not out.problems:
        out.add(head_line + 1, None, "the mentions table has no rows", "one row per factor mention")
    if h is None or out.problems:
        return None
    for m in mentions:
        m.loc = Loc(m.loc.line, None)
    return Draft(h, mentions)
