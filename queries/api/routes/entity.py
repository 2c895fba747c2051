"""Entity pages: ``GET /v1/genes/{gene}``, ``/v1/variants/{variant}``, ``/v1/diseases/{disease}``,
``/v1/drugs/{drug}``, ``/v1/evidence/{evidence}`` → :class:`queries.models.EntityAnswer` (the entity service).

An id, symbol or name is resolved as everywhere else (HER2 is ERBB2, LUAD is lung adenocarcinoma).  Ids may
hold slashes (``PMKG:variant/BRAF:V600E``): send them as they are or percent-encoded.  Nothing of that kind
→ 404 saying what was looked up, and where to search; a name for several nodes → 400 listing them.
"""

import threading
from collections import OrderedDict
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kg.errors import AmbiguousName, NotFound
from kg.stores.port import Store
from queries.api.auth import READ
from queries.api.deps import StoreDep
from queries.api.errors import PROBLEM_JSON, PROBLEM_RESPONSES, Problem, problem_response
from queries.models import EntityAnswer, EntityKind, EntityQuery

router = APIRouter(prefix="/v1", tags=["entities"], dependencies=[READ])

# The path segment of each kind's page (one place; the web page's script mirrors it).
PATHS: dict[EntityKind, str] = {
    EntityKind.GENE: "genes",
    EntityKind.VARIANT: "variants",
    EntityKind.DISEASE: "diseases",
    EntityKind.DRUG: "drugs",
    EntityKind.EVIDENCE: "evidence",
}


class Candidate(BaseModel):
    id: str
    label: str
    name: str


class AmbiguousProblem(Problem):
    candidates: list[Candidate] = Field(description="Every node the name names: ask again by one of their ids")


_RESPONSES = {
    **PROBLEM_RESPONSES,
    400: {"model": AmbiguousProblem, "content": {PROBLEM_JSON: {}},
          "description": "Bad Request (a name for several nodes: the candidates are listed)"},
}  # fmt: skip

Neighbours = Annotated[int, Query(ge=0, le=1000, description="At most this many neighbours listed per relationship")]


# The most recently read pages, by (build, kind, text as asked, neighbours); a new build's pages push out the old.
_PAGES: OrderedDict[tuple[str, str, str, int], EntityAnswer] = OrderedDict()
_PAGES_LOCK = threading.Lock()
_PAGES_KEPT = 512


def page_path(kind: EntityKind, node_id: str) -> str:
    return f"/v1/{PATHS[kind]}/{quote(node_id, safe=':/')}"


def _page(store: Store, kind: EntityKind, text: str, neighbours: int) -> EntityAnswer | JSONResponse:
    where = f"/v1/{PATHS[kind]}/{text}"
    if not text.split():  # a blank path segment is a page that cannot exist, not a malformed request
        return problem_response(where, 404, f"no {kind} has a blank id: give an id, a name or a synonym",
                                slug="not-found")  # fmt: skip
    try:
        return _cached_page(store, EntityQuery(text=text, kind=kind, neighbours=neighbours))
    except AmbiguousName as exc:
        candidates = [{"id": i, "label": label, "name": name} for i, label, name in exc.candidates]
        return problem_response(where, 400, str(exc), slug="ambiguous-name", candidates=candidates)
    except NotFound as exc:
        wanted = exc.wanted or text
        if exc.found_as is not None:
            other_id, other_kind = exc.found_as
            detail = f"{exc}: see {page_path(EntityKind(other_kind), other_id)}"
        else:
            search = f"/v1/search?q={quote(wanted, safe='')}"
            if kind != EntityKind.EVIDENCE:  # search has no evidence type: it finds evidence by any name
                search += f"&type={kind}"
            detail = f"{exc}; search names, synonyms and codes with {search}"
        return problem_response(where, 404, detail, slug="not-found")


def _cached_page(store: Store, query: EntityQuery) -> EntityAnswer:
    """The entity service's answer, kept for the build that gave it: a page cannot change until the build does
    (a gene page reads every evidence item of the gene: BRAF's 300 take ~12 ms to count, a kept page ~0.2 ms)."""
    from queries.services.entity import entity

    build = store.current_build()
    asked = (str(query.kind), query.text, query.neighbours)
    with _PAGES_LOCK:
        page = _PAGES.get((build.build_id if build is not None else "", *asked))
        if page is not None:
            _PAGES.move_to_end((page.build.id, *asked))
            return page
    page = entity(store, query)
    with _PAGES_LOCK:  # under the build that answered: a promote between the two reads files it rightly
        _PAGES[(page.build.id, *asked)] = page
        while len(_PAGES) > _PAGES_KEPT:
            _PAGES.popitem(last=False)
    return page


def _route(kind: EntityKind, summary: str, example: str) -> None:
    segment = PATHS[kind]

    def read(
        store: StoreDep,
        id: Annotated[
            str,
            Path(
                min_length=1,
                max_length=500,
                examples=[example],
                description="An id (CURIE), or a symbol, name or synonym",
            ),
        ],
        neighbours: Neighbours = 50,
    ) -> EntityAnswer | JSONResponse:
        return _page(store, kind, id, neighbours)

    read.__name__ = f"{kind}_page"
    read.__doc__ = (f"The {kind}, its neighbours per relationship, the evidence that concerns it counted by level and "
                    "source, and links to the source records.")  # fmt: skip
    router.add_api_route(f"/{segment}/{{id:path}}", read, methods=["GET"], response_model=EntityAnswer,
                         summary=summary, responses=_RESPONSES)  # fmt: skip


_route(EntityKind.GENE, "A gene by HGNC id, symbol, alias or previous symbol", "HGNC:1097")
_route(EntityKind.VARIANT, "A variant (or variant class, molecular profile, star allele) by id or name",
       "PMKG:variant/BRAF:V600E")  # fmt: skip
_route(EntityKind.DISEASE, "A disease by DOID, OncoTree or NCIt code, name or synonym, with its broader and "
       "narrower terms", "DOID:3910")  # fmt: skip
_route(EntityKind.DRUG, "A drug (or therapy) by id, name or synonym", "NCIT:C64768")
_route(EntityKind.EVIDENCE, "An evidence item or dosing recommendation by id", "CIVIC.EID:1409")
