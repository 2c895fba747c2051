"""``/v1/curation``: curators diff releases, read the results as jobs, and keep local edits (role ``curator``).

* ``POST /v1/curation/diff`` (an uploaded candidate release of one source): the report of ``pmkg curate
  diff`` (terms, graph effect, OncoTree codes, evidence items, impact on patient answers), as a job; the
  candidate's files are kept under ``PMKG_HOME/curation/candidates/`` (by checksum), since the staged
  build records where it was read from and applying it later reads them again;
* ``POST /v1/curation/oncotree-diff`` (two uploaded OncoTree releases) and ``POST /v1/curation/evidence-diff``
  (a source and two kept builds) answer ``202 Accepted`` with a ``Location`` to poll:
  ``GET /v1/curation/jobs/{id}`` gives the job's state and, once ``done``, the same report as
  ``pmkg curate oncotree-diff`` / ``evidence-diff --format json``; a failed job gives the error.
  ``GET /v1/curation/jobs/{id}/report.html`` gives a finished diff's report as HTML (``pmkg curate diff
  --format html``; ``fragment=true``: without the page around it, as the web page shows it);
* ``GET /v1/curation/edits``, ``POST /v1/curation/edits`` and ``DELETE /v1/curation/edits/{id}`` read
  and change the local curation overlay as ``pmkg curate edit`` does; the curator is the API key's name.

Readers get 403, callers without a key 401 (:mod:`queries.api.auth`).  These are the API's curation
routes, so they may import ``loaders`` (the import contract names them).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from kg.errors import ConfigError, InputError
from kg.evidence_diff import diff_evidence
from kg.settings import get_settings
from kg.stores import open_store
from loaders.local_curation import CurationEdits, checked_edit, edits_path
from loaders.oncotree_release import diff_oncotree_releases
from queries.api.auth import CURATE
from queries.api.deps import StoreDep
from queries.api.errors import PROBLEM_JSON, PROBLEM_RESPONSES, ApiProblem, Problem
from queries.api.jobs import Job, JobQueue
from queries.api.uploads import saved_uploads
from queries.api_keys import ApiKey
from queries.models.base import Answer

if TYPE_CHECKING:
    from kg.stores.port import Store
    from queries.services.curation import CandidateRelease, OpenBuild

router = APIRouter(prefix="/v1/curation", tags=["curation"], responses=PROBLEM_RESPONSES)
Curator = Annotated[ApiKey | None, CURATE]
_queue_lock = threading.Lock()


def _jobs(request: Request) -> JobQueue:
    with _queue_lock:
        jobs: JobQueue | None = getattr(request.app.state, "curation_jobs", None)
        if jobs is None:
            jobs = request.app.state.curation_jobs = JobQueue()
        return jobs


def _name(caller: ApiKey | None) -> str:
    return caller.name if caller is not None else "anonymous"


class JobState(BaseModel):
    id: str
    kind: str = Field(description="diff, apply, oncotree-diff or evidence-diff")
    state: Literal["queued", "running", "done", "failed"]
    submitted: str
    submitted_by: str = Field(description="The API key's name")
    finished: str | None = None
    result: dict[str, Any] | None = Field(default=None, description="The report, once done")
    error: dict[str, str] | None = Field(default=None, description="{type, message}, when failed")


def _accepted(request: Request, response: Response, job: Job) -> dict[str, Any]:
    response.headers["Location"] = str(request.url_for("curation_job", job_id=job.id).path)
    return job.public()


@router.post("/oncotree-diff", status_code=202, response_model=JobState,
             summary="Diff two OncoTree releases (a job: poll the Location)")  # fmt: skip
def oncotree_diff(
    request: Request,
    response: Response,
    caller: Curator,
    old: Annotated[UploadFile, File(description="The older release: tree JSON, flat JSON or TSV")],
    new: Annotated[UploadFile, File(description="The newer release")],
) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="pmkg-curation-"))
    with saved_uploads([(old, "old.json"), (new, "new.json")]) as (_, paths):
        kept = []
        for index, path in enumerate(paths):  # the job outlives the request: keep copies for it
            (folder / str(index)).mkdir()
            kept.append(shutil.copy2(path, folder / str(index) / path.name))
    old_path, new_path = (Path(p) for p in kept)
    job = _jobs(request).submit(
        "oncotree-diff", _name(caller), lambda: diff_oncotree_releases(old_path, new_path).as_json(), folder
    )
    return _accepted(request, response, job)


@router.post("/diff", status_code=202, response_model=JobState,
             summary="Stage a candidate release and report what it changes (a job: poll the Location)")  # fmt: skip
def release_diff(
    request: Request,
    response: Response,
    caller: Curator,
    source: Annotated[str, Form(description="The source the candidate replaces (disease_ontology, civic …)")],
    files: Annotated[list[UploadFile], File(description="The release's files (those `pmkg build` reads)")],
    impact: Annotated[bool, Form(description="Re-run the patient panel on both builds")] = True,
    allow_shrink: Annotated[bool, Form(description="Stage it even if the source lost most of its records")] = False,
) -> dict[str, Any]:
    from queries.services.curation import diff_release

    def run(store: Store, open_build: OpenBuild, release: CandidateRelease) -> Answer:
        return diff_release(store, open_build, release, panel=() if impact else None)

    job = _submit_candidate(request, "diff", _name(caller), source, files, allow_shrink, run)
    return _accepted(request, response, job)


def _keep_candidate(home: Path, source: str, paths: list[Path]) -> Path:
    """The candidate's files under PMKG_HOME/curation/candidates/SOURCE-CHECKSUM/ (the staged build reads them)."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    folder = home / "curation" / "candidates" / f"{source}-{digest.hexdigest()[:16]}"
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=".candidate-", dir=folder.parent))
        for path in paths:
            shutil.copy2(path, partial / path.name)
        try:
            partial.rename(folder)
        except OSError:  # another request kept the same files first
            shutil.rmtree(partial, ignore_errors=True)
    return folder


@router.post("/apply", status_code=202, response_model=JobState,
             summary="Apply a candidate release, or stage it for approval (a job: poll the Location)")  # fmt: skip
def apply(
    request: Request,
    response: Response,
    caller: Curator,
    source: Annotated[str, Form(description="The source the candidate replaces")],
    files: Annotated[list[UploadFile], File(description="The release's files")],
    message: Annotated[str, Form(min_length=1, description="Why (kept in the audit log)")],
    tracker: Annotated[str, Form(description="A tracker link")] = "",
    stage: Annotated[bool, Form(description="Stage it for `approve` instead of promoting it")] = False,
    allow_shrink: Annotated[bool, Form(description="Apply it even if the source lost most of its records")] = False,
) -> dict[str, Any]:
    from queries.services.curation import apply_release

    curator = _name(caller)

    def run(store: Store, open_build: OpenBuild, release: CandidateRelease) -> Answer:
        return apply_release(store, open_build, release, curator=curator, message=message, tracker=tracker,
                             stage=stage)  # fmt: skip

    job = _submit_candidate(request, "apply", curator, source, files, allow_shrink, run)
    return _accepted(request, response, job)


def _submit_candidate(
    request: Request,
    kind: str,
    curator: str,
    source: str,
    files: list[UploadFile],
    allow_shrink: bool,
    run: Callable[[Store, OpenBuild, CandidateRelease], Answer],
) -> Job:
    """Keep the uploaded release, then a job that sets up its candidate (the service's ``candidate_release``) in
    a store of its own and answers ``run``'s report."""
    from loaders.registry import loaders_for_recipe
    from queries.services.curation import candidate_release

    files_at = _candidate(source, files)
    store_kind = request.app.state.store_holder.kind

    def work() -> dict[str, Any]:
        store = open_store(store_kind)
        try:
            release = candidate_release(store, source, files_at, loaders_for_recipe, allow_shrink=allow_shrink)
            answer = run(store, lambda build: open_store(store_kind, build=build), release)
        finally:
            store.close()
        return answer.model_dump(mode="json")

    return _jobs(request).submit(kind, curator, work)


def _candidate(source: str, files: list[UploadFile]) -> Path:
    """The uploaded release, kept (see :func:`_keep_candidate`): its folder, or its one file."""
    from loaders.registry import loader_class

    try:
        loader_class(source)  # an unknown source is a 400 now, not a failed job
    except ConfigError as exc:
        raise InputError(str(exc)) from None
    with saved_uploads([(f, f"file{i}") for i, f in enumerate(files)]) as (_, paths):
        folder = _keep_candidate(get_settings().home, source, paths)
    return folder if len(paths) > 1 else folder / paths[0].name


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, description="Why (kept in the audit log)")
    build_id: str | None = Field(default=None, description="approve: the staged build; rollback: default the "
                                 "build the last change replaced")  # fmt: skip


def _step(action: str, store: Any, body: Step, curator: str) -> dict[str, Any]:
    from queries.services import curation

    try:
        if action == "approve":
            if not body.build_id:
                raise InputError("approve: give the staged build's id (build_id)")
            done = curation.approve(store, body.build_id, curator=curator, message=body.message)
        else:
            done = curation.rollback(store, body.build_id, curator=curator, message=body.message)
    except ConfigError as exc:  # not awaiting approval, staged against another build …: the caller's to fix
        raise ApiProblem(409, str(exc), slug="conflict") from None
    return done.model_dump(mode="json")


@router.post("/approve", summary="Promote a staged candidate (a second curator)")
def approve(body: Step, store: StoreDep, caller: Curator) -> dict[str, Any]:
    return _step("approve", store, body, _name(caller))


@router.post("/rollback", summary="Make an earlier kept build current again, at once")
def rollback(body: Step, store: StoreDep, caller: Curator) -> dict[str, Any]:
    return _step("rollback", store, body, _name(caller))


@router.get("/log", summary="The audit log, oldest first; verify=true checks its hash chain")
def audit(store: StoreDep, caller: Curator, verify: bool = False) -> dict[str, Any]:
    from queries.services.curation import read_log

    return read_log(store, check=verify).model_dump(mode="json")


class EvidenceDiffRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, description="civic, moalmanac, cgi, pharmcat …")
    to_build: str = Field(min_length=1, description="The build with the new release (a kept build id)")
    from_build: str | None = Field(default=None, description="The build to compare with (default: current)")


@router.post("/evidence-diff", status_code=202, response_model=JobState,
             summary="Diff one evidence source between two kept builds (a job: poll the Location)")  # fmt: skip
def evidence_diff(request: Request, response: Response, caller: Curator, body: EvidenceDiffRequest) -> dict[str, Any]:
    kind = request.app.state.store_holder.kind

    def work() -> dict[str, Any]:
        old = open_store(kind, build=body.from_build)
        try:
            new = open_store(kind, build=body.to_build)
            try:
                return diff_evidence(old, new, body.source).as_json()
            finally:
                new.close()
        finally:
            old.close()

    job = _jobs(request).submit("evidence-diff", _name(caller), work)
    return _accepted(request, response, job)


@router.get("/jobs/{job_id}", name="curation_job", response_model=JobState, summary="A curation job's state")
def curation_job(job_id: str, request: Request, caller: Curator) -> dict[str, Any]:
    job = _jobs(request).get(job_id)
    if job is None:
        raise ApiProblem(404, f"no curation job {job_id!r} (jobs are kept in memory until the server restarts)",
                         slug="not-found")  # fmt: skip
    return job.public()


@router.get("/jobs/{job_id}/report.html", response_class=HTMLResponse,
            responses={409: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Not a finished diff"}},
            summary="A finished diff job's report as one HTML page (what the web page shows)")  # fmt: skip
def curation_job_report(job_id: str, request: Request, caller: Curator, fragment: bool = False) -> HTMLResponse:
    from queries.curation_render import html_page, report_html
    from queries.models.curation import CurationReport

    job = _jobs(request).get(job_id)
    if job is None:
        raise ApiProblem(404, f"no curation job {job_id!r} (jobs are kept in memory until the server restarts)",
                         slug="not-found")  # fmt: skip
    if job.kind != "diff":
        raise ApiProblem(409, f"job {job_id} is a {job.kind} job; only a diff job has an HTML report", slug="conflict")
    if job.state != "done":
        raise ApiProblem(409, f"job {job_id} is {job.state}: its report is ready once it is done", slug="conflict")
    report = CurationReport.model_validate(job.result)
    text = report_html(report) if fragment else html_page(report)
    return HTMLResponse(text, headers=REPORT_HEADERS)


# The report is data, not a page that runs anything: no scripts, nothing fetched, styles only its own.
REPORT_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
}


class NewEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["synonym", "mapping", "deprecate"]
    term: str = Field(min_length=1, description="The node the edit is about (DOID:3910, ONCOTREE:TLL …)")
    value: str = Field(min_length=1, description="The synonym, the DO term mapped to, or the replacement")
    reason: str = Field(default="", description="Why (kept with the edit)")


class Edits(BaseModel):
    revision: int
    edits: list[dict[str, Any]]


def _listed(edits: CurationEdits) -> dict[str, Any]:
    rows = [{k: getattr(e, k) for k in e.__dataclass_fields__} for e in edits.edits]
    return {"revision": edits.revision, "edits": rows}


@router.get("/edits", response_model=Edits, summary="The local curation overlay's edits")
def list_edits(caller: Curator) -> dict[str, Any]:
    return _listed(CurationEdits.read(edits_path(get_settings().home)))


@router.post("/edits", status_code=201, response_model=Edits,
             summary="Add a local edit (checked against the current build; applied by the next build)")  # fmt: skip
def add_edit(new: NewEdit, store: StoreDep, caller: Curator) -> dict[str, Any]:
    edit = checked_edit(store, new.kind, new.term, new.value, _name(caller), new.reason)
    path = edits_path(get_settings().home)
    edits = CurationEdits.read(path).add(edit)
    edits.write(path)
    return _listed(edits)


@router.delete("/edits/{edit_id}", response_model=Edits, summary="Remove a local edit")
def remove_edit(edit_id: int, caller: Curator) -> dict[str, Any]:
    path = edits_path(get_settings().home)
    edits = CurationEdits.read(path).remove(edit_id)
    edits.write(path)
    return _listed(edits)
