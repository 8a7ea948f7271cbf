from django.urls import path

from .consumers import ResultsConsumer

websocket_urlpatterns = [
    path("ws/results/<slug:slug>/", ResultsConsumer.as_asgi()),
]
