import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django's views run on one thread while the event loop writes frames to thousands of
# sockets; they share the interpreter lock. Handing it over every 1 ms instead of 5 lets
# a reporter's request finish between fan-out chunks rather than queue behind them.
sys.setswitchinterval(0.001)
# Django must be set up before the routing imports models.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import re_path  # noqa: E402

from liveblog.routing import websocket_urlpatterns as liveblog_sockets  # noqa: E402
from liveblog.services import posts_publish_due  # noqa: E402
from results.routing import websocket_urlpatterns as results_sockets  # noqa: E402
from streams import gc_pauses  # noqa: E402
from streams.jobs import PeriodicJobs  # noqa: E402
from streams.memory import PageMemory  # noqa: E402
from streams.odd_input import unknown_socket  # noqa: E402
from streams.origins import OriginValidator  # noqa: E402

application = PeriodicJobs(
    ProtocolTypeRouter(
        {
            "http": PageMemory(django_asgi_app),
            "websocket": OriginValidator(
                URLRouter([*liveblog_sockets, *results_sockets, re_path(r"", unknown_socket)])
            ),
        }
    ),
    jobs=[
        (lambda: settings.LIVEBLOG_SCHEDULE_CHECK_SECONDS, posts_publish_due),
        (lambda: 1.0, gc_pauses.watch().report_now),
    ],
    # A health check and a refused publishing call load the request path and the API before any reader waits.
    warm_requests=[("GET", "/healthz"), ("POST", "/api/live/warm-up/posts/")],
)
