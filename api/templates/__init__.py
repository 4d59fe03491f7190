"""The Jinja2 templates of the HTML views (a base layout, the SPARQL editor, resource and listing pages).

Pages render a small view model (a dataclass or dict built by the router) with a template, so that a later,
richer page for one kind of resource only needs its own template and view-model function.
"""

from pathlib import Path

from fastapi.templating import Jinja2Templates

TEMPLATES_DIR = Path(__file__).parent
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
