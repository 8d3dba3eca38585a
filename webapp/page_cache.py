"""A short-lived cache of public pages, for visitors who send no cookie.

Most readers of the public pages are first-time visitors from a search engine
or a shared link: they send no cookie, so the page they get depends only on its
address and their Accept-Language. Each worker keeps such pages for
PAGE_CACHE_SECONDS and answers the next such visitor without running the view.

- Only views marked with `@cached_page` are kept, only for GET, only answers
  200 that set no cookie (a page holding a CSRF token starts a session and so
  sets one), and never for a request that carries a cookie or credentials: a
  visitor with a session (a chosen language, a message to show, a staff login)
  always gets a freshly made page.
- Every commit that writes to the database marks the data as changed (the
  `DataStamp`), and a page kept before the change is not served again: a new
  report, a state change or a report made private shows at once.
  PAGE_CACHE_SECONDS only bounds how long a page may show time-dependent facts
  (a booking window closing) unchanged.

The mark lives in a file's modification time (PAGE_CACHE_STAMP), seen by every
worker and command on the host; when REDIS_URL is set it lives in a Redis
counter instead, seen by every host. While Redis cannot be read, pages are
neither served from the cache nor kept; a write whose mark could not be made
is logged, and pages kept before it live at most PAGE_CACHE_SECONDS.
"""

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Protocol

import redis
from flask import Flask, request
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

log = logging.getLogger(__name__)

CACHEABLE_KEY = "portal.page_cache.cacheable"
# The app adds these itself to every answer; a kept page must not repeat them.
PER_REQUEST_HEADERS = frozenset({"x-request-id", "set-cookie"})


def cached_page(view: Callable) -> Callable:
    """Mark a public view whose page may be kept for cookie-less visitors."""

    @wraps(view)
    def mark_and_call(*args, **kwargs):
        request.environ[CACHEABLE_KEY] = True
        return view(*args, **kwargs)

    return mark_and_call


@dataclass(frozen=True)
class KeptPage:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    stamp: int
    kept_at: float


class DataStamp(Protocol):
    """When the database was last written to: a number that changes with every write.

    `read()` is None when the mark cannot be read (the page cache then steps aside).
    """

    def read(self) -> int | None: ...

    def touch(self) -> None: ...


class FileDataStamp:
    """The mark as a file's modification time: the default, for one host.

    A stat per look-up costs a microsecond or two; every worker on the host sees
    every other worker's (and every command's) writes through it.
    """

    def __init__(self, path: Path):
        self.path = path

    def __str__(self) -> str:
        return f"the file {self.path}"

    def read(self) -> int:
        try:
            return os.stat(self.path).st_mtime_ns
        except OSError:
            return 0

    def touch(self) -> None:
        now = time.time_ns()
        try:
            os.utime(self.path, ns=(now, now))
        except FileNotFoundError:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch()
            os.utime(self.path, ns=(now, now))


class RedisDataStamp:
    """The mark as a counter in Redis, for several hosts: each write adds one.

    A counter rather than a time, so that hosts whose clocks differ still agree.
    A look-up is one GET on the local network (well under a millisecond).
    """

    def __init__(self, client: redis.Redis, key: str):
        self.client, self.key = client, key

    @classmethod
    def from_url(cls, url: str, *, key: str) -> "RedisDataStamp":
        # One short try: a Redis that stops answering must not hold a page up (a page
        # made afresh is the fallback), so no retries with back-off.
        client = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0)
        )
        return cls(client, key)

    def __str__(self) -> str:
        return f"the Redis key {self.key}"

    def read(self) -> int | None:
        try:
            value = self.client.get(self.key)
        except redis.RedisError as error:
            log.warning("page cache bypassed: %s cannot be read (%s)", self, error)
            return None
        return int(value or 0)

    def touch(self) -> None:
        try:
            self.client.incr(self.key)
        except redis.RedisError as error:
            raise OSError(f"Redis: {error}") from error


def data_stamp_from_config(config) -> DataStamp:
    """Redis when REDIS_URL is set (several hosts), else the stamp file (one host)."""
    if config.get("REDIS_URL"):
        return RedisDataStamp.from_url(config["REDIS_URL"], key=config["PAGE_CACHE_REDIS_KEY"])
    return FileDataStamp(Path(config["PAGE_CACHE_STAMP"]))


class PageCache:
    """WSGI middleware: answers cookie-less GETs of `@cached_page` views from memory."""

    def __init__(
        self,
        wsgi_app,
        *,
        seconds: float,
        stamp: DataStamp,
        languages: tuple[str, ...],
        max_pages: int = 256,
        max_page_bytes: int = 256 * 1024,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.wsgi_app = wsgi_app
        self.seconds = seconds
        self.stamp = stamp
        self.languages = languages
        self.max_pages = max_pages
        self.max_page_bytes = max_page_bytes
        self.clock = clock
        self.pages: OrderedDict[tuple, KeptPage] = OrderedDict()
        self._pages_lock = threading.Lock()  # for threaded servers; free in a sync worker
        self._languages_by_header: dict[str, str] = {}

    def __call__(self, environ, start_response):
        key = self.key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        stamp = self.stamp.read()
        if stamp is None:  # the mark is unknown: any kept page may be stale
            return self.wsgi_app(environ, start_response)
        page = self._fresh_page(key, stamp)
        if page is not None:
            start_response(page.status, list(page.headers))
            return [page.body]
        return self._make_and_keep(key, stamp, environ, start_response)

    def _fresh_page(self, key: tuple, stamp: int) -> KeptPage | None:
        with self._pages_lock:
            page = self.pages.get(key)
            if page is None or page.stamp != stamp or self.clock() - page.kept_at >= self.seconds:
                return None
            self.pages.move_to_end(key)
            return page

    def key(self, environ) -> tuple | None:
        """What a kept page is filed under, or None when the request must not use one."""
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or "HTTP_COOKIE" in environ
            or "HTTP_AUTHORIZATION" in environ
        ):
            return None
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            self.language(environ.get("HTTP_ACCEPT_LANGUAGE", "")),
        )

    def language(self, accept_language: str) -> str:
        """The language the app picks for a visitor without a session (webapp.i18n)."""
        language = self._languages_by_header.get(accept_language)
        if language is None:
            accepted = parse_accept_header(accept_language, LanguageAccept)
            language = accepted.best_match(self.languages) or self.languages[0]
            if len(self._languages_by_header) >= 256:
                self._languages_by_header.clear()
            self._languages_by_header[accept_language] = language
        return language

    def _make_and_keep(self, key, stamp, environ, start_response) -> Iterable[bytes]:
        answer = {}

        def remember_start(status, headers, exc_info=None):
            answer.update(status=status, headers=list(headers))
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, remember_start)
        if not environ.get(CACHEABLE_KEY) or not self._may_keep(answer):
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if len(content) <= self.max_page_bytes:
            self._keep(key, answer, content, stamp)
        return [content]

    @staticmethod
    def _may_keep(answer: dict) -> bool:
        if not answer.get("status", "").startswith("200 "):
            return False
        return not any(name.lower() == "set-cookie" for name, _ in answer["headers"])

    def _keep(self, key, answer: dict, content: bytes, stamp: int) -> None:
        headers = [(n, v) for n, v in answer["headers"] if n.lower() not in PER_REQUEST_HEADERS]
        page = KeptPage(answer["status"], headers, content, stamp, self.clock())
        with self._pages_lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.max_pages:
                self.pages.popitem(last=False)


WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
WROTE_KEY = "portal.page_cache.wrote"


def mark_writes(engine: Engine, stamp: DataStamp) -> None:
    """Touch the stamp after every commit that wrote something, whoever wrote it:
    a request, a command or a script. The engine's events see every statement
    and every commit, so this is the one place that learns of writes."""

    @event.listens_for(engine, "after_cursor_execute")
    def _executed(connection, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip()[:7].upper().startswith(WRITE_VERBS):
            connection.info[WROTE_KEY] = True

    @event.listens_for(engine, "commit")
    def _committed(connection):
        if connection.info.pop(WROTE_KEY, False):
            _touch(stamp)

    @event.listens_for(engine, "rollback")
    def _rolled_back(connection):
        connection.info.pop(WROTE_KEY, None)


def _touch(stamp: DataStamp) -> None:
    try:
        stamp.touch()
    except OSError as error:  # the data is saved; only kept pages may lag, for seconds
        log.warning("page cache stamp (%s) not updated: %s", stamp, error)


def register_page_cache(app: Flask, engine: Engine) -> None:
    """Keep public pages when PAGE_CACHE_SECONDS > 0 (see the module's notes)."""
    seconds = app.config["PAGE_CACHE_SECONDS"]
    if seconds <= 0:
        return
    stamp = data_stamp_from_config(app.config)
    try:
        stamp.touch()
    except OSError as error:
        log.warning("page cache off: the stamp (%s) cannot be written (%s)", stamp, error)
        return
    mark_writes(engine, stamp)
    app.wsgi_app = PageCache(
        app.wsgi_app, seconds=seconds, stamp=stamp, languages=tuple(app.config["LANGUAGES"])
    )
