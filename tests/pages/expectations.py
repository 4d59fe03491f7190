"""Expectations of the page tests: the paper's Table 2 (one shared transcription) and its China-only findings."""

from paper_tables import TABLE2, TABLE2_COLUMNS  # noqa: F401  (re-exported for the page tests)

CHINA_ONLY = {"centralized-review-process", "water-army", "international-influence"}
"""Section 5.4: the three findings unique to China (concept keys)."""
