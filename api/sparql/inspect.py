"""Look at a SPARQL request's text without running it: is it an update, does it use SERVICE?

The check works on tokens, after removing comments, string literals and IRIs, so that ``"SERVICE"`` in a string,
``<http://x/service>`` or ``?service`` never trigger it, while every real ``SERVICE`` keyword does.
"""

from __future__ import annotations

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


def is_update(text: str) -> bool:
    """Whether the text is a SPARQL Update request: its first keyword after BASE/PREFIX is an update operation."""
    for word in keywords(text):
        if word in ("BASE", "PREFIX"):
            continue
        return word in UPDATE_KEYWORDS
    return False


def uses_service(text: str) -> bool:
    """Whether the query contains a SERVICE clause (federated query)."""
    return "SERVICE" in keywords(text)
