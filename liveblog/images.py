"""A post's picture: checked before anything decodes it, then stored with responsive renditions made once.

The check reads only the file's size and its header: a small file can declare a huge
picture, and decoding it is what exhausts memory. Formats are recognised by content,
and only the four that browsers show everywhere are opened at all.

What is stored, the "original" included, is a re-encoded copy: turned upright as the
camera recorded, and without the file's metadata (EXIF GPS position, camera serial,
comments), since the original is published as <img src> and og:image. It is at most
ORIGINAL_MAX_SIDE on its longest side, and JPEGs are decoded reduced towards that size,
so a 40-megapixel photograph never sits in memory whole. Formats that cannot be decoded
reduced (PNG, WebP, GIF) have a lower pixel cap instead. An animated GIF or WebP keeps
its first frame, which is what its renditions have always shown.
"""

import io
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

WIDTHS = (480, 960, 1440)
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# Twice the widest rendition: sharp on any screen and in any sharing card.
ORIGINAL_MAX_SIDE = 2880
# Pillow decodes these at 1/2, 1/4 or 1/8 scale when asked (Image.draft).
DECODED_REDUCED = ("JPEG",)
# What a clean copy keeps of the file's own information: how to draw it, nothing about who took it.
KEPT_INFO = ("transparency", "icc_profile")
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
            kind = image.format
    except Image.DecompressionBombError as error:  # Pillow's own guard, at twice the limit
        raise ValidationError(f"{too_many}; this one has more than twice that.") from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError("Upload a JPEG, PNG, WebP or GIF picture.") from error
    finally:
        picture.seek(0)
    if width * height > pixels:
        raise ValidationError(f"{too_many}; this one is {width} × {height}.")
    whole = settings.LIVEBLOG_UPLOAD_MAX_WHOLE_PIXELS
    if kind not in DECODED_REDUCED and width * height > whole:
        raise ValidationError(
            f"A {kind} picture can have at most {whole / 1e6:.0f} million pixels (a JPEG up to {pixels / 1e6:.0f}); "
            f"this one is {width} × {height}."
        )


DAMAGED = "This picture is damaged or cut short and cannot be shown; export it again and upload the new file."


def check_decodes(picture) -> None:
    """Refuse a picture whose header is sound but whose pixels cannot be read (damaged or cut short)."""
    try:
        with open_reduced(picture):  # leaving the block lets go of the pixels and leaves the upload open
            pass
    except (OSError, SyntaxError, ValueError) as error:  # what Pillow raises for broken image data
        raise ValidationError(DAMAGED) from error
    finally:
        picture.seek(0)


def open_reduced(picture) -> Image.Image:
    """The picture's first frame, decoded no larger than needed for ORIGINAL_MAX_SIDE where the format allows."""
    picture.seek(0)
    image = Image.open(picture, formats=FORMATS)
    scale = ORIGINAL_MAX_SIDE / max(image.size)
    if image.format in DECODED_REDUCED and scale < 1:
        image.draft(image.mode, (round(image.width * scale), round(image.height * scale)))
    image.load()
    return image


def clean_copy(picture) -> bytes:
    """The picture as stored: upright, at most ORIGINAL_MAX_SIDE, re-encoded in its own format without metadata."""
    with open_reduced(picture) as decoded:
        kind = decoded.format
        upright = ImageOps.exif_transpose(decoded)
    upright.thumbnail((ORIGINAL_MAX_SIDE, ORIGINAL_MAX_SIDE))
    kept = {key: upright.info[key] for key in KEPT_INFO if key in upright.info}
    upright.info = {}
    if kind == "JPEG" and upright.mode not in ("L", "RGB"):
        upright = upright.convert("RGB")
    buffer = io.BytesIO()
    upright.save(buffer, format=kind, **kept, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    return buffer.getvalue()


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
            check_decodes(data)
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
        check_decodes(picture)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    picture.save(picture.name, ContentFile(clean_copy(picture)), save=False)
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
