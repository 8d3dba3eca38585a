"""Photos of hazards: checked by content, stripped of metadata, re-encoded, stored.

Only what Pillow decodes as JPEG, PNG or WebP is accepted, whatever the file is
called. The GPS position of a photo is read before the metadata goes, so that
a report without typed coordinates can still be placed (SPEC.md §2).

A photo costs what it is worth: its size in pixels is read from the header and
checked before anything is decoded, a JPEG is decoded straight at the size kept
(libjpeg's scaled decoding), and a file whose decoding (with the copy kept)
would take more memory than DECODE_BUDGET_BYTES (a large PNG or WebP, a large progressive JPEG)
is refused with the number of megapixels its kind allows.

Files are written under pending names (`<name>.pending`) and take their final
name only when the report that owns them is saved; `sweep()` removes what no
photo row owns (a worker killed mid-upload) once it is an hour old. Where the
files live is the store's business (`photo_storage.py`: a directory or a bucket).
"""

import math
import secrets
import time
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from io import BytesIO

from flask_babel import lazy_gettext as _l
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from webapp.hazards.errors import PhotoRejected
from webapp.hazards.photo_storage import PhotoStorage

MAX_PHOTOS = 3
MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000  # more than a phone camera takes; PHOTO_MAX_PIXELS
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
JPEG_QUALITY = 85
STORED_SIDE = 2560  # the longest side of a stored photo, in pixels
THUMBNAIL_SIZE = (320, 320)
# What decoding one photo and its copy at the size kept may take at once. Three
# photos are handled one after the other: this, with Pillow's working bands and
# the upload, is about a worker's peak (bench/run checks it stays under 150 MiB).
DECODE_BUDGET_BYTES = 100 * 1024 * 1024
# libwebp decodes the whole canvas, twice, and Pillow copies it: about 16 bytes a pixel.
WEBP_BYTES_PER_PIXEL = 16
PENDING_SUFFIX = ".pending"
SWEEP_AGE_SECONDS = 3600
SHRINK_BAND_ROWS = 128
# EXIF orientation: how to turn the picture to show it upright.
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


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

    @property
    def names(self) -> tuple[str, str]:
        return self.file_name, self.thumbnail_name


def prepare_photo(stream, *, filename: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> PreparedPhoto:
    """Read, check and decode one upload; return the upright image, at most STORED_SIDE
    pixels on its longest side, and its GPS position.

    Raises PhotoRejected naming the file: too large, not an image, too many pixels.
    Nothing is decoded before the pixel count and the decoding cost are checked.
    """
    name = _display_name(filename)
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoRejected(_l("%(name)s is larger than 10 MB. Send a smaller photo.", name=name))
    # Pillow's own guard: a warning above the limit (made an error here), an error above twice.
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoRejected(_not_a_photo(name))
            if image.width * image.height > max_pixels:
                raise PhotoRejected(_too_many_pixels(name, max_pixels))
            _check_decoding_cost(image, name)
            gps = read_gps(image)
            orientation = image.getexif().get(ExifTags.Base.Orientation)
            image.load()  # a JPEG at the scale set above
            image = _shrink(image, _fitted(image.size))  # the full-size one goes here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(_too_many_pixels(name, max_pixels)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise PhotoRejected(_not_a_photo(name)) from None
    if orientation in UPRIGHT:
        image = image.transpose(UPRIGHT[orientation])
    return PreparedPhoto(image=image, gps=gps)


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    """The size kept: at most STORED_SIDE on the longest side, the same shape."""
    width, height = size
    scale = STORED_SIDE / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _shrink(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The image resized to `size`, a band of rows at a time.

    Pillow's resize of a whole image holds a full-width copy of it (and, for an
    image with transparency, a premultiplied full copy first); resizing a band
    of source rows (with the filter's margin) into each band of the result
    gives the same pixels with only the bands beside the image.
    """
    if image.size == size:
        return image
    width, height = image.size
    scale = height / size[1]
    margin = math.ceil(3 * scale) + 2  # Lanczos reaches 3 source pixels, scaled
    result = None
    for top in range(0, size[1], SHRINK_BAND_ROWS):
        bottom = min(top + SHRINK_BAND_ROWS, size[1])
        first, last = top * scale, bottom * scale
        crop_top = max(0, math.floor(first) - margin)
        crop_bottom = min(height, math.ceil(last) + margin)
        band = _resizable(image.crop((0, crop_top, width, crop_bottom)), image.info)
        part = band.resize(
            (size[0], bottom - top),
            Image.Resampling.LANCZOS,
            box=(0, first - crop_top, width, last - crop_top),
        )
        if result is None:
            result = Image.new(part.mode, size)
        result.paste(part, (0, top))
    return result


def _resizable(band: Image.Image, info: dict) -> Image.Image:
    """A mode that Pillow resizes with its filter (a palette or 1-bit one it would not)."""
    if band.mode == "P":
        return band.convert("RGBA" if "transparency" in info else "RGB")
    if band.mode in ("1", "I", "F") or band.mode.startswith("I;16"):
        return band.convert("L")
    return band


def _check_decoding_cost(image: Image.Image, name: str) -> None:
    """Refuse a photo whose decoding, with the copy kept, would take more than
    DECODE_BUDGET_BYTES; the message gives the megapixels its kind may have.

    A JPEG is first set to decode at the smallest scale (1/2, 1/4, 1/8) that
    still covers the size kept; a progressive one also holds every coefficient
    of the whole image (2 bytes a sample) while it is decoded. PNG and WebP
    are decoded whole.
    """
    pixels = image.width * image.height
    kept = math.prod(_fitted(image.size)) * 4
    per_pixel = _bytes_per_pixel(image.mode)
    if image.format == "JPEG":
        wanted = _fitted(image.size)
        if wanted != image.size:
            image.draft(None, wanted)
        per_pixel = image.width * image.height * _bytes_per_pixel(image.mode) / pixels
        if image.info.get("progressive") or image.info.get("progression"):
            per_pixel += 2 * _samples_per_pixel(image)
    elif image.format == "WEBP":
        per_pixel = WEBP_BYTES_PER_PIXEL
    if pixels * per_pixel + kept > DECODE_BUDGET_BYTES:
        raise PhotoRejected(_too_many_pixels(name, int((DECODE_BUDGET_BYTES - kept) / per_pixel)))


def _bytes_per_pixel(mode: str) -> int:
    """What Pillow holds in memory for one pixel of this mode (RGB takes 4 bytes)."""
    if mode in ("1", "L", "P"):
        return 1
    return 2 if mode.startswith("I;16") else 4


def _samples_per_pixel(image: Image.Image) -> float:
    """Samples a JPEG codes per pixel: 3 for full-resolution colour, 1.5 for 4:2:0."""
    layers = getattr(image, "layer", None) or [("", 1, 1, 0)] * len(image.getbands())
    most = max(h * v for _, h, v, _ in layers)
    return sum(h * v for _, h, v, _ in layers) / most


def _display_name(filename: str) -> str:
    """The file's own name for messages: the last path part, at most 60 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(name) > 60:
        name = name[:57] + "…"
    return name or str(_l("the photo"))


def _not_a_photo(name):
    return _l("%(name)s is not a JPEG, PNG or WebP photo.", name=name)


def _too_many_pixels(name, limit: int):
    return _l(
        "%(name)s has more than %(megapixels)s megapixels. Send a smaller photo.",
        name=name,
        megapixels=max(1, limit // 1_000_000),
    )


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


def store_photo(photo: PreparedPhoto, storage: PhotoStorage) -> StoredPhoto:
    """Re-encode as JPEG without any metadata, add a thumbnail; names made here.

    Both files are written under their pending names: `publish()` gives them
    their final names once the report is saved, `delete_pending()` removes them
    if it is not. A photo whose writing fails is removed at once.
    """
    stem = secrets.token_urlsafe(18)
    stored = StoredPhoto(f"{stem}.jpg", f"{stem}.thumb.jpg", 0, 0)
    try:
        image = _as_rgb(photo.image)
        storage.put(pending_name(stored.file_name), _jpeg(image))
        # Resized straight from the photo: no full-size copy held beside it.
        thumbnail = ImageOps.contain(image, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
        storage.put(pending_name(stored.thumbnail_name), _jpeg(thumbnail))
    except BaseException:
        delete_pending(storage, [stored])
        raise
    return StoredPhoto(stored.file_name, stored.thumbnail_name, image.width, image.height)


def _as_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def pending_name(name: str) -> str:
    return name + PENDING_SUFFIX


def publish(storage: PhotoStorage, stored: Collection[StoredPhoto]) -> None:
    """Give the files of a saved report their final names."""
    for photo in stored:
        for name in photo.names:
            storage.rename(pending_name(name), name)


def delete_pending(storage: PhotoStorage, stored: Collection[StoredPhoto]) -> None:
    """Remove the pending files of a report that is not saved."""
    storage.delete([pending_name(name) for photo in stored for name in photo.names])


@dataclass(frozen=True)
class Swept:
    removed: list[str]
    published: list[str]


def sweep(
    storage: PhotoStorage,
    owned: Collection[str],
    *,
    now: float | None = None,
    age: float | None = None,
) -> Swept:
    """Remove the files in the store that no photo row owns and that are older than
    `age` seconds (SWEEP_AGE_SECONDS), pending ones included; a younger one may belong
    to an upload still being saved. A pending file whose final name a row owns (its
    worker died between the commit and the rename) takes that name instead of going.
    """
    now = time.time() if now is None else now
    age = SWEEP_AGE_SECONDS if age is None else age
    files = storage.files()
    present = {file.name for file in files}
    removed, published = [], []
    for file in files:
        if file.modified > now - age:
            continue
        final = file.name.removesuffix(PENDING_SUFFIX)
        try:
            if final in owned and final != file.name and final not in present:
                storage.rename(file.name, final)
                published.append(final)
            elif final not in owned or final != file.name:
                storage.delete([file.name])
                removed.append(file.name)
        except FileNotFoundError:  # renamed or removed meanwhile by the worker it belongs to
            continue
    return Swept(removed, published)
