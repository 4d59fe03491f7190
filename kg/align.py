"""Suggest the closest existing factor concepts for a mention that has none: token and string similarity over
preferred labels, alternative labels and definitions (stdlib only: no network, no model)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import Any

from kg.ingest.vocab import norm
from kg.store import Store

STOPWORDS = frozenset({"a", "an", "and", "or", "of", "the", "in", "on", "for", "to", "with", "by", "from", "as",
    "at", "its", "their", "is", "are", "be", "not", "no", "lack", "low", "high", "poor", "limited", "inadequate",
    "insufficient", "adequate", "abundant", "rising"})
"""Words that carry polarity or grammar, not the factor: 'Lack of funds' and 'Funding' are the same factor."""

MIN_SCORE = 0.3
LABEL_WEIGHT, DEFINITION_WEIGHT = 1.0, 0.6


@dataclass(frozen=True)
class Candidate:
    """A concept suggested for a mention, with its score in [0, 1] and the text that matched."""

    concept: str
    label: str
    score: float
    matched: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return asdict(self)


def stem(word: str) -> str:
    """A crude suffix stripper, enough to match 'funds'/'funding', 'skills'/'skill', 'hacker'/'hacking'."""
    for suffix in ("ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "s", "ed", "al"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> set[str]:
    """The content words of a text, stemmed."""
    return {stem(w) for w in norm(text).split() if w not in STOPWORDS and len(w) > 1}


def label_score(a: str, b: str) -> float:
    """Similarity of two labels: token Jaccard blended with the character-sequence ratio."""
    ta, tb = tokens(a), tokens(b)
    jac = len(ta & tb) / len(ta | tb) if ta and tb else 0.0
    ratio = SequenceMatcher(None, norm(a), norm(b), autojunk=False).ratio()
    return max(jac, 0.6 * jac + 0.4 * ratio, ratio if ratio > 0.85 else 0.0)


def definition_score(label: str, definition: str) -> float:
    """How much of a label's content the definition covers."""
    tl, td = tokens(label), tokens(definition)
    return len(tl & td) / len(tl) if tl else 0.0


@dataclass
class ConceptIndex:
    """The concepts' texts, read from the store once per dataset version."""

    version: str
    concepts: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, store: Store) -> ConceptIndex:
        """Read every concept's labels and definition."""
        from kg.ingest import query

        concepts: dict[str, dict[str, Any]] = {}
        for r in store.select(query("concept_texts")):
            c = concepts.setdefault(r["concept"], {"iri": r["concept"], "label": "", "alt": [], "definition": "",
                                                   "broader": [], "related": []})
            kind, text = r["kind"], str(r["text"])
            if kind == "pref":
                c["label"] = text
            elif kind == "def":
                c["definition"] = text
            else:
                c[{"alt": "alt", "broader": "broader", "related": "related"}[kind]].append(text)
        return cls(store.version(), concepts)


_index: dict[int, ConceptIndex] = {}


def index(store: Store) -> ConceptIndex:
    """The concept index of a store, rebuilt when the dataset version changes."""
    cached = _index.get(id(store))
    if cached is None or cached.version != store.version():
        cached = _index[id(store)] = ConceptIndex.load(store)
    return cached


def suggest(store: Store, label: str, description: str = "", limit: int = 3) -> list[Candidate]:
    """The closest concepts to a mention's label (and description), best first."""
    out = []
    for c in index(store).concepts.values():
        best, matched = 0.0, ""
        for text in [c["label"], *c["alt"]]:
            s = LABEL_WEIGHT * label_score(label, text)
            if s > best:
                best, matched = s, text
        if c["definition"]:
            s = DEFINITION_WEIGHT * max(definition_score(label, c["definition"]),
                                        0.5 * definition_score(description, c["definition"]) if description else 0)
            if s > best:
                best, matched = s, "definition: " + c["definition"]
        if best >= MIN_SCORE:
            out.append(Candidate(c["iri"], c["label"], round(best, 3), matched))
    out.sort(key=lambda x: (-x.score, x.label))
    return out[:limit]


__all__ = ["Candidate", "ConceptIndex", "index", "label_score", "suggest", "tokens"]
