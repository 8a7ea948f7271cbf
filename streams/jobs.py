"""Work every server process does on a timer, such as publishing scheduled posts: no extra process to run or forget.

The jobs start with the server, at ASGI lifespan startup (bin/serve's uvicorn sends it; so
does any server run with lifespan on), and stop at shutdown. Each job is a plain function
run in a thread, so it may use the ORM, or a coroutine function run on the event loop; what
it does more than once across processes must be safe to do so
(liveblog.services.posts_publish_due takes its rows with SKIP LOCKED).
See docs/architecture.md.
"""

import asyncio
import inspect
import logging
from collections.abc import Callable

from channels.db import database_sync_to_async
from django.conf import settings

from . import gc_pauses
from .fanout import hub
from .health import database_status
from .warm import compile_templates, open_database

logger = logging.getLogger(__name__)


class PeriodicJobs:
    """ASGI middleware that runs `jobs`, (seconds, function) pairs, for as long as the process serves."""

    def __init__(
        self, application, jobs: list[tuple[Callable[[], float], Callable[[], object]]],
        warm_requests: list[tuple[str, str]] = (),
    ):  # fmt: skip
        self.application = application
        self.jobs = jobs
        # (method, path) requests sent through the application at start-up, answers discarded:
        # they load what only a first request loads (URL resolver, middleware, views' modules).
        self.warm_requests = list(warm_requests)
        self._tasks: list[asyncio.Task] = []

    async def _warm_up(self) -> None:
        """Templates compiled, database and channel layer connected, before the first request (streams.warm)."""
        if not settings.LIVEBLOG_WARM_START:
            return
        try:
            await database_sync_to_async(compile_templates)()
            database = await database_status()
            if database == "ok":
                await database_sync_to_async(open_database)()
            else:
                logger.warning("Database %s at start-up: serving anyway, with 503s until it is back", database)
            await hub().start()
            # Warm requests reach the database; without it each would wait out the pool's timeout.
            for method, path in self.warm_requests if database == "ok" else []:
                await self._request(method, path)
        except Exception:
            logger.warning("Warming up failed; the first requests warm the process instead", exc_info=True)
        gc_pauses.freeze_start_up()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        return await self.application(scope, receive, send)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self._warm_up()
                self._tasks = [asyncio.ensure_future(self._every(seconds, job)) for seconds, job in self.jobs]
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for task in self._tasks:
                    task.cancel()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _request(self, method: str, path: str) -> None:
        host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "") and not h.startswith(".")), "localhost")
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
            "headers": [(b"host", host.encode())], "client": ("127.0.0.1", 0), "server": (host, 80),
        }  # fmt: skip
        sent = asyncio.Event()

        async def receive():
            if sent.is_set():
                await asyncio.Event().wait()  # nothing more: the request body was empty
            sent.set()
            return {"type": "http.request", "body": b"", "more_body": False}

        async def discard(message):
            pass

        await asyncio.wait_for(self.application(scope, receive, discard), timeout=30)

    @staticmethod
    async def _every(seconds: Callable[[], float], job: Callable[[], object]) -> None:
        # A coroutine function runs on the event loop; anything else on the database thread, so it
        # may use the ORM (and then shares that thread with Django's views: keep such jobs short).
        run = job if inspect.iscoroutinefunction(job) else database_sync_to_async(job)
        while True:
            try:
                await run()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Periodic job %s failed; it runs again shortly", job.__qualname__)
            await asyncio.sleep(seconds())
