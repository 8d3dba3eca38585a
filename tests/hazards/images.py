"""Real images made with Pillow for the hazard tests."""

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
    """48 megapixels of one colour: a few kilobytes on disk, too many pixels to open."""
    buffer = BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")
    return buffer.getvalue()
