"""A server process warms up before it serves, so the first post after a start is not the slowest.

At lifespan startup (streams.jobs): every project template is compiled into the cached
loader, the database connection (and its pool) is opened, and the hub connects to the
channel layer. LIVEBLOG_WARM_START=0 turns it off, for benchmarks that compare.

A database that is away at start-up is not waited for: the process starts listening at
once and answers 503 (streams.health) until the database is back.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template

logger = logging.getLogger(__name__)


def template_names() -> list[str]:
    names = []
    for folder in (Path(d) for d in settings.TEMPLATES[0]["DIRS"]):
        names += [str(path.relative_to(folder)) for path in sorted(folder.rglob("*.html"))]
    return names


def compile_templates() -> int:
    """Compile every project template; returns how many compiled."""
    compiled = 0
    for name in template_names():
        try:
            get_template(name)
            compiled += 1
        except (TemplateDoesNotExist, TemplateSyntaxError):
            logger.warning("Template %s did not compile at start-up", name, exc_info=True)
    return compiled


def open_database() -> None:
    connection.ensure_connection()
