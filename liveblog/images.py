"""Responsive renditions of a post's picture, made once with Pillow when it is saved."""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

WIDTHS = (480, 960, 1440)


def rendition_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-w{width}.jpg"))


def make_renditions(name: str) -> list[int]:
    """Write JPEG copies no wider than each width (never upscaled); returns the widths made."""
    with default_storage.open(name, "rb") as source:
        original = Image.open(source)
        original.load()
    made = []
    for width in WIDTHS:
        if width > original.width and made:
            break
        copy = original.convert("RGB")
        copy.thumbnail((min(width, original.width), 10_000))
        buffer = io.BytesIO()
        copy.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
        target = rendition_name(name, width)
        if default_storage.exists(target):
            default_storage.delete(target)
        default_storage.save(target, ContentFile(buffer.getvalue()))
        made.append(width)
    return made


def store_new_picture(post) -> list[str]:
    """Store a post's newly uploaded picture and its renditions; returns every file written.

    Runs before the post's transaction, so no row is locked while Pillow works.
    A picture already in storage (an edit that keeps it) writes nothing.
    """
    picture = post.image
    if not picture or picture._committed:  # Django's own test for "not yet in storage" (FileField.pre_save)
        return []
    picture.save(picture.name, picture.file, save=False)
    written = [picture.name, *(rendition_name(picture.name, width) for width in WIDTHS)]
    try:
        post.image_widths = make_renditions(picture.name)
    except BaseException:
        remove(written)
        raise
    return written


def remove(names: list[str]) -> None:
    """Delete stored files, as when the save they were written for did not go through."""
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)


def srcset(name: str, widths: list[int]) -> str:
    return ", ".join(f"{default_storage.url(rendition_name(name, w))} {w}w" for w in widths)
