"""Citizens' photos: JPEG or PNG by content, within a size limit, re-encoded so that no location,
camera or other metadata reaches the OPD, the public or the disk."""

from __future__ import annotations

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kotacerdas.core.files import check_upload

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Photos larger than this are scaled down: enough to see a pothole, small enough for a phone.
MAX_SIDE = 2048
# Decompression bombs: refuse images with more pixels than a 50-megapixel camera makes.
Image.MAX_IMAGE_PIXELS = 50_000_000


def clean_photo(upload: UploadedFile) -> ContentFile:
    """The photo re-encoded without metadata (turned upright first, since the orientation lives
    in the metadata that is dropped). Refuses other files with a message naming the reason."""
    kind = check_upload(upload, kinds=("jpeg", "png"), max_bytes=MAX_PHOTO_BYTES)
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if kind == "jpeg":
                image.convert("RGB").save(out, format="JPEG", quality=85)
            else:
                image.save(out, format="PNG")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("This photo cannot be read."), code="photo_invalid") from None
    extension = "jpg" if kind == "jpeg" else "png"
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.{extension}")
