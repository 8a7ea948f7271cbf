from django.apps import AppConfig


class LiveblogConfig(AppConfig):
    name = "liveblog"
    verbose_name = "Live blogs"

    def ready(self):
        # Receivers import models, so they can only be connected once the app registry is ready.
        from . import receivers  # noqa: F401
