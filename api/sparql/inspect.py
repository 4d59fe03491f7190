"""Look at a SPARQL request's text without running it: is it an update, does it use SERVICE?

The check works on tokens, after removing comments, string literals and IRIs, so that ``"SERVICE"`` in a string,
``<http://x/service>`` or ``?service`` never trigger it, while every real ``SERVICE`` keyword does.
"""

from __future__ import annotations

import functools
import re

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-.]*(?::[^\s{}()\[\];,]*)?|:[^\s{}()\[\];,]*)
  | (?P<other>\S)
    """,
    re.VERBOSE,
)

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
"""Words that start a SPARQL Update operation (after the prologue)."""
QUERY_KEYWORDS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})


def keywords(text: str) -> list[str]:
    """The bare words of a request (upper-cased), without comments, strings, IRIs, variables and prefixed names."""
    out = []
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "word" and ":" not in m.group():
            out.append(m.group().upper())
    return out


MEMO_MAX_CHARS = 4096
"""Requests up to this length have their inspection remembered (portals send the same queries again and again)."""


def inspect(text: str) -> tuple[bool, bool]:
    """``(is_update, uses_service)`` of a request, from one pass over its tokens."""
    return _inspect(text) if len(text) <= MEMO_MAX_CHARS else _inspect.__wrapped__(text)


@functools.lru_cache(maxsize=1024)
def _inspect(text: str) -> tuple[bool, bool]:
    words = keywords(text)
    first = next((w for w in words if w not in ("BASE", "PREFIX")), None)
    return first in UPDATE_KEYWORDS, "SERVICE" in words


def is_update(text: str) -> bool:
    """Whether the text is a SPARQL Update request: its first keyword after BASE/PREFIX is an update operation."""
    return inspect(text)[0]


def uses_service(text: str) -> bool:
    """Whether the query contains a SERVICE clause (federated query)."""
    return inspect(text)[1]
