import logging

import pytest
from django.test import Client

# Django logs a 500 here without passing it up to the root logger, where caplog listens.
UNPROPAGATED = ("django.request", "django.channels.server")


class Tracebacks:
    def __init__(self, caplog):
        self.caplog = caplog

    def clear(self) -> None:
        self.caplog.clear()

    def found(self) -> list[str]:
        """Errors logged with an exception: a 500, or a failure caught and logged as if it were one."""
        return [
            f"{record.name}: {record.getMessage()}"
            for record in self.caplog.records
            if record.levelno >= logging.ERROR and record.exc_info
        ]


@pytest.fixture
def tracebacks(caplog):
    loggers = [logging.getLogger(name) for name in UNPROPAGATED]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    yield Tracebacks(caplog)
    for logger in loggers:
        logger.removeHandler(caplog.handler)


@pytest.fixture
def quiet_client():
    """A client that gets the 500 page, as a browser would, instead of the exception."""
    return Client(raise_request_exception=False)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.startswith("tests/fuzz/"):
            # The odd values are long on purpose; their repr is only shown for a failing example.
            item.add_marker(pytest.mark.filterwarnings("ignore:Generating overly large repr"))
