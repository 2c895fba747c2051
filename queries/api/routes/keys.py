"""``/v1/api-keys``: admins create, list and revoke API keys over HTTP (as ``pmkg api-key`` does)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from queries.api.auth import ADMINISTER, key_file
from queries.api.errors import PROBLEM_RESPONSES
from queries.api_keys import KeyFile, Role

router = APIRouter(prefix="/v1/api-keys", tags=["keys"], responses=PROBLEM_RESPONSES, dependencies=[ADMINISTER])
KeyFileDep = Annotated[KeyFile, Depends(key_file)]


class NewKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")] = Field(
        description="Who or what the key is for"
    )
    role: Role = Field(description="reader, curator or admin")


class KeyInfo(BaseModel):
    name: str
    role: Role
    created: str = Field(description="When the key was made (UTC)")


class CreatedKey(KeyInfo):
    key: str = Field(description="The key itself: shown this once, stored only as a hash")


@router.post("", status_code=201, response_model=CreatedKey, summary="Create a key (admin); the key is shown once")
def create_key(new: NewKey, keys: KeyFileDep) -> dict[str, Any]:
    key = keys.create(new.name, new.role)
    stored = next(k for k in keys.stored() if k.name == new.name)
    return {**stored.public(), "key": key}


@router.get("", response_model=list[KeyInfo], summary="Every key's name, role and creation time (admin)")
def list_keys(keys: KeyFileDep) -> list[dict[str, str]]:
    return [k.public() for k in keys.stored()]


@router.delete("/{name}", status_code=204, summary="Revoke a key (admin)")
def revoke_key(name: Annotated[str, Path(max_length=100)], keys: KeyFileDep) -> Response:
    keys.revoke(name)
    return Response(status_code=204)
