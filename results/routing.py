from django.urls import path

from . import ids  # noqa: F401  (registers the dataid converter)
from .consumers import ResultsConsumer

websocket_urlpatterns = [
    path("ws/results/<dataid:slug>/", ResultsConsumer.as_asgi()),
]
