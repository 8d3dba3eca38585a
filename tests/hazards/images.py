"""Real images made with Pillow for the hazard tests."""

import struct
import zlib
from io import BytesIO

from PIL import Image, ImageDraw

# A point inside the brigade's area (AREA_BOUNDS), near 北大街.
INSIDE = (37.8612, 113.5801)


def _rational_dms(value: float):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
    return (float(degrees), float(minutes), float(seconds))


def jpeg_bytes(*, size=(640, 480), gps=None, colour="orange", orientation=None) -> bytes:
    """A drawn JPEG, with EXIF (camera model, a GPS position and an orientation when given)."""
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).rectangle((20, 20, size[0] // 2, size[1] // 2), fill="red")
    exif = Image.Exif()
    exif[0x0110] = "TestCam 3000"  # Model
    if orientation:
        exif[0x0112] = orientation
    if gps:
        latitude, longitude = gps
        exif[0x8825] = {
            1: "N" if latitude >= 0 else "S",
            2: _rational_dms(abs(latitude)),
            3: "E" if longitude >= 0 else "W",
            4: _rational_dms(abs(longitude)),
        }
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_bytes(*, size=(300, 200)) -> bytes:
    buffer = BytesIO()
    Image.new("RGBA", size, (0, 128, 255, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def webp_bytes(*, size=(300, 200)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "green").save(buffer, "WEBP")
    return buffer.getvalue()


def bomb_png_bytes() -> bytes:
    """64 megapixels of one colour: a few kilobytes on disk, too many pixels to open."""
    buffer = BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, "PNG")
    return buffer.getvalue()


def solid_png_bytes(width: int, height: int, *, channels: int = 3) -> bytes:
    """A PNG of one colour, written row by row (8-bit RGB, or RGBA with channels=4):
    a few hundred kilobytes for tens of megapixels, made without holding the pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    colour_type = {3: 2, 4: 6}[channels]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    row = b"\0" + bytes([200, 120, 40, 255][:channels]) * width
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def large_jpeg_bytes(*, size, progressive=False, orientation=None) -> bytes:
    """A big drawn JPEG: a red block in the top-left quarter on orange."""
    image = Image.new("RGB", size, "orange")
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 2, size[1] // 2), fill="red")
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=70, progressive=progressive, exif=exif)
    return buffer.getvalue()
