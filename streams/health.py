"""/healthz for load balancers: the database and Redis, each reported on its own.

A process whose database is unreachable cannot serve anything and answers 503. With
Redis away it still serves pages and keeps sockets up to date by heartbeats, so it
answers 200 and says Redis is down, for the operator to see.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from redis import Redis

REDIS_TIMEOUT_SECONDS = 1.0


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return f"down: {type(error).__name__}"
    return "ok"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not used"
    client = Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except Exception as error:
        return f"down: {type(error).__name__}"
    finally:
        client.close()
    return "ok"


@never_cache
@require_safe
def healthz(request):
    report = {"database": _database(), "redis": _redis()}
    return JsonResponse(report, status=200 if report["database"] == "ok" else 503)
