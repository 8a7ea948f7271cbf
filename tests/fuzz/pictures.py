"""Small real pictures to upload, and byte-level damage to them."""

import io

from hypothesis import strategies as st
from PIL import Image

from .common import damage


def _picture(kind: str) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (12, 8), (200, 30, 30))
    if kind == "JPEG":
        exif = Image.Exif()
        exif[0x0112] = 6  # turned on its side, as a phone stores a portrait
        image.save(buffer, kind, exif=exif)
    else:
        image.save(buffer, kind)
    return buffer.getvalue()


PICTURES = {"photo.jpg": _picture("JPEG"), "chart.png": _picture("PNG"), "map.gif": _picture("GIF")}


@st.composite
def uploads(draw) -> tuple[str, bytes]:
    """A real picture, a damaged one, or bytes that were never a picture, under a picture's name."""
    name = draw(st.sampled_from(sorted(PICTURES)))
    content = damage(draw, PICTURES[name])
    return name, content if draw(st.integers(0, 4)) else draw(st.binary(max_size=200))
