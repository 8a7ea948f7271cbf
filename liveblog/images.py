"""A post's picture: checked before anything decodes it, then stored with responsive renditions made once.

The check reads only the file's size and its header: a small file can declare a huge
picture, and decoding it is what exhausts memory. Formats are recognised by content,
and only the four that browsers show everywhere are opened at all.
"""

import io
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

WIDTHS = (480, 960, 1440)
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# Pillow's own guard, as a second line behind check_picture.
Image.MAX_IMAGE_PIXELS = settings.LIVEBLOG_UPLOAD_MAX_PIXELS


def check_picture(picture) -> None:
    """Refuse a picture that is too big, has too many pixels or is not JPEG, PNG, WebP or GIF."""
    limit = settings.LIVEBLOG_UPLOAD_MAX_BYTES
    if picture.size > limit:
        raise ValidationError(
            f"A picture can be at most {limit / 2**20:.0f} MB; this one is {picture.size / 2**20:.1f} MB."
        )
    pixels = settings.LIVEBLOG_UPLOAD_MAX_PIXELS
    too_many = f"A picture can have at most {pixels / 1e6:.0f} million pixels"
    picture.seek(0)
    try:
        with Image.open(picture, formats=FORMATS) as image:  # reads the header only
            width, height = image.size
    except Image.DecompressionBombError as error:  # Pillow's own guard, at twice the limit
        raise ValidationError(f"{too_many}; this one has more than twice that.") from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError("Upload a JPEG, PNG, WebP or GIF picture.") from error
    finally:
        picture.seek(0)
    if width * height > pixels:
        raise ValidationError(f"{too_many}; this one is {width} × {height}.")


def rendition_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-w{width}.jpg"))


def make_renditions(name: str) -> tuple[list[int], tuple[int, int]]:
    """Write JPEG copies no wider than each width (never upscaled); returns the widths made and the picture's size."""
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
    return made, original.size


class PictureField(forms.ImageField):
    """A picture upload that check_picture refuses, with its own message, before Pillow decodes anything."""

    def to_python(self, data):
        if isinstance(data, UploadedFile):
            check_picture(data)
        return super().to_python(data)


def store_new_picture(post) -> list[str]:
    """Store a post's newly uploaded picture and its renditions; returns every file written.

    Runs before the post's transaction, so no row is locked while Pillow works.
    A picture already in storage (an edit that keeps it) writes nothing.
    """
    picture = post.image
    if not picture or picture._committed:  # Django's own test for "not yet in storage" (FileField.pre_save)
        return []
    try:
        check_picture(picture)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    picture.save(picture.name, picture.file, save=False)
    written = [picture.name, *(rendition_name(picture.name, width) for width in WIDTHS)]
    try:
        post.image_widths, (post.image_width, post.image_height) = make_renditions(picture.name)
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
