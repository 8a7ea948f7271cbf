"""Input the database cannot take is refused at the door, as a plain 400 or a closed socket, never a traceback.

PostgreSQL text cannot hold a NUL byte, and an id column cannot hold "abc": Django
passes both through to the query (list filters, search, the changelist's selected
rows) and the request ends in a server error. One check here covers every view.
"""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest

NOT_FOUND = 4404


class OddInputMiddleware:
    """Refuses a NUL byte anywhere in the query string, and admin actions on rows that cannot exist."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("QUERY_STRING", "")
        if "\x00" in raw or "%00" in raw:
            return HttpResponseBadRequest("The address holds a NUL byte.", content_type="text/plain")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The admin marks each of its model views with the ModelAdmin that serves it.
        model_admin = getattr(view_func, "model_admin", None)
        if model_admin is None or request.method != "POST" or view_func.__name__ != "changelist_view":
            return None
        primary_key = model_admin.model._meta.pk
        try:
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                primary_key.to_python(value)
        except ValidationError:
            return HttpResponseBadRequest("A selected row's id is not a valid id.", content_type="text/plain")
        return None


async def unknown_socket(scope, receive, send):
    """The socket router's last route: an address no socket serves is refused before the handshake."""
    if scope["type"] != "websocket":
        raise ValueError(f"unknown_socket serves sockets, not {scope['type']!r}")
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.close", "code": NOT_FOUND})
