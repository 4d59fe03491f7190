"""View models of the pages for people: plain data built from the store and the ``kg`` package, rendered by Jinja2.

Each module turns store answers into what one page shows; no module here renders HTML, and no page computes
anything that ``kg`` already computes (tables, comparisons).
"""

from api.pages.resources import concept_view, study_view

__all__ = ["concept_view", "study_view"]
