"""Stored pictures: upright, without the camera's metadata, and decoded within bounded memory."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from liveblog import images
from liveblog.models import Post
from liveblog.services import post_create
from tests.liveblog.test_services import _png_declaring

pytestmark = pytest.mark.django_db

SERIAL = "CAMERA-SERIAL-0042"


def jpeg(width: int, height: int, exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 40)).save(buffer, format="JPEG", exif=exif or Image.Exif())
    return buffer.getvalue()


def phone_photo() -> bytes:
    """A 400 × 200 JPEG taken on its side, saying where it was taken and by which camera."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.BodySerialNumber] = SERIAL
    exif[ExifTags.Base.Orientation] = 6  # turn 90° clockwise to stand upright
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (54.0, 41.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (1.0, 12.0, 40.0),
    }  # fmt: skip
    return jpeg(400, 200, exif)


def publish_picture(blog, reporter, content: bytes, name: str = "count.jpg") -> Post:
    picture = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return post_create(
        post=Post(blog=blog, headline="Count", image=picture, image_credit="Agency"), actor=reporter
    ).post


def test_the_test_photo_carries_gps_and_a_camera_serial():
    with Image.open(io.BytesIO(phone_photo())) as photo:
        assert photo.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert SERIAL.encode() in phone_photo()


def test_stored_pictures_the_original_included_carry_no_metadata_and_stand_upright(blog, reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    post = publish_picture(blog, reporter, phone_photo())
    stored = sorted(path for path in tmp_path.rglob("*") if path.is_file())
    assert len(stored) == 2 and tmp_path / post.image.name in stored  # the original and one rendition
    for path in stored:
        content = path.read_bytes()
        assert b"Exif" not in content and SERIAL.encode() not in content and b"PhoneMaker" not in content
        with Image.open(path) as picture:
            assert len(picture.getexif()) == 0
            assert picture.height > picture.width  # turned as the camera said
    assert (post.image_width, post.image_height) == (200, 400)


def test_a_large_jpeg_is_decoded_reduced_and_stored_no_larger_than_needed(blog, reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = jpeg(6000, 1200)
    with images.open_reduced(io.BytesIO(content)) as decoded:
        assert images.ORIGINAL_MAX_SIDE <= decoded.width < 6000  # the decoder never made the full 7.2 million pixels
    post = publish_picture(blog, reporter, content)
    assert (post.image_width, post.image_height) == (images.ORIGINAL_MAX_SIDE, 576)
    with Image.open(tmp_path / post.image.name) as stored:
        assert stored.size == (images.ORIGINAL_MAX_SIDE, 576) and stored.format == "JPEG"


def test_a_png_too_large_to_decode_whole_is_refused_unread(blog, reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LIVEBLOG_UPLOAD_MAX_WHOLE_PIXELS = 16_000_000
    with pytest.raises(ValidationError, match="PNG picture can have at most 16 million pixels"):
        publish_picture(blog, reporter, _png_declaring(5000, 4000), name="count.png")  # 20 million, under 40
    assert not Post.objects.exists() and not any(path.is_file() for path in tmp_path.rglob("*"))


def damaged_photo() -> bytes:
    """A JPEG whose header is sound and whose picture data stops short, as a failed transfer leaves one."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 64).convert("RGB").save(buffer, format="JPEG")  # noise: the data dwarfs the header
    whole = buffer.getvalue()
    return whole[: len(whole) * 2 // 3]


def test_a_damaged_picture_is_refused_with_a_message_and_stores_nothing(blog, reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match="damaged or cut short"):
        publish_picture(blog, reporter, damaged_photo())
    assert not Post.objects.exists() and not any(path.is_file() for path in tmp_path.rglob("*"))


def test_a_damaged_picture_in_the_posting_form_is_a_form_error(client, blog, reporter, settings, tmp_path):
    from tests.liveblog.test_admin import form_data

    settings.MEDIA_ROOT = tmp_path
    client.force_login(reporter)
    picture = SimpleUploadedFile("count.jpg", damaged_photo(), content_type="image/jpeg")
    data = form_data(blog, headline="Count", image_credit="Agency", image=picture)
    response = client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    assert "damaged or cut short" in response.content.decode()
    assert not Post.objects.exists()
