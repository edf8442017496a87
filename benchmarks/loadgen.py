"""The load generator: a separate process (so its own CPU use is not the server's) sending a
bounded number of GET requests at a fixed concurrency with asyncio + httpx.

    python benchmarks/loadgen.py < job.json  ->  {"latencies": [...], "wall": s, "errors": n}

job: {"url", "queries": [text, ...], "concurrency", "requests", "cold": bool, "timeout", "max_seconds",
"accept"} for SPARQL queries, or {"urls": [url, ...], "accept", "redirect": true, ...} to fetch
resources: each URL is followed through its redirect, and a request counts as an error unless it
ends in 200 (and, with "redirect", began with a 303).
No new request is started after max_seconds (a slow peer is measured on fewer requests).
Requests cycle through the queries. "cold" makes every request's text unique (a trailing
comment with a counter), so no response cache can answer it; otherwise texts repeat exactly.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time

import httpx

ACCEPT = "application/sparql-results+json"


async def run(job: dict) -> dict:
    texts, urls = job.get("queries", []), job.get("urls", [])
    accept = job.get("accept", ACCEPT)
    counter = itertools.count()
    begun = time.perf_counter()
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=job["concurrency"], max_keepalive_connections=job["concurrency"])
    async with httpx.AsyncClient(limits=limits, timeout=job.get("timeout", 120)) as client:

        async def worker() -> None:
            nonlocal errors
            while True:
                i = next(counter)
                if i >= job["requests"] or time.perf_counter() - begun > job.get("max_seconds", 1e9):
                    return
                started = time.perf_counter()
                try:
                    if urls:
                        r = await client.get(urls[i % len(urls)], headers={"Accept": accept}, follow_redirects=True)
                        redirected = bool(r.history) and r.history[0].status_code == 303
                    else:
                        query = texts[i % len(texts)]
                        if job.get("cold"):
                            query = f"{query}\n# cold {job.get('salt', 0)}-{i}"
                        r = await client.get(job["url"], params={"query": query}, headers={"Accept": accept})
                        redirected = True
                    await r.aread()
                    if r.status_code != 200 or (job.get("redirect") and not redirected):
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)

        started = begun = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(job["concurrency"])))
        wall = time.perf_counter() - started
    return {"latencies": latencies, "wall": wall, "errors": errors}


def main() -> None:
    job = json.load(sys.stdin)
    json.dump(asyncio.run(run(job)), sys.stdout)


if __name__ == "__main__":
    main()
