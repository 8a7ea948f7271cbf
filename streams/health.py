"""/healthz for load balancers: the database and Redis, each reported on its own.

A process whose database is unreachable cannot serve anything and answers 503. With
Redis away it still serves pages and keeps sockets up to date by heartbeats, so it
answers 200 and says Redis is down, for the operator to see.

Each check runs on a thread of its own and is given up after CHECK_SECONDS, so the
answer comes within a second even when the database hangs, and a hanging check never
holds the thread Django's views share. Pages that find the database away answer 503
too (DatabaseUnavailableMiddleware), which a load balancer retries on another process.
"""

import asyncio
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.utils.deprecation import MiddlewareMixin
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from redis import Redis

logger = logging.getLogger(__name__)

CHECK_SECONDS = 0.8
RETRY_AFTER_SECONDS = 5


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return f"down: {type(error).__name__}"
    finally:
        connection.close()  # this thread's connection goes back to the pool, not left behind in it
    return "ok"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not used"
    client = Redis.from_url(settings.REDIS_URL, socket_connect_timeout=CHECK_SECONDS, socket_timeout=CHECK_SECONDS)
    try:
        client.ping()
    except Exception as error:
        return f"down: {type(error).__name__}"
    finally:
        client.close()
    return "ok"


async def _bounded(check: Callable[[], str]) -> str:
    try:
        return await asyncio.wait_for(asyncio.to_thread(check), CHECK_SECONDS)
    except TimeoutError:
        return f"down: no answer within {CHECK_SECONDS} s"


async def database_status() -> str:
    """The database check's verdict ("ok" or "down: why") within CHECK_SECONDS, whatever the database does."""
    return await _bounded(_database)


@never_cache
@require_safe
async def healthz(request):
    database, redis = await asyncio.gather(database_status(), _bounded(_redis))
    report = {"database": database, "redis": redis}
    return JsonResponse(report, status=200 if database == "ok" else 503)


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """A view that cannot reach the database answers 503, not 500: the load balancer tries another process."""

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        logger.warning("%s %s: database unavailable (%s), answered 503", request.method, request.path, exception)
        response = HttpResponse(
            "The service is briefly unavailable. Please try again in a few seconds.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
