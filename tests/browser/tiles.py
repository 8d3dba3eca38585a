"""A tile server for browser tests: each 256 px tile a PNG that shows its own z/x/y.

Started by the test on a loopback port, so that no outside host is asked for a tile.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

from PIL import Image, ImageDraw


@lru_cache(maxsize=512)
def numbered_tile(z: int, x: int, y: int) -> bytes:
    image = Image.new("RGB", (256, 256), (236, 240, 232) if (x + y) % 2 else (226, 232, 222))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 255, 255), outline=(180, 186, 176))
    draw.text((12, 12), f"{z}/{x}/{y}", fill=(60, 60, 60))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class TileHandler(BaseHTTPRequestHandler):
    requested: list[str] = []

    def do_GET(self):  # noqa: N802  (the name http.server calls)
        parts = self.path.strip("/").removesuffix(".png").split("/")
        try:
            z, x, y = (int(part) for part in parts)
        except ValueError:
            self.send_error(404)
            return
        body = numbered_tile(z, x, y)
        self.requested.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def tile_server() -> Iterator[str]:
    """Yield the tile URL template (`http://127.0.0.1:PORT/{z}/{x}/{y}.png`)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), TileHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    finally:
        server.shutdown()
        server.server_close()
