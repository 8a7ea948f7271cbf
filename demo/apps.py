from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo night's content and its replay: sample data kept out of the product apps."""

    name = "demo"
    verbose_name = "Demo night"
