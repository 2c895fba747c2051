"""HTTP API benchmarks against real ``pmkg serve`` processes (uvicorn) on loopback.

    .venv/bin/python -m bench.api [--requests 2000] [--throughput-requests 20000] [--home PMKG_HOME]

Measures, and prints as a table (targets from issue 11, embedded store; with ``PMKG_NEO4J_URI`` set the
same rows are measured on Neo4j too, the starter build written into it):

- ``POST /v1/match`` of a 3-variant patient, one request at a time: p50/p95 (target p95 < 15 ms);
- the same with 2 workers at concurrency 32: requests/s, p99, errors (target >= 400 req/s, p99 < 100 ms,
  0 errors over 100,000 requests), and under wrk the workers' CPU per request (from /proc: what a p99 made of
  queueing comes down to, and less noisy than latency on a shared machine).  The load comes from ``wrk``
  (Debian's package; one C thread, so the two cores go to the server) for ``--throughput-seconds`` (60: pass
  250 for 100,000 requests at 400/s),
  else from an httpx asyncio client in this process (``--throughput-requests``), which itself takes most
  of a core at these rates;
- ``GET /v1/search`` autocomplete of prefixes typed letter by letter: p50/p95 (target p95 < 5 ms);
- entity pages (``GET /v1/genes/BRAF``, ``/v1/variants/…``, ``/v1/diseases/…``, ``/v1/drugs/…``,
  ``/v1/evidence/…``) one at a time: p50/p95 (no target in the issue);
- ``POST /v1/annotate`` of the TCGA LAML MAF (``../shared/data``, 2,544 rows; else the slice in tests/data):
  upload, parse, match and the whole JSON answer received, median of 5 (target < 2 s);
- ``POST /v1/annotate`` of the synthetic MAF of ``bench.annotate`` (``--big-maf-rows``, 1,000,000 by default,
  ~60 MB, with its clinical table; 0 skips it), the TSV answer streamed back and counted: rows/s from the
  first byte sent to the last received, and the server's RSS before, at its peak, and after (target >= 30,000
  rows/s with flat memory).

Each store's section opens with the event loop and HTTP parser the server runs (its startup line): without uvloop
or httptools, uvicorn falls back to slower pure-Python ones silently.

The starter graph is built into a temporary PMKG_HOME unless ``--home`` names one that has a build.
Latencies are measured by the client (httpx, keep-alive), so they include HTTP and JSON both ways.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.annotate import hotspot_rows, laml_rows, write_synthetic

ROOT = Path(__file__).resolve().parents[1]
PATIENT = {"variants": ["BRAF V600E", "EGFR L858R", "KRAS G12C"], "disease": "lung adenocarcinoma"}
TYPED = ["b", "br", "bra", "braf", "braf v", "her2", "egfr ex", "lung ad", "melan", "vemu", "kras g12", "LUAD"]
ENTITY_PAGES = ["/v1/genes/BRAF", "/v1/genes/HER2", "/v1/variants/PMKG:variant/BRAF:V600E", "/v1/diseases/LUAD",
                "/v1/diseases/DOID:3908", "/v1/drugs/vemurafenib", "/v1/evidence/CIVIC.EID:1409"]  # fmt: skip
LAML = ROOT.parent / "shared" / "data" / "patient_variants" / "vcf2maf" / "tcga_laml.maf"
LAML_SLICE = ROOT / "tests" / "data" / "inputs" / "vcf2maf" / "tcga_laml.slice.maf"


def quantile(samples: Sequence[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # the `pmkg serve` process (its workers are its children)
    stack: str  # the event loop and HTTP parser it runs, as its startup line says


@contextmanager
def serving(home: Path, workers: int, env: dict[str, str]) -> Iterator[Server]:
    log = tempfile.NamedTemporaryFile(prefix="pmkg-bench-api-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "queries.cli", "serve", "--port", "0", "--workers", str(workers)],
        cwd=ROOT, env={**os.environ, "PMKG_HOME": str(home), **env}, stdout=log, stderr=log,
    )  # fmt: skip
    try:
        url = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not url:
            found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", Path(log.name).read_text())
            if process.poll() is not None:
                raise SystemExit(f"pmkg serve exited:\n{Path(log.name).read_text()}")
            if found:
                url = found.group(1)
            time.sleep(0.1)
        while True:
            try:
                if httpx.get(url + "/ready", timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"pmkg serve is not ready:\n{Path(log.name).read_text()}")
            time.sleep(0.2)
        stack = re.search(r"pmkg: (event loop .*)", Path(log.name).read_text())
        yield Server(url, process.pid, stack.group(1) if stack else "(not said: an older pmkg serve)")
    finally:
        process.terminate()
        process.wait(timeout=30)
        Path(log.name).unlink(missing_ok=True)


def sequential(url: str, requests: int) -> tuple[float, float]:
    times = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for _ in range(50):  # warm the graph view and the connection
            client.post("/v1/match", json=PATIENT).raise_for_status()
        for _ in range(requests):
            started = time.perf_counter()
            client.post("/v1/match", json=PATIENT).raise_for_status()
            times.append(time.perf_counter() - started)
    return quantile(times, 50), quantile(times, 95)


async def _concurrent(url: str, requests: int, concurrency: int) -> tuple[float, float, int]:
    times: list[float] = []
    errors = 0
    left = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors
            for _ in left:
                started = time.perf_counter()
                try:
                    answer = await client.post("/v1/match", json=PATIENT)
                    errors += answer.status_code != 200
                except httpx.HTTPError:
                    errors += 1
                times.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return requests / wall, quantile(times, 99), errors


_WRK_SCRIPT = """wrk.method = "POST"
wrk.body = '%s'
wrk.headers["Content-Type"] = "application/json"
"""


def wrk_throughput(url: str, seconds: int, concurrency: int) -> tuple[float, float, int, int]:
    """``POST /v1/match`` from wrk (C, one thread: it leaves the two cores to the server): req/s, p99 ms,
    errors (non-2xx, socket errors), requests."""
    import json

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % json.dumps(PATIENT))
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{seconds}s", "--latency", "-s", script.name,
                              f"{url}/v1/match"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    finally:
        Path(script.name).unlink()
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return rate, p99, errors, requests


def search(url: str, rounds: int) -> tuple[float, float]:
    times = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for text in TYPED:
            client.get("/v1/search", params={"q": text}).raise_for_status()
        for _ in range(rounds):
            for text in TYPED:
                started = time.perf_counter()
                client.get("/v1/search", params={"q": text}).raise_for_status()
                times.append(time.perf_counter() - started)
    return quantile(times, 50), quantile(times, 95)


def entity_pages(url: str, rounds: int) -> tuple[float, float]:
    times = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for path in ENTITY_PAGES:
            client.get(path).raise_for_status()
        for _ in range(rounds):
            for path in ENTITY_PAGES:
                started = time.perf_counter()
                client.get(path).raise_for_status()
                times.append(time.perf_counter() - started)
    return quantile(times, 50), quantile(times, 95)


def annotate(url: str, maf: Path) -> float:
    body = maf.read_bytes()
    times = []
    with httpx.Client(base_url=url, timeout=120) as client:
        for _ in range(6):
            started = time.perf_counter()
            answer = client.post("/v1/annotate", files={"file": (maf.name, body)})
            answer.raise_for_status()
            times.append(time.perf_counter() - started)
    return statistics.median(times[1:]) * 1000


def big_annotate(url: str, server: int, maf: Path, clinical: Path, rows: int) -> tuple[float, float, float, float]:
    """rows/s of one upload of ``maf`` (TSV answer streamed back), and the server's RSS MB before, peak, after."""
    peak = [server_rss_mb(server)]
    before = peak[0]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            peak.append(server_rss_mb(server))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    received = 0
    started = time.perf_counter()
    files = {"file": (maf.name, maf.open("rb")), "clinical": (clinical.name, clinical.read_bytes())}
    tsv = {"Accept": "text/tab-separated-values"}
    with (
        httpx.Client(base_url=url, timeout=httpx.Timeout(30, read=1800)) as client,
        client.stream("POST", "/v1/annotate", headers=tsv, files=files) as answer,
    ):
        answer.raise_for_status()
        for chunk in answer.iter_bytes():
            received += len(chunk)
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()
    if received == 0:
        raise SystemExit("the big MAF's answer was empty")
    return rows / elapsed, before, max(peak), server_rss_mb(server)


def server_rss_mb(pid: int) -> float:
    """The resident memory of ``pid`` and its children (the uvicorn workers), in MB."""
    total = 0
    for task in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{task}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def server_cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) used so far by the workers of the server ``pid`` (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for task in _children(pid):
        try:
            fields = Path(f"/proc/{task}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of proc(5)
    return total / ticks


def _children(pid: int) -> list[int]:
    found = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in path.read_text().split():
            found += [int(child), *_children(int(child))]
    return found


def measure(home: Path, store: str, env: dict[str, str], args: argparse.Namespace) -> list[tuple[str, str, str]]:
    rows = []
    maf = LAML if LAML.exists() else LAML_SLICE
    with serving(home, 1, env) as server:
        print(f"pmkg serve ({store}): {server.stack}", flush=True)
        url = server.url
        p50, p95 = sequential(url, args.requests)
        rows.append((f"POST /v1/match, 3 variants, concurrency 1 ({store})", f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
                     "p95 < 15 ms"))  # fmt: skip
        p50, p95 = search(url, max(1, args.requests // len(TYPED)))
        rows.append((f"GET /v1/search, typed prefixes ({store})", f"p50 {p50:.2f} ms, p95 {p95:.2f} ms", "p95 < 5 ms"))
        p50, p95 = entity_pages(url, max(1, args.requests // (4 * len(ENTITY_PAGES))))
        rows.append((f"GET /v1/genes|variants|diseases|drugs|evidence/… ({store})",
                     f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", "(none set)"))  # fmt: skip
        median = annotate(url, maf)
        rows.append((f"POST /v1/annotate, {maf.name} ({store})", f"median {median:.0f} ms", "< 2,000 ms"))
        if args.big_maf is not None:
            big, clinical, count = args.big_maf
            rate, before, peak, after = big_annotate(url, server.pid, big, clinical, count)
            rows.append((f"POST /v1/annotate, synthetic MAF {count:,} rows ({store})",
                         f"{rate:,.0f} rows/s; server RSS {before:.0f} → peak {peak:.0f} → {after:.0f} MB",
                         ">= 30,000 rows/s, flat memory"))  # fmt: skip
    with serving(home, 2, env) as server:
        url = server.url
        asyncio.run(_concurrent(url, 500, 32))  # warm both workers
        if shutil.which("wrk") and not args.httpx_load:
            before = server_cpu_seconds(server.pid)
            rate, p99, errors, requests = wrk_throughput(url, args.throughput_seconds, 32)
            cpu = (server_cpu_seconds(server.pid) - before) / requests * 1000
            client = f"wrk; workers' CPU {cpu:.2f} ms per request"
        else:
            requests = args.throughput_requests
            rate, p99, errors = asyncio.run(_concurrent(url, requests, 32))
            client = "httpx"
        rows.append((f"POST /v1/match, 2 workers, concurrency 32, {client} ({store})",
                     f"{rate:.0f} req/s, p99 {p99:.1f} ms, {errors} errors / {requests:,}",
                     ">= 400 req/s, p99 < 100 ms, 0 errors"))  # fmt: skip
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--throughput-requests", type=int, default=20000, help="requests of the httpx load")
    parser.add_argument("--throughput-seconds", type=int, default=60, help="seconds of the wrk load")
    parser.add_argument("--httpx-load", action="store_true", help="load from httpx even where wrk is installed")
    parser.add_argument("--home", type=Path, default=None, help="a PMKG_HOME with a build (default: build one)")
    parser.add_argument("--big-maf-rows", type=int, default=1_000_000, help="rows of the synthetic MAF (0: skip)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pmkg-bench-api-") as scratch:
        home = args.home or Path(scratch)
        if args.home is None:
            subprocess.run([sys.executable, "-m", "queries.cli", "build"], cwd=ROOT, check=True,
                           env={**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded"})  # fmt: skip
        args.big_maf = None
        if args.big_maf_rows > 0:
            big, clinical = Path(scratch) / "synthetic.maf", Path(scratch) / "clinical.txt"
            laml = LAML if LAML.exists() else LAML_SLICE
            write_synthetic(big, clinical, args.big_maf_rows, laml_rows(laml), hotspot_rows(home))
            args.big_maf = (big, clinical, args.big_maf_rows)
        rows = measure(home, "embedded", {"PMKG_STORE": "embedded"}, args)
        uri = os.environ.get("PMKG_NEO4J_URI")
        if uri:
            subprocess.run([sys.executable, "-m", "queries.cli", "build", "--neo4j"], cwd=ROOT, check=True,
                           env={**os.environ, "PMKG_HOME": str(home)})  # fmt: skip
            rows += measure(home, "neo4j", {"PMKG_STORE": "neo4j", "PMKG_NEO4J_URI": uri}, args)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  result  (target)")
    for name, result, target in rows:
        print(f"{name.ljust(width)}  {result}  ({target})")


if __name__ == "__main__":
    main()
