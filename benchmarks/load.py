"""The load process of the home benchmark: keeps CONCURRENCY requests in flight against the
server, each as a random user, and prints the latencies it measured as JSON.

    python benchmarks/load.py PORT TOKENS_FILE CONCURRENCY WARMUP DURATION [RATE]

With RATE, the load is open instead: a request starts every 1/RATE s whatever the server's pace
(on up to CONCURRENCY connections), and each latency counts from the moment its request was due,
so that a server falling behind shows in the figures instead of slowing the load down.

It shares the machine with the server, so it speaks HTTP/1.1 over keep-alive connections
itself: a general client costs a millisecond or more of CPU per request, which the server
would then not have. Every answer's status and length are checked; every tenth body is
parsed and must hold a full page."""

import asyncio
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

PATH = "/api/v1/timelines/home"
PAGE = 20
PARSE_EVERY = 10


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, token: str) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(
            f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: application/json\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:
            body = await self._chunked()
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
        return status, body

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await self.reader.readexactly(size + 2)
            if size == 0:
                return b"".join(parts)
            parts.append(chunk[:-2])


async def worker(port: int, tokens: list[str], until: float, result: dict[str, Any] | None) -> None:
    connection = Connection(port)
    while time.perf_counter() < until:
        begin = time.perf_counter()
        status, body = await connection.get(random.choice(tokens))
        if result is not None:
            record(result, begin, status, body)


def record(result: dict[str, Any], began: float, status: int, body: bytes) -> None:
    result["latencies"].append((time.perf_counter() - began) * 1000)
    if status != 200 or not body.startswith(b"["):
        result["errors"] += 1
    elif len(result["latencies"]) % PARSE_EVERY == 0:
        result["parsed"] += 1
        if len(json.loads(body)) != PAGE:
            result["errors"] += 1


async def paced(
    pool: "asyncio.Queue[Connection]", tokens: list[str], rate: float, duration: float,
    result: dict[str, Any] | None,
) -> None:  # fmt: skip
    async def one(due: float) -> None:
        connection = await pool.get()
        try:
            status, body = await connection.get(random.choice(tokens))
        finally:
            pool.put_nowait(connection)
        if result is not None:
            record(result, due, status, body)

    start = time.perf_counter()
    requests = []
    for n in range(int(rate * duration)):
        due = start + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        requests.append(asyncio.create_task(one(due)))
    await asyncio.gather(*requests)


async def main(port: int, tokens: list[str], concurrency: int, warmup: float,
               duration: float, rate: float) -> None:  # fmt: skip
    result: dict[str, Any] = {"latencies": [], "errors": 0, "parsed": 0}
    if rate > 0:
        pool: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(concurrency):
            pool.put_nowait(Connection(port))
        await paced(pool, tokens, rate, warmup, None)
        start = time.perf_counter()
        await paced(pool, tokens, rate, duration, result)
    else:
        until = time.perf_counter() + warmup
        await asyncio.gather(*(worker(port, tokens, until, None) for _ in range(concurrency)))
        start = time.perf_counter()
        until = start + duration
        await asyncio.gather(*(worker(port, tokens, until, result) for _ in range(concurrency)))
    result["elapsed"] = time.perf_counter() - start
    print(json.dumps(result))


if __name__ == "__main__":
    port, tokens_file, concurrency, warmup, duration = sys.argv[1:6]
    rate = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    tokens = json.loads(Path(tokens_file).read_text())
    asyncio.run(main(int(port), tokens, int(concurrency), float(warmup), float(duration), rate))
