from channels.auth import AuthMiddlewareStack
from django.urls import path

from .consumers import LiveBlogConsumer
from .desk import DeskPresenceConsumer

websocket_urlpatterns = [
    path("ws/live/<slug:slug>/", LiveBlogConsumer.as_asgi()),
    # Only the desk needs to know who is asking: readers' sockets carry no session.
    path("ws/desk/<int:blog_id>/", AuthMiddlewareStack(DeskPresenceConsumer.as_asgi())),
]
