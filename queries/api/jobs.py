"""Long curation work (release diffs) as jobs: ``202 Accepted`` with a status URL instead of a held request.

:class:`JobQueue` runs one job at a time in a worker thread of the server process (a diff reads whole
releases and builds; two at once would only compete for the same cores) and keeps the last
:data:`KEEP` jobs' states in memory: ``queued`` → ``running`` → ``done`` (with the result) or
``failed`` (with the error's message and type, as the API's problem details would give it).  A job's
files live in a folder of its own, removed when the job ends.  Jobs do not survive a restart; a
caller whose job id is unknown is told so (404) and submits again.  Patient data never goes through
here: only curators' release files and build ids.
"""

from __future__ import annotations

import datetime
import logging
import queue
import secrets
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KGError

logger = logging.getLogger(__name__)
KEEP = 50


@dataclass
class Job:
    id: str
    kind: str
    submitted_by: str
    state: str = "queued"
    submitted: str = field(default_factory=lambda: _now())
    finished: str | None = None
    result: Any = None
    error: dict[str, str] | None = None

    def public(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "state": self.state, "submitted": self.submitted,
                                "submitted_by": self.submitted_by, "finished": self.finished}  # fmt: skip
        if self.state == "done":
            data["result"] = self.result
        if self.error is not None:
            data["error"] = self.error
        return data


class JobQueue:
    """One worker thread, the last :data:`KEEP` jobs by id."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._todo: queue.Queue[tuple[Job, Callable[[], Any], Path | None]] = queue.Queue()
        self._worker = threading.Thread(target=self._work, name="pmkg-curation-jobs", daemon=True)
        self._worker.start()

    def submit(self, kind: str, submitted_by: str, work: Callable[[], Any], folder: Path | None = None) -> Job:
        """Queue ``work`` (its return value becomes the result); ``folder`` is removed when it ends."""
        job = Job(secrets.token_hex(8), kind, submitted_by)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                self._jobs.popitem(last=False)
        self._todo.put((job, work, folder))
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _work(self) -> None:
        while True:
            job, work, folder = self._todo.get()
            job.state = "running"
            try:
                job.result = work()
                job.state = "done"
            except KGError as exc:
                job.error = {"type": type(exc).__name__, "message": str(exc)}
                job.state = "failed"
            except Exception as exc:  # a bug: the job says so, the server keeps serving
                logger.exception("curation job %s failed", job.id)
                job.error = {"type": type(exc).__name__, "message": "internal error; this is a bug in pmkg"}
                job.state = "failed"
            finally:
                job.finished = _now()
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
