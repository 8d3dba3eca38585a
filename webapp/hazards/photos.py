"""Photos of hazards: checked by content, stripped of metadata, re-encoded, stored.

Only what Pillow decodes as JPEG, PNG or WebP is accepted, whatever the file is
called. The GPS position of a photo is read before the metadata goes, so that
a report without typed coordinates can still be placed (SPEC.md §2).
"""

import os
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from webapp.hazards.errors import PhotoRejected

MAX_PHOTOS = 3
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
JPEG_QUALITY = 85
THUMBNAIL_SIZE = (320, 320)

# Pillow warns above this many pixels and refuses above twice as many; the
# warning is turned into a refusal below.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass
class PreparedPhoto:
    image: Image.Image
    gps: tuple[float, float] | None


@dataclass(frozen=True)
class StoredPhoto:
    file_name: str
    thumbnail_name: str
    width: int
    height: int


def prepare_photo(stream, *, filename: str) -> PreparedPhoto:
    """Read, check and decode one upload; return the upright image and its GPS position.

    Raises PhotoRejected naming the file: too large, not an image, too many pixels.
    """
    name = _display_name(filename)
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoRejected(_l("%(name)s is larger than 10 MB. Send a smaller photo.", name=name))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoRejected(_not_a_photo(name))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRejected(_too_many_pixels(name))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(_too_many_pixels(name)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise PhotoRejected(_not_a_photo(name)) from None
    gps = read_gps(image)
    ImageOps.exif_transpose(image, in_place=True)  # no full-size copy when upright already
    return PreparedPhoto(image=image, gps=gps)


def _display_name(filename: str) -> str:
    """The file's own name for messages: the last path part, at most 60 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(name) > 60:
        name = name[:57] + "…"
    return name or str(_l("the photo"))


def _not_a_photo(name):
    return _l("%(name)s is not a JPEG, PNG or WebP photo.", name=name)


def _too_many_pixels(name):
    return _l("%(name)s has more than 40 megapixels. Send a smaller photo.", name=name)


def read_gps(image: Image.Image) -> tuple[float, float] | None:
    """The photo's GPS position in decimal degrees, or None when it has none."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef))
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


def _degrees(parts, ref) -> float:
    degrees, minutes, seconds = (float(part) for part in parts)
    value = degrees + minutes / 60 + seconds / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    return -value if (ref or "").strip().upper() in ("S", "W") else value


def store_photo(photo: PreparedPhoto, directory: Path) -> StoredPhoto:
    """Re-encode as JPEG without any metadata, add a thumbnail; names made here.

    Each file is written under a temporary name and renamed, so that a reader
    never sees half a file.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stem = secrets.token_urlsafe(18)
    image = _as_rgb(photo.image)
    file_name, thumbnail_name = f"{stem}.jpg", f"{stem}.thumb.jpg"
    _write_jpeg(image, directory / file_name)
    # Resized straight from the photo: no full-size copy held beside it.
    thumbnail = ImageOps.contain(image, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    try:
        _write_jpeg(thumbnail, directory / thumbnail_name)
    except Exception:
        delete_files(directory, [file_name])
        raise
    return StoredPhoto(file_name, thumbnail_name, image.width, image.height)


def _as_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _write_jpeg(image: Image.Image, path: Path) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        image.save(temporary, "JPEG", quality=JPEG_QUALITY, optimize=True)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def delete_files(directory: Path, names) -> None:
    for name in names:
        (directory / name).unlink(missing_ok=True)
