"""Python clients for what wrk cannot do: an exact number of requests.

Each client is a browser of its own (a cookie jar, the form's CSRF token) that
does not follow redirects, so that a 302 is the answer measured. The drivers
return wrk.lua's summary keys, except that `requests` counts only the requests
answered as expected; `non_2xx_3xx` counts the other answers, and `errors` the
requests without an answer (refused, cut, timed out).
"""

import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.error import HTTPError

CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TIMEOUT_SECONDS = 300


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
