"""The load process of the home benchmark: keeps CONCURRENCY requests in flight against the
server, each as a random user, and prints the latencies it measured as JSON.

    python benchmarks/load.py PORT TOKENS_FILE CONCURRENCY WARMUP DURATION
"""

import asyncio
import json
import random
import sys
import time
from pathlib import Path

import httpx


async def worker(client: httpx.AsyncClient, url: str, tokens: list[str], until: float,
                 result: dict | None) -> None:  # fmt: skip
    while time.perf_counter() < until:
        headers = {"Authorization": f"Bearer {random.choice(tokens)}"}
        begin = time.perf_counter()
        response = await client.get(url, headers=headers)
        if result is not None:
            result["latencies"].append((time.perf_counter() - begin) * 1000)
            if response.status_code != 200 or len(response.json()) != 20:
                result["errors"] += 1


async def main(port: str, tokens: list[str], concurrency: int, warmup: float, duration: float):
    url = f"http://127.0.0.1:{port}/api/v1/timelines/home"
    result: dict = {"latencies": [], "errors": 0}
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        until = time.perf_counter() + warmup
        await asyncio.gather(
            *(worker(client, url, tokens, until, None) for _ in range(concurrency))
        )
        start = time.perf_counter()
        until = start + duration
        await asyncio.gather(
            *(worker(client, url, tokens, until, result) for _ in range(concurrency))
        )
        result["elapsed"] = time.perf_counter() - start
    print(json.dumps(result))


if __name__ == "__main__":
    port, tokens_file, concurrency, warmup, duration = sys.argv[1:6]
    tokens = json.loads(Path(tokens_file).read_text())
    asyncio.run(main(port, tokens, int(concurrency), float(warmup), float(duration)))
