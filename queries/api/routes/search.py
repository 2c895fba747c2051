"""``GET /v1/search``: autocomplete over genes, variants, diseases, drugs, therapies (:mod:`queries.autocomplete`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from kg.errors import NoBuild
from kg.schema import Label
from queries.api.auth import READ
from queries.api.deps import StoreDep
from queries.api.errors import PROBLEM_RESPONSES
from queries.models.requests import SearchText

router = APIRouter(prefix="/v1", tags=["search"], responses=PROBLEM_RESPONSES, dependencies=[READ])

SearchType = Literal["gene", "variant", "class", "disease", "drug", "therapy"]
_LABELS: dict[str, Label] = {
    "gene": Label.GENE,
    "variant": Label.VARIANT,
    "class": Label.VARIANT_CLASS,
    "disease": Label.DISEASE,
    "drug": Label.DRUG,
    "therapy": Label.THERAPY,
}


class Hit(BaseModel):
    id: str = Field(description="The node's id (CURIE), for the entity pages")
    label: str = Field(description="Gene, Variant, VariantClass, Disease, Drug or Therapy")
    name: str
    matched: str = Field(description="The id, name or synonym that matched what was typed")
    match: Literal["id", "exact", "resolved", "prefix", "word"] = Field(
        description="id: the text is the id; exact: a name or synonym equals it; resolved: the disease "
        "`pmkg match --disease` takes it for; prefix: a name begins with it; word: a word of a name begins with it"
    )


class SearchAnswer(BaseModel):
    query: str
    build: str = Field(description="The build that answered")
    hits: list[Hit] = Field(description="Best first: id, exact and resolved hits, then prefix, then word hits")


@router.get("/search", response_model=SearchAnswer, summary="Autocomplete: what is being typed → entities")
def search(
    store: StoreDep,
    q: Annotated[
        SearchText,
        Query(
            max_length=200,
            description="What the user has typed so far (not blank)",
            json_schema_extra={"minLength": 1, "pattern": r"\S"},  # blank text is a 422 saying so (SearchText)
        ),
    ],
    type: Annotated[list[SearchType] | None, Query(description="Only these kinds (repeatable)")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Most hits")] = 10,
) -> dict[str, Any]:
    from queries.autocomplete import autocomplete

    manifest = store.current_build()
    if manifest is None:
        raise NoBuild("the store holds no graph yet: run `pmkg build` first")
    hits = autocomplete(store, q, [_LABELS[t] for t in type or ()], limit, build=manifest)  # one build read
    return {"query": q, "build": manifest.build_id, "hits": [hit.as_json() for hit in hits]}
