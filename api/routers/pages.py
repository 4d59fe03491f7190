"""Pages for people: the landing page, the paper's two tables, the comparison view and the network view.

Study and concept pages are the HTML views of their IRIs (served by the linked-data router, which calls
:func:`resource_page`). Every page is server-rendered and readable without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import StoreDep
from api.pages import comparison, landing, network, render, resources, tables
from kg import config
from kg import tables as kg_tables
from kg.namespaces import EGOV
from kg.store import Store

router = APIRouter(tags=["pages"])
T = TypeVar("T")


def consistent(store: Store, build: Callable[..., T], *args: Any) -> T:
    """``build(store, *args)``, a view made from several store reads, again when a write landed between two of them
    (the reads then disagree: a study listed by one query and gone from the next, a KeyError); at most 4 runs."""
    for _ in range(3):
        before = store.version()
        try:
            with store.reading():  # writes of this process wait; other processes' writes are caught by the version
                view = build(store, *args)
        except LookupError:
            if store.version() == before:
                raise
            continue
        if store.version() == before:
            return view
    return build(store, *args)


def page(request: Request, store: Store, name: str, status_code: int = 200, **context: object) -> Response:
    """Render a page template with the dataset version every page shows in its footer."""
    return render.render(request, name, {"dataset_version": store.version(), **context}, status_code)


@router.get("/", response_class=HTMLResponse, summary="Landing page")
def index(request: Request, store: StoreDep) -> Response:
    """What the KG is, its sources, counts and version, and links to the APIs."""
    return page(request, store, "index.html", v=consistent(store, landing.landing_view))


@router.get("/tables/2", response_class=HTMLResponse, summary="The factor matrix (Table 2)")
def table2(request: Request, store: StoreDep) -> Response:
    """Table 2 as a grid of dimension x role, each cell linking to its factors."""
    return page(request, store, "matrix.html", grid=consistent(store, tables.factor_matrix), kind="factor-matrix",
                cell_class="role", csv_href="/tables/2.csv",
                intro="The source paper's Table 2: the factors of Chinese government use of social media in five "
                      "dimensions, as external drivers and challenges and as internal strengths and weaknesses.",
                legend=[("external-driver", "External driver"), ("external-challenge", "External challenge"),
                        ("internal-strength", "Internal strength"), ("internal-weakness", "Internal weakness")],
                notes="Columns are coloured by role: external factors (drivers, challenges) in warm tones, internal "
                      "capabilities (strengths, weaknesses) in cool tones; darker cells hold more factors.")


@router.get("/tables/1", response_class=HTMLResponse, summary="The literature matrix (Table 1)")
def table1(request: Request, store: StoreDep) -> Response:
    """Table 1 as a grid of study x dimension, each cell linking to its factors."""
    grid = consistent(store, tables.literature_matrix)
    return page(request, store, "matrix.html", grid=grid, kind="literature-matrix",
                cell_class="dim", csv_href="/tables/1.csv", legend=None, notes=None,
                intro="Table 1 of the source paper: the studies its literature review tabulates, with their research "
                      "focus and purposes, and the factors and issues each reports in the five dimensions.")


@router.get("/tables/{number}.csv", summary="A table of the paper as CSV")
def table_csv(number: int, store: StoreDep) -> Response:
    """Table 1 or 2 as CSV, exactly as ``egovkg tables … --format csv`` prints it."""
    if number not in (1, 2):
        return Response(f"no table {number}: use 1 or 2\n", status_code=404, media_type="text/plain")
    matrix = kg_tables.table1(store) if number == 1 else kg_tables.table2(store)
    return Response(kg_tables.render(matrix, "csv"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="table{number}.csv"'})


@router.get("/compare", response_class=HTMLResponse, summary="Compare two groups of studies")
def compare_page(request: Request, store: StoreDep) -> Response:
    """The form, and the comparison of the groups its GET parameters describe (so every result is a permalink)."""
    view = consistent(store, comparison.comparison_view, request.query_params)
    return page(request, store, "compare.html", status_code=400 if view.errors else 200, v=view)


@router.get("/compare.csv", summary="A comparison as CSV")
def compare_csv(request: Request, store: StoreDep) -> Response:
    """The comparison of the same GET parameters as ``/compare``, one row per concept, side and mention."""
    view = consistent(store, comparison.comparison_view, request.query_params)
    if view.errors or view.result is None:
        detail = "; ".join(view.errors) or "give both groups, e.g. ?a_place=china&b_place=western"
        return Response(detail + "\n", status_code=400, media_type="text/plain")
    return Response(comparison.comparison_csv(view), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="comparison.csv"'})


DimensionQuery = Annotated[str | None, Query(description="A dimension key, e.g. information; all when absent")]


@router.get("/network", response_class=HTMLResponse, summary="Network of studies and factor concepts")
def network_page(request: Request, store: StoreDep, dimension: DimensionQuery = None) -> Response:
    """Studies and the concepts they report, filterable by dimension, drawn as SVG on the server."""
    root = request.scope.get("root_path", "")
    try:
        net = consistent(store, network.network, dimension or None, root)
    except network.UnknownDimension:
        return page(request, store, "network.html", status_code=400, net=consistent(store, network.network, None, root),
                    error=f"There is no dimension {dimension!r}; showing all dimensions.")
    return page(request, store, "network.html", net=net, error=None)


@router.get("/network.json", summary="Network data with its layout")
def network_json(request: Request, store: StoreDep, dimension: DimensionQuery = None) -> JSONResponse:
    """The nodes (with positions) and links of the network view."""
    try:
        root = request.scope.get("root_path", "")
        return JSONResponse(consistent(store, network.network, dimension or None, root).as_json())
    except network.UnknownDimension as e:
        return JSONResponse({"detail": f"unknown dimension {e}"}, status_code=400)


def resource_page(request: Request, store: Store, iri: str, types: set[str],
                  alternates: list[dict[str, str]] | None = None) -> Response | None:
    """The study or concept page of ``iri`` when it is typed egov:Study or egov:FactorConcept, else ``None``.

    The linked-data router calls this for ``text/html`` before falling back to its generic resource view;
    ``alternates`` are the resource's other representations (``media``, ``label``, ``href``), linked from the page.
    """
    alternates = alternates or []
    if config.rebase(str(EGOV.Study)) in types:
        study = consistent(store, resources.study_view, iri)
        if study is not None:
            return page(request, store, "study.html", v=study, alternates=alternates)
    if config.rebase(str(EGOV.FactorConcept)) in types:
        concept = consistent(store, resources.concept_view, iri)
        if concept is not None:
            return page(request, store, "concept.html", v=concept, alternates=alternates)
    return None
