"""The deployment guide's settings table is the server's: every setting, its environment variable, its default."""

from __future__ import annotations

import re
from pathlib import Path

from api.config import Settings

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "README.md"
ROW = re.compile(r"^\| `(EGOVKG_[A-Z0-9_]+)` \| (.+?) \| (.+) \|$")


def documented() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if m := ROW.match(line):
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def shown(default: object) -> str:
    if default is None:
        return "unset"
    if isinstance(default, bool):
        return "`true`" if default else "`false`"
    return f"`{default}`"


def test_every_setting_is_documented_with_its_default() -> None:
    rows = documented()
    fields = Settings.model_fields
    assert len(fields) >= 20, "the settings were found"
    for name, info in fields.items():
        var = f"EGOVKG_{name.upper()}"
        assert var in rows, f"{var} is missing from {GUIDE.name}'s settings table"
        default, text = rows[var]
        assert default == shown(info.default), f"{var}: documented default {default}, the code's {info.default!r}"
        assert info.description and text.strip(), f"{var}: a description in the code and in the guide"


def test_the_table_documents_no_setting_the_server_lacks() -> None:
    known = {f"EGOVKG_{n.upper()}" for n in Settings.model_fields} | {"EGOVKG_BASE_IRI"}  # kg.config reads the base
    extra = sorted(set(documented()) - known)
    assert not extra, f"documented but not read by the server: {extra}"
