"""Election and ballot ids as the data has them: Democracy Club writes `local.knowsley.2021-05-06`.

Letters, digits, dots, hyphens and underscores: everything such ids use, and nothing a
URL would need to escape. The same pattern validates the models and matches the URLs.
"""

import re

from django.core.validators import RegexValidator
from django.urls import register_converter

DATA_ID = r"[A-Za-z0-9][A-Za-z0-9._-]*"
MAX_LENGTH = 160
_WHOLE = re.compile(rf"^{DATA_ID}\Z")
MESSAGE = "Use letters, digits, dots, hyphens and underscores, starting with a letter or digit (e.g. parl.2019-12-12)."

validate_data_id = RegexValidator(_WHOLE, MESSAGE)


def is_data_id(value: str) -> bool:
    return len(value) <= MAX_LENGTH and bool(_WHOLE.match(value))


class DataIdConverter:
    regex = DATA_ID

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DataIdConverter, "dataid")
