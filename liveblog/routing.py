from django.urls import path

from .consumers import LiveBlogConsumer

websocket_urlpatterns = [
    path("ws/live/<slug:slug>/", LiveBlogConsumer.as_asgi()),
]
