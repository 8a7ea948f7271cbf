"""Readers spread over several client processes: one process may hold only so many sockets here.

The machine allows each process 20,000 open descriptors, so 20,000 readers need two client
processes at least. A ReaderPool starts its processes (spawned), each connecting its share
of readers (bench/wsclient.py) to its target, round robin over the targets given; once
posts are published, the bench hands it their send times and gets back every delivery
latency. perf_counter is the system's monotonic clock, so times compare across processes.
"""

import asyncio
import math
import multiprocessing
import queue
import resource

from bench import run

PER_PROCESS = 9_000
ANSWER_SECONDS = run.CONNECT_SECONDS + 120


def _raise_descriptor_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _client(port: int, path: str, count: int, ack: bool, commands, answers) -> None:
    _raise_descriptor_limit()
    asyncio.run(_readers(port, path, count, ack, commands, answers))


async def _readers(port, path, count, ack, commands, answers) -> None:
    readers = await run.connect_readers(count, port, path, reconnect=ack, ack=ack)
    await asyncio.sleep(2)
    answers.put(("held", run.held(readers)))
    sent_at = await asyncio.get_running_loop().run_in_executor(None, commands.get)
    await run.wait_all_received(readers, sent_at, 30)
    values, _ = run.latencies(readers, sent_at)
    answers.put(("latencies", values))
    for reader in readers:
        reader.close()


class ReaderPool:
    def __init__(self, targets: list[tuple[int, str]], n: int, *, ack: bool = True):
        """ack: readers of this project's server resume and reconnect; the references' do neither."""
        processes = max(len(targets), math.ceil(n / PER_PROCESS))
        context = multiprocessing.get_context("spawn")
        self.n = n
        self.answers = context.Queue()
        self.commands = [context.Queue() for _ in range(processes)]
        shares = [n // processes + (1 if i < n % processes else 0) for i in range(processes)]
        self.processes = [
            context.Process(
                target=_client, args=(*targets[i % len(targets)], share, ack, self.commands[i], self.answers)
            )
            for i, share in enumerate(shares)
        ]

    async def _answers(self, kind: str) -> list:
        got = []
        loop = asyncio.get_running_loop()
        while len(got) < len(self.processes):
            try:
                answer = await loop.run_in_executor(None, self.answers.get, True, ANSWER_SECONDS)
            except queue.Empty:
                raise RuntimeError(f"a reader process gave no {kind} in {ANSWER_SECONDS} s") from None
            if answer[0] == kind:
                got.append(answer[1:])
        return got

    async def start(self) -> int:
        """Start every client process; returns the readers connected once all have tried."""
        for process in self.processes:
            process.start()
        return sum(held for (held,) in await self._answers("held"))

    async def collect(self, sent_at: dict[int, float]) -> tuple[list[float], float]:
        """Every reader's latency for each post, and the share of (reader, post) pairs delivered."""
        for commands in self.commands:
            commands.put(sent_at)
        values = [v for (part,) in await self._answers("latencies") for v in part]
        return values, len(values) / (self.n * len(sent_at))

    def stop(self) -> None:
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
