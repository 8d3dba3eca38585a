"""Python clients for what wrk cannot do: an exact number of requests, multipart
photo uploads, and look-ups from a chosen client address.

Each client is a browser of its own (a cookie jar, the form's CSRF token) that
does not follow redirects, so that a 302 is the answer measured. The photo
bodies are built once and shared: the clients run on the server's CPUs. The
drivers return wrk.lua's summary keys, except that `requests` counts only the
requests answered as expected; `non_2xx_3xx` counts the other answers, and
`errors` the requests without an answer (refused, cut, timed out).
"""

import functools
import io
import re
import secrets
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode

CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
BOUNDARY = "bench-" + secrets.token_hex(12)
PHOTO_PIXELS = (4000, 3000)  # a phone camera's 12 megapixels
TIMEOUT_SECONDS = 300
NOT_FOUND = "200 not found"  # a look-up's answer: the page with the generic not-found message


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser(*headers: tuple[str, str]) -> urllib.request.OpenerDirector:
    """An opener with its own cookie jar, sending these headers with every request."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects
    )
    opener.addheaders += list(headers)
    return opener


def csrf_token(opener: urllib.request.OpenerDirector, url: str) -> str:
    """GET a form; its CSRF token (the session cookie stays in the opener's jar)."""
    with opener.open(url, timeout=30) as response:
        return CSRF_TOKEN.search(response.read().decode()).group(1)


def send(opener: urllib.request.OpenerDirector, request) -> tuple[int, bytes]:
    """The answer's status and body: a redirect or an error page is an answer too."""
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read()
    except HTTPError as answer:
        with answer:
            return answer.code, answer.read()


def percentile(values: list[float], percent: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(percent / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _timed(opener, request) -> tuple[int | None, float]:
    """The answer's status (None without an answer) and the seconds it took."""
    started = time.perf_counter()
    try:
        status, _ = send(opener, request)
    except OSError:
        status = None
    return status, time.perf_counter() - started


def _summary(outcomes: list[tuple[int | None, float]], seconds: float, expected) -> dict:
    answered = [elapsed * 1000 for status, elapsed in outcomes if status is not None]
    successes = sum(status in expected for status, _ in outcomes)
    return {
        "requests": successes,
        "seconds": seconds,
        "rps": successes / seconds,
        "non_2xx_3xx": len(answered) - successes,
        "errors": len(outcomes) - len(answered),
        "p50_ms": percentile(answered, 50),
        "p95_ms": percentile(answered, 95),
        "p99_ms": percentile(answered, 99),
    }


def _in_threads(connections: int, work, *args) -> tuple[list, float]:
    """work(number, *args) in `connections` threads at once: their outcomes, and the seconds."""
    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        clients = [pool.submit(work, number, *args) for number in range(connections)]
        outcomes = [outcome for client in clients for outcome in client.result()]
    return outcomes, time.monotonic() - started


# --- A number of requests ------------------------------------------------------------


def get_pages(url: str, paths: tuple[str, ...], count: int, connections: int) -> dict:
    """`count` GET requests of the paths in turn from `connections` clients; a 2xx or
    3xx answer is as expected."""
    outcomes, seconds = _in_threads(connections, _get_share, url, paths, count, connections)
    return _summary(outcomes, seconds, expected=range(200, 400))


def _get_share(number: int, url: str, paths, count: int, connections: int) -> list:
    opener = browser()
    return [
        _timed(opener, url + paths[turn % len(paths)]) for turn in range(number, count, connections)
    ]


# --- Photo uploads -----------------------------------------------------------------


@functools.cache
def sample_photos(count: int, size: int) -> tuple[bytes, ...]:
    """`count` different JPEGs of about `size` bytes each, made once per run."""
    return tuple(noisy_jpeg(size) for _ in range(count))


def noisy_jpeg(size: int) -> bytes:
    """A 12-megapixel JPEG of random noise, of the quality whose size comes nearest to
    `size` bytes (within 5 %): with noise, the size grows steadily with the quality."""
    from PIL import Image

    image = Image.merge("RGB", [Image.effect_noise(PHOTO_PIXELS, 24) for _ in range(3)])
    low, high, nearest = 5, 95, b""
    while low <= high:
        quality = (low + high) // 2
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        if abs(buffer.tell() - size) < abs(len(nearest) - size):
            nearest = buffer.getvalue()
        low, high = (quality + 1, high) if buffer.tell() < size else (low, quality - 1)
    if abs(len(nearest) - size) > size * 0.05:
        raise RuntimeError(f"no JPEG quality gives {size:,} bytes of noise")
    return nearest


def _text_parts(fields: dict) -> bytes:
    return b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )


def _file_parts(name: str, files: tuple[bytes, ...]) -> bytes:
    """The files as one form field, then the body's closing boundary."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="photo-{number}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        + data
        + b"\r\n"
        for number, data in enumerate(files, 1)
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post_reports(url: str, scenario, photos: tuple[bytes, ...], seconds: float) -> dict:
    """`scenario.connections` clients post the form with these photos for `seconds`,
    each waiting for its answer before the next; a request under way when time is up
    is finished. A 302 (to the confirmation page) is as expected."""
    photo_part = _file_parts("photos", photos)
    deadline = time.monotonic() + seconds
    outcomes, elapsed = _in_threads(
        scenario.connections, _upload_client, url, scenario, photo_part, deadline
    )
    return _summary(outcomes, elapsed, expected={302})


def _upload_client(number: int, url: str, scenario, photo_part: bytes, deadline: float) -> list:
    opener = browser()
    token = csrf_token(opener, url + scenario.form_path)
    outcomes = []
    while time.monotonic() < deadline:
        # A fresh one-time form token per report, as if the form were loaded again:
        # the same token twice is one report (a double click).
        fields = {**scenario.body_fields, "csrf_token": token, "form_token": secrets.token_hex(16)}
        head = _text_parts(fields)
        request = urllib.request.Request(  # noqa: S310 (the bench's own loopback server)
            url + scenario.path,
            data=[head, photo_part],  # sent one after the other: the photos are not copied
            headers={
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Content-Length": str(len(head) + len(photo_part)),
            },
        )
        outcomes.append(_timed(opener, request))
    return outcomes


# --- Look-ups from one client address ------------------------------------------------


def look_up(url: str, scenario, address: str, attempts: int, not_found: str) -> list[str]:
    """Send the look-up form `attempts` times from `address` (as X-Forwarded-For, for a
    server behind one proxy); each answer as NOT_FOUND (200 with the `not_found`
    message), or its status."""
    opener = browser(("X-Forwarded-For", address))
    token = csrf_token(opener, url + scenario.path)
    body = urlencode({**scenario.body_fields, "csrf_token": token}).encode()
    answers = []
    for _ in range(attempts):
        request = urllib.request.Request(url + scenario.path, data=body)  # noqa: S310
        status, page = send(opener, request)
        if status == 200 and not_found in page.decode():
            answers.append(NOT_FOUND)
        else:
            answers.append(str(status))
    return answers


# --- The worst accepted upload: photos at the limits -----------------------------------

# The default PHOTO_MAX_PIXELS is 50 megapixels; decoding a photo with its copy at the
# size kept may take at most 100 MiB (webapp/hazards/photos.py): the largest colour PNG
# (decoded whole) is 19.6 MP, WebP 5.4 MP, a progressive JPEG about 12 MP.
LIMIT_MIXES = {
    "baseline JPEG 49.8 MP + RGBA PNG 19.6 MP + grey PNG 49.8 MP": (
        ("jpeg", (8640, 5760)),
        ("png-rgba", (4430, 4430)),
        ("png-grey", (8640, 5760)),
    ),
    "progressive JPEG 12.3 MP + WebP 5.4 MP + RGB PNG 19.6 MP": (
        ("jpeg-progressive", (4300, 2866)),
        ("webp", (2850, 1900)),
        ("png-rgb", (4430, 4430)),
    ),
}
_SUFFIXES = {"jpeg": "jpg", "jpeg-progressive": "jpg", "webp": "webp"}


@functools.cache
def limit_photos(mix: str) -> tuple[tuple[str, bytes], ...]:
    """The mix's photos as (file name, content): drawn pictures, a few MiB each at most."""
    return tuple(
        (f"limit-{number}.{_SUFFIXES.get(kind, 'png')}", drawn_photo(kind, size))
        for number, (kind, size) in enumerate(LIMIT_MIXES[mix], 1)
    )


def drawn_photo(kind: str, size: tuple[int, int]) -> bytes:
    """A picture of this size: a gradient with a few shapes, encoded as `kind`."""
    from PIL import Image, ImageDraw

    grey = Image.linear_gradient("L").resize(size)
    image = grey if kind == "png-grey" else Image.merge("RGB", (grey, grey.rotate(90), grey))
    draw = ImageDraw.Draw(image)
    for step in range(8):
        box = (step * size[0] // 10, step * size[1] // 12, (step + 2) * size[0] // 10, size[1])
        draw.ellipse(box, outline=255 if kind == "png-grey" else (255, 40 * step, 0), width=9)
    if kind == "png-rgba":
        image = image.convert("RGBA")
    buffer = io.BytesIO()
    if kind.startswith("jpeg"):
        image.save(buffer, "JPEG", quality=85, progressive=kind == "jpeg-progressive")
    elif kind == "webp":
        image.save(buffer, "WEBP", quality=80)
    else:
        image.save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def post_report_once(url: str, scenario, files: tuple[tuple[str, bytes], ...]) -> int | None:
    """Post the report form once, from a new client, with these files; the answer's status
    (None without an answer)."""
    opener = browser()
    token = csrf_token(opener, url + scenario.form_path)
    fields = {**scenario.body_fields, "csrf_token": token, "form_token": secrets.token_hex(16)}
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; '
        f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + data
        + b"\r\n"
        for name, data in files
    ]
    body = _text_parts(fields) + b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    request = urllib.request.Request(  # noqa: S310 (the bench's own loopback server)
        url + scenario.path,
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    try:
        return send(opener, request)[0]
    except OSError:
        return None


def poll(url: str, stop, timeout: float) -> list[tuple[int | None, float]]:
    """GET `url` again and again until `stop` is set: each answer's status (None without
    one within `timeout` seconds) and seconds."""
    opener = browser()
    answers = []
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with opener.open(url, timeout=timeout) as response:
                status = response.status
        except HTTPError as answer:
            status = answer.code
        except OSError:
            status = None
        answers.append((status, time.perf_counter() - started))
        stop.wait(0.2)
    return answers
